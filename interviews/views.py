"""Pages for applications, interviews, interviewers and notes.

Views stay thin: they find the user's object (404 for anyone else's), validate a form, call
one service and redirect. Anything that changes state is a POST; a GET on those URLs shows a
confirmation page. The contact pages, in ``interviews.contact_views``, follow the same rules
and share ``GET_POST`` and ``confirm_page`` from here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, Form
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from followup_site.paging import LIST_PAGE_SIZE, BadPageNumber, counted_page, page_window
from interviews import list_query, selectors, services
from interviews.forms import ApplicationCloseForm, ApplicationForm, ApplicationReopenForm, NoteForm
from interviews.interview_forms import (
    INTERVIEWER_PREFIX,
    InterviewerEditFormSet,
    InterviewerFormSet,
    InterviewForm,
    KnownContacts,
)
from interviews.interview_query import edit_form_read, interview_page_read, log_form_read
from interviews.models import Application, Interview

GET_POST = require_http_methods(["GET", "POST"])
ADD_INTERVIEWER = "add_interviewer"


def _typed_values(form: Form) -> dict[str, object]:
    """What the user typed into a bound form, as initial values: re-showing it this way
    does not validate, so asking for another interviewer card shows no premature errors."""
    return {name: form[name].data for name in form.fields}


def confirm_page(request: HttpRequest, **context: object) -> HttpResponse:
    """The "are you sure?" page a GET on a state-changing URL shows, posting to itself."""
    return render(request, "interviews/confirm.html", context)


# --- Dashboard and applications -------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in Application.Stage.values:
        stage = ""
    try:
        number, offset = page_window(request, per_page=LIST_PAGE_SIZE)
    except BadPageNumber as error:
        return HttpResponseBadRequest(str(error))
    listed = list_query.application_list_rows(
        user_id=request.user.pk,
        stage=stage,
        offset=offset,
        limit=LIST_PAGE_SIZE,
        now=timezone.now(),
    )
    page = counted_page(
        number=number, rows=listed.rows, count=listed.count, per_page=LIST_PAGE_SIZE
    )
    return render(
        request,
        "interviews/application_list.html",
        {
            "applications": listed.rows,
            "page": page,
            "stage": stage,
            "stages": Application.Stage.choices,
        },
    )


@login_required
@GET_POST
def application_create(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = services.application_create(user=request.user, **form.cleaned_data)
        messages.success(
            request, "Application saved. After each interview, log it here to plan follow-ups."
        )
        return redirect(application)
    return render(request, "interviews/application_form.html", {"form": form})


@login_required
@GET_POST
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = ApplicationForm(
        request.POST or None,
        initial=ApplicationForm.initial_for(application),
        with_stage=application.is_open,
    )
    if request.method == "POST" and form.is_valid():
        services.application_update(application=application, **form.cleaned_data)
        messages.success(request, "Changes saved.")
        return redirect(application)
    return render(
        request, "interviews/application_form.html", {"form": form, "application": application}
    )


@login_required
@GET_POST
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    if request.method == "POST":
        services.application_delete(application=application)
        messages.success(request, f"Deleted “{application}”.")
        return redirect("dashboard")
    return confirm_page(
        request,
        title="Delete this application?",
        subject=str(application),
        explanation="Its interviews, notes and reminders are deleted too. "
        "The people you met stay in your contacts. This cannot be undone.",
        button_label="Delete application",
        button_class="btn-danger",
        cancel_url=application.get_absolute_url(),
    )


@login_required
@GET_POST
def application_close(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = ApplicationCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.application_close(application=application, reason=form.cleaned_data["reason"])
        messages.success(request, "Application closed. Its pending reminders are cancelled.")
        return redirect(application)
    return confirm_page(
        request,
        title="Close this application?",
        subject=str(application),
        explanation="Closing stops every follow-up reminder for it. You can reopen it later.",
        form=form,
        button_label="Close application",
        button_class="btn-warning",
        cancel_url=application.get_absolute_url(),
    )


@login_required
@GET_POST
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = ApplicationReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.application_reopen(application=application, stage=form.cleaned_data["stage"])
        messages.success(request, "Application reopened. Follow-up reminders are back on.")
        return redirect(application)
    return confirm_page(
        request,
        title="Reopen this application?",
        subject=str(application),
        explanation="Reminders for it start again from where things stand now.",
        form=form,
        button_label="Reopen application",
        button_class="btn-primary",
        cancel_url=application.get_absolute_url(),
    )


# --- Interviews -----------------------------------------------------------------------------


def _interview_page(
    request: HttpRequest,
    *,
    application: Application,
    interview: Interview | None,
    form: InterviewForm,
    formset: BaseFormSet,
) -> HttpResponse:
    return render(
        request,
        "interviews/interview_form.html",
        {"application": application, "interview": interview, "form": form, "formset": formset},
    )


def _interview_forms(
    request: HttpRequest,
    *,
    formset_class: type[BaseFormSet],
    known_contacts: KnownContacts,
    initial: dict[str, object],
    interviewers_initial: list[dict[str, object]] | None,
) -> tuple[InterviewForm, BaseFormSet, bool]:
    """The interview form and interviewer cards, and whether they are ready to save.

    "Add another interviewer" (the no-JavaScript path) re-shows what was typed, unvalidated,
    with one more empty card.
    """
    kwargs = {"form_kwargs": {"known_contacts": known_contacts}, "prefix": INTERVIEWER_PREFIX}
    if request.method != "POST":
        form = InterviewForm(initial=initial)
        return form, formset_class(initial=interviewers_initial, **kwargs), False
    form = InterviewForm(request.POST)
    formset = formset_class(request.POST, **kwargs)
    if ADD_INTERVIEWER in request.POST and formset.is_bound and formset.management_form.is_valid():
        typed = [_typed_values(card) for card in formset.forms]
        return (
            InterviewForm(initial=_typed_values(form)),
            formset_class(initial=typed, **kwargs),
            False,
        )
    # Validate both, so every error shows at once.
    return form, formset, all([form.is_valid(), formset.is_valid()])


@login_required
@GET_POST
def interview_log(request: HttpRequest, pk: int) -> HttpResponse:
    read = log_form_read(user_id=request.user.pk, application_id=pk)
    application = read.application
    now = timezone.localtime(timezone.now(), request.user.zone)
    form, formset, ready = _interview_forms(
        request,
        formset_class=InterviewerFormSet,
        known_contacts=KnownContacts(
            contacts=read.contacts,
            queryset_maker=lambda: selectors.contact_choices(
                user=request.user, company=application.company
            ),
        ),
        initial={"timezone": request.user.timezone, "date": now.date()},
        interviewers_initial=None,
    )
    if ready:
        try:
            interview = services.interview_log(
                user=request.user,
                application=application,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                timezone_name=form.cleaned_data["timezone"],
                format=form.cleaned_data["format"],
                location=form.cleaned_data["location"],
                interviewers=formset.drafts(),
                notes=form.notes(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Interview saved. We will remind you to thank each interviewer."
            )
            return redirect(f"{application.get_absolute_url()}#interview-{interview.pk}")
    return _interview_page(
        request, application=application, interview=None, form=form, formset=formset
    )


@login_required
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary = interview_page_read(user_id=request.user.pk, pk=pk)
    interview = summary.interview
    return render(
        request,
        "interviews/interview_detail.html",
        {"interview": interview, "application": interview.application, "summary": summary},
    )


@login_required
@GET_POST
def interview_edit(request: HttpRequest, pk: int) -> HttpResponse:
    read = edit_form_read(user_id=request.user.pk, interview_id=pk)
    interview, application = read.interview, read.application
    form, formset, ready = _interview_forms(
        request,
        formset_class=InterviewerEditFormSet,
        known_contacts=KnownContacts(
            contacts=read.contacts,
            queryset_maker=lambda: selectors.contact_choices(
                user=request.user, company=application.company, interview=interview
            ),
        ),
        initial=InterviewForm.initial_for(interview),
        interviewers_initial=[
            {"contact": contact.pk} for contact in read.contacts if contact.is_interviewer
        ],
    )
    if ready:
        try:
            services.interview_update(
                interview=interview,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                timezone_name=form.cleaned_data["timezone"],
                format=form.cleaned_data["format"],
                location=form.cleaned_data["location"],
                interviewers=formset.drafts(),
                notes=form.notes(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Interview updated.")
            return redirect(interview)
    return _interview_page(
        request, application=application, interview=interview, form=form, formset=formset
    )


@login_required
@GET_POST
def interview_delete(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    application = interview.application
    if request.method == "POST":
        services.interview_delete(interview=interview)
        messages.success(request, "Interview deleted.")
        return redirect(application)
    return confirm_page(
        request,
        title="Delete this interview?",
        subject=f"{interview.get_format_display()} interview, {application}",
        explanation="Its notes and its reminders are deleted too. "
        "The interviewers stay in your contacts.",
        button_label="Delete interview",
        button_class="btn-danger",
        cancel_url=interview.get_absolute_url(),
    )


# --- Notes ----------------------------------------------------------------------------------


@login_required
@GET_POST
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.note_get(user=request.user, pk=pk)
    form = NoteForm(
        request.POST or None,
        initial=NoteForm.initial_for(note),
        contact_queryset=selectors.contact_choices(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.note_update(note=note, **form.cleaned_data)
        messages.success(request, "Note saved.")
        return redirect(note.interview)
    return render(request, "interviews/note_form.html", {"form": form, "note": note})


@login_required
@GET_POST
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.note_get(user=request.user, pk=pk)
    interview = note.interview
    if request.method == "POST":
        services.note_delete(note=note)
        messages.success(request, "Note deleted.")
        return redirect(interview)
    return confirm_page(
        request,
        title="Delete this note?",
        subject=note.text,
        explanation="This cannot be undone.",
        button_label="Delete note",
        button_class="btn-danger",
        cancel_url=interview.get_absolute_url(),
    )
