"""Pages for the user's contacts: the people they met, with their interviews and notes.

Like the other pages of the app, these stay thin: find the user's contact (404 for anyone
else's), validate a form, call one service and redirect; deleting asks first on a GET.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from followup_site.paging import LIST_PAGE_SIZE, BadPageNumber, page_of
from interviews import contact_query, list_query, selectors, services
from interviews.card_forms import CardUploadForm
from interviews.forms import ContactForm
from interviews.views import GET_POST, confirm_page


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    try:
        page = page_of(request, selectors.contacts_of(user=request.user), per_page=LIST_PAGE_SIZE)
    except BadPageNumber as error:
        return HttpResponseBadRequest(str(error))
    return render(
        request,
        "interviews/contact_list.html",
        {
            "contacts": list_query.contact_list_rows(
                user_id=request.user.pk,
                offset=(page.number - 1) * LIST_PAGE_SIZE,
                limit=LIST_PAGE_SIZE,
            ),
            "page": page,
            "card_form": CardUploadForm(),
        },
    )


@login_required
@GET_POST
def contact_create(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.contact_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"Added {contact.name} to your contacts.")
        return redirect(contact)
    return render(request, "interviews/contact_form.html", {"form": form})


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_query.contact_page_get(user_id=request.user.pk, pk=pk)
    return render(
        request,
        "interviews/contact_detail.html",
        {
            "contact": contact,
            "interviews": contact_query.contact_interviews(contact=contact),
            "note_groups": contact_query.contact_note_groups(contact=contact),
            # Drafts belong to outreach, an app above this one that it must not import: read
            # through the contact's reverse relation, as outreach.selectors.open_drafts_of does.
            "open_drafts": contact.drafts.filter(user=request.user)
            .exclude(send_state="sent")
            .select_related("application__company", "contact")
            .order_by("-updated_at", "-pk")
            if contact.has_open_drafts
            else [],
        },
    )


@login_required
@GET_POST
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    form = ContactForm(request.POST or None, initial=ContactForm.initial_for(contact))
    if request.method == "POST" and form.is_valid():
        services.contact_update(contact=contact, **form.cleaned_data)
        messages.success(request, "Contact saved.")
        return redirect(contact)
    return render(request, "interviews/contact_form.html", {"form": form, "contact": contact})


@login_required
@GET_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    if request.method == "POST":
        services.contact_delete(contact=contact)
        messages.success(request, f"Deleted {contact.name} from your contacts.")
        return redirect(reverse("interviews:contact_list"))
    return confirm_page(
        request,
        title="Delete this contact?",
        subject=contact.name,
        explanation="Notes about them stay on their interviews, about no one in particular; "
        "reminders to follow up with them are dropped.",
        button_label="Delete contact",
        button_class="btn-danger",
        cancel_url=contact.get_absolute_url(),
    )
