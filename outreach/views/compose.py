"""Pages of the composer and the user's templates. Thin: form, service, reply.

The composer opens for an interviewer of an interview, for a contact, or for a task; the
task pages live in ``reminders``, which describe the task with a :class:`ComposeTarget`
and call :func:`compose_or_resume`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from followup_site.ids import id_or_none
from followup_site.row_urls import url_for_id
from interviews.models import Application
from interviews.selectors import contact_get
from outreach import composer_query, draft_query, selectors, send_guard
from outreach.forms import DraftForm, TemplatePickForm
from outreach.models import Draft, Occasion
from outreach.notes_query import NoteRow
from outreach.services import delivery
from outreach.services import drafts as compose_services

# The query parameters by which the interview and contact pages name whom, and for which
# application, a new draft is; every form of the composer must carry them back.
TARGET_PARAMS = ("contact", "application")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class ComposeTarget:
    """What a draft is about, before or after it is saved.

    ``reminder`` is the task the draft carries out, if any; ``suggested_occasion`` and
    ``deadline`` come from that task: a check-in task asks for a check-in, a thank-you task
    has its own deadline.
    """

    def __init__(
        self,
        *,
        user,
        application,
        contact,
        interview=None,
        draft=None,
        reminder=None,
        suggested_occasion: str | None = None,
        for_task: bool = False,
        deadline=None,
    ):
        self.user = user
        self.application = application
        self.contact = contact
        self.reminder = reminder if draft is None else draft.reminder
        self.interview = interview if draft is None else draft.interview
        self.draft = draft
        self.suggested_occasion = suggested_occasion
        self.for_task = for_task
        self.deadline = deadline

    # What the composer reads of the person and the notes once per request, for the occasion,
    # the template's merge fields and the checklist alike.
    @cached_property
    def notes(self) -> list[NoteRow]:
        return selectors.notes_read(
            user=self.user, application=self.application, contact=self.contact
        )

    # The pk and template key of the open draft this target resumes, if any: a page that
    # read its target by hand-written SQL read this with it.
    @cached_property
    def open_draft_key(self) -> tuple[int, str] | None:
        return selectors.draft_open_key_for(
            user=self.user,
            contact=self.contact,
            application=self.application,
            reminder=self.reminder,
            interview=self.interview,
        )

    @cached_property
    def history(self) -> send_guard.ContactHistory:
        return send_guard.contact_history(user=self.user, contact=self.contact)

    @property
    def occasion(self) -> str:
        if self.draft is not None:
            return self.draft.occasion
        if self.suggested_occasion:
            return self.suggested_occasion
        return selectors.occasion_for(
            user=self.user,
            application=self.application,
            contact=self.contact,
            for_task=self.for_task,
            written_before=None if self.for_task else self.history.written_before,
            notes=self.notes,
        )


def _composer(
    request: HttpRequest, target: ComposeTarget, *, form=None, status=200
) -> HttpResponse:
    """Render the composer: the draft form, the checklist, and what can be done with it."""
    occasion = target.occasion
    choices = selectors.template_choices(user=request.user)
    refilled = None
    if form is None:
        key = request.GET.get("template")
        if key or target.draft is None:
            template = (
                selectors.template_get(user=request.user, key=key, choices=choices)
                if key
                else selectors.template_for_occasion(
                    user=request.user, occasion=occasion, choices=choices
                )
            )
            subject, body = compose_services.draft_fill(
                user=request.user,
                application=target.application,
                contact=target.contact,
                interview=target.interview,
                template_key=template.key,
                notes=target.notes,
                choices=choices,
            )
            occasion = template.occasion
            refilled = template if key else None
            initial = {"subject": subject, "body": body, "template_key": template.key}
        else:
            initial = {
                "subject": target.draft.subject,
                "body": target.draft.body,
                "template_key": target.draft.template_key,
            }
        form = DraftForm(initial=initial, is_card=occasion == Occasion.CARD)
    values = {name: form[name].value() or "" for name in ("subject", "body", "template_key")}
    facts = send_guard.composer_facts(
        user=request.user,
        application=target.application,
        contact=target.contact,
        interview=target.interview,
        occasion=occasion,
        subject=values["subject"],
        body=values["body"],
        deadline=target.deadline,
        notes=target.notes,
        history=target.history,
    )
    pick = TemplatePickForm(
        initial={"template": values["template_key"]},
        choices=[(c.key, f"{c.name} ({Occasion(c.occasion).label})") for c in choices],
    )
    # The page writes the form tag itself, to carry the target's parameters along.
    pick.helper.form_tag = False
    draft = target.draft
    context = {
        "target": target,
        "draft": draft,
        "form": form,
        "pick_form": pick,
        "refilled": refilled,
        "occasion": occasion,
        "occasion_label": Occasion(occasion).label,
        "is_card": occasion == Occasion.CARD,
        "facts": facts,
        "mailto": delivery.draft_mailto(draft=draft) if draft else "",
        # Until the first save, the draft is named only by the page's own address, query
        # string included (?contact=, ?application=, a call task's ?template=): saving to the
        # bare path would lose whom it is for and never create the draft.
        "save_url": (
            url_for_id("outreach:draft_edit", draft.pk) if draft else request.get_full_path()
        ),
        # The saved draft's own links, without a walk of the URL resolver each.
        "eml_url": url_for_id("outreach:draft_eml", draft.pk) if draft else "",
        "delete_url": url_for_id("outreach:draft_delete", draft.pk) if draft else "",
        "target_params": [
            (name, request.GET[name]) for name in TARGET_PARAMS if name in request.GET
        ],
    }
    return render(request, "outreach/composer.html", context, status=status)


def _checklist_html(request: HttpRequest, draft: Draft) -> str:
    facts = send_guard.composer_facts(
        user=request.user,
        application=draft.application,
        contact=draft.contact,
        interview=draft.interview,
        occasion=draft.occasion,
        subject=draft.subject,
        body=draft.body,
    )
    return render_to_string(
        "outreach/checklist.html", {"facts": facts, "draft": draft}, request=request
    )


def _after_save(request: HttpRequest, draft: Draft, action: str) -> HttpResponse:
    """Carry out the button pressed once the text is saved: save only, send, or sent myself."""
    if action == "send":
        try:
            draft = delivery.draft_send(draft=draft)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("outreach:draft_edit", draft.pk)
        if draft.send_state == Draft.SendState.SENT:
            messages.success(request, f"Sent to {draft.contact.name}. It is on the timeline.")
            return redirect(draft.application.get_absolute_url())
        return redirect("outreach:draft_edit", draft.pk)
    if action == "sent_myself":
        draft = delivery.draft_mark_sent_by_user(draft=draft)
        messages.success(request, "Recorded on the timeline. Well done.")
        return redirect(draft.application.get_absolute_url())
    if _wants_json(request):
        return JsonResponse(
            {
                "saved": True,
                "url": reverse("outreach:draft_edit", args=[draft.pk]),
                "saved_at": timezone.localtime(draft.updated_at).strftime("%H:%M:%S"),
                "mailto": delivery.draft_mailto(draft=draft),
                "eml": reverse("outreach:draft_eml", args=[draft.pk]),
                "checklist": _checklist_html(request, draft),
            }
        )
    messages.success(request, "Draft saved.")
    return redirect("outreach:draft_edit", draft.pk)


def _save(request: HttpRequest, target: ComposeTarget) -> HttpResponse:
    """Validate the posted draft, create or update it, then act on the button pressed."""
    key = request.POST.get("template_key", "")
    template = selectors.template_resolve(user=request.user, key=key) if key else None
    occasion = template.occasion if template else target.occasion
    form = DraftForm(request.POST, is_card=occasion == Occasion.CARD)
    if form.is_valid():
        try:
            if target.draft is None:
                draft = compose_services.draft_create(
                    user=request.user,
                    application=target.application,
                    contact=target.contact,
                    reminder=target.reminder,
                    interview=target.interview,
                    occasion=occasion,
                    template_key=template.key if template else "",
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            else:
                draft = compose_services.draft_save(
                    draft=target.draft,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    template_key=template.key if template else None,
                    occasion=template.occasion if template else None,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_save(request, draft, request.POST.get("action", "save"))
    if _wants_json(request):
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()}, status=400)
    return _composer(request, target, form=form, status=400)


def compose_or_resume(request: HttpRequest, target: ComposeTarget) -> HttpResponse:
    """Open the draft already being written for the target, or a new one; save on POST."""
    if request.method == "POST":
        target.draft = selectors.draft_open_for(
            user=request.user,
            contact=target.contact,
            application=target.application,
            reminder=target.reminder,
            interview=target.interview,
        )
        return _save(request, target)
    # A page that resumes a draft only redirects to it: its pk and template are enough.
    existing = target.open_draft_key
    if existing is None:
        return _composer(request, target)
    pk, template_key = existing
    url = reverse("outreach:draft_edit", args=[pk])
    # A link that names the template the draft was already written from (the call
    # page's recap link) resumes the text; only another template re-fills it.
    template = request.GET.get("template")
    if template and template != template_key:
        return redirect(f"{url}?{urlencode({'template': template})}")
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def compose_for_interview(request: HttpRequest, interview_pk: int) -> HttpResponse:
    contact_pk = id_or_none(request.GET.get("contact") or request.POST.get("contact"))
    if contact_pk is None:
        raise Http404("Choose whom to write to.")
    interview, contact, open_draft_key = composer_query.interview_target_get(
        user_id=request.user.pk, interview_pk=interview_pk, contact_pk=contact_pk
    )
    target = ComposeTarget(
        user=request.user,
        application=interview.application,
        contact=contact,
        interview=interview,
    )
    target.open_draft_key = open_draft_key
    return compose_or_resume(request, target)


@login_required
@require_http_methods(["GET", "POST"])
def compose_for_contact(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = contact_get(user=request.user, pk=contact_pk)
    applications = Application.objects.filter(user=request.user).select_related("company")
    application_pk = id_or_none(request.GET.get("application") or request.POST.get("application"))
    if application_pk is not None:
        application = get_object_or_404(applications, pk=application_pk)
    else:
        application = (
            applications.filter(Q(interviews__interviewers=contact) | Q(company=contact.company_id))
            .order_by("-updated_at")
            .first()
        )
    if application is None:
        messages.info(request, f"Add {contact.name} to an interview first, then write to them.")
        return redirect(contact.get_absolute_url())
    target = ComposeTarget(user=request.user, application=application, contact=contact)
    return compose_or_resume(request, target)


def _own_draft(request: HttpRequest, pk: int) -> Draft:
    return draft_query.draft_get(user_id=request.user.pk, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own_draft(request, pk)
    target = ComposeTarget(
        user=request.user, application=draft.application, contact=draft.contact, draft=draft
    )
    if request.method == "POST":
        if not draft.is_editable:
            if _wants_json(request):
                return JsonResponse({"saved": False, "state": draft.send_state}, status=409)
            messages.info(request, "This message has already gone out; nothing was changed.")
            return redirect("outreach:draft_edit", draft.pk)
        return _save(request, target)
    return _composer(request, target)


def _draft_page(request: HttpRequest, draft: Draft, *, error: str, status: int) -> HttpResponse:
    """The draft's own page again, saying why nothing was done."""
    messages.error(request, error)
    draft.refresh_from_db()
    target = ComposeTarget(
        user=request.user, application=draft.application, contact=draft.contact, draft=draft
    )
    return _composer(request, target, status=status)


