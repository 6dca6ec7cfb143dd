"""Pages for the user's own message templates: list, copy a built-in one, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from outreach import selectors
from outreach.forms import MessageTemplateForm
from outreach.merge import FIELDS
from outreach.models import MessageTemplate
from outreach.services import drafts as compose_services


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/template_list.html",
        {
            "builtins": selectors.builtin_template_choices(),
            "own": selectors.user_templates(user=request.user),
            "merge_fields": FIELDS,
        },
    )


@login_required
@require_POST
def template_copy(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("template_key", "")
    selectors.template_get(user=request.user, key=key)
    template = compose_services.template_copy(user=request.user, template_key=key)
    messages.success(request, "Copied. Edit your copy below; drafts will use it from now on.")
    return redirect("outreach:template_edit", template.pk)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(MessageTemplate, pk=pk, user=request.user)
    form = MessageTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            compose_services.template_update(
                template=template,
                name=form.cleaned_data["name"],
                occasion=form.cleaned_data["occasion"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Template saved.")
            return redirect("outreach:template_list")
    return render(
        request,
        "outreach/template_form.html",
        {"form": form, "template": template, "merge_fields": FIELDS},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(MessageTemplate, pk=pk, user=request.user)
    compose_services.template_delete(template=template)
    messages.success(request, "Template deleted.")
    return redirect("outreach:template_list")