def _posted_attempt(request: HttpRequest) -> int | None:
    """The send attempt the page showed, which the buttons act on."""
    return id_or_none(request.POST.get("attempt"))


_CHANGED = (
    "This message has changed since the page was shown (another tab or a second click). "
    "Nothing was done; here is where it stands now."
)


@login_required
@require_POST
def draft_uncertain(request: HttpRequest, pk: int) -> HttpResponse:
    """The user checked an interrupted send: it arrived, or it did not and they will edit it."""
    draft = _own_draft(request, pk)
    went_out = request.POST.get("went_out")
    attempt = _posted_attempt(request)
    if went_out not in ("yes", "no") or attempt is None:
        return _draft_page(
            request,
            draft,
            error="Say whether the message arrived, from the buttons on this page.",
            status=400,
        )
    try:
        delivery.draft_resolve_uncertain(draft=draft, went_out=went_out == "yes", attempt=attempt)
    except delivery.DraftChanged:
        return _draft_page(request, draft, error=_CHANGED, status=409)
    if went_out == "yes":
        messages.success(request, "Thanks for checking. It is recorded on the timeline.")
    else:
        messages.info(request, "Thanks for checking. Change it if you like, then send it again.")
    return redirect("outreach:draft_edit", draft.pk)


@login_required
@require_POST
def draft_send_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an interrupted draft again, once the user confirmed it may arrive twice."""
    draft = _own_draft(request, pk)
    attempt = _posted_attempt(request)
    if attempt is None:
        return _draft_page(
            request, draft, error="Send it again from the button on this page.", status=400
        )
    if request.POST.get("confirm") != "yes":
        return _draft_page(
            request,
            draft,
            error=(
                f"Nothing was sent. Tick the box to confirm that {draft.contact.name} may get "
                "this message twice, then press Send again."
            ),
            status=400,
        )
    try:
        draft = delivery.draft_send_again(draft=draft, attempt=attempt)
    except delivery.DraftChanged:
        return _draft_page(request, draft, error=_CHANGED, status=409)
    except ValidationError as error:
        return _draft_page(request, draft, error=" ".join(error.messages), status=400)
    if draft.send_state == Draft.SendState.SENT:
        messages.success(request, f"Sent again to {draft.contact.name}. It is on the timeline.")
        return redirect(draft.application.get_absolute_url())
    return redirect("outreach:draft_edit", draft.pk)


@login_required
def draft_eml(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own_draft(request, pk)
    response = HttpResponse(delivery.draft_eml(draft=draft), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="followup-draft-{draft.pk}.eml"'
    return response


@login_required
@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own_draft(request, pk)
    application = draft.application
    try:
        compose_services.draft_delete(draft=draft)
    except ValidationError as error:
        return _draft_page(request, draft, error=" ".join(error.messages), status=409)
    messages.success(request, "Draft deleted.")
    return redirect(application.get_absolute_url())
