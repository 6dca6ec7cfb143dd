"""Pages of the reminders UI: the dashboard, an application's page with its follow-up panel,
the task list, one task, writing or calling for a task, your own reminder, outreach logs and
the calendar feed. Every read is scoped to the signed-in user; every change is a POST.

The dashboard and the application page show every app's data (interviews, outreach, tasks),
so they live here, in the app at the top of the dependency chain."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import User
from accounts.services import user_dashboard_seen
from followup_site.ids import id_or_none
from followup_site.raw_sql import run_together
from interviews import application_query
from interviews import selectors as interview_selectors
from interviews import services as interview_services
from interviews.forms import ApplicationStageForm
from interviews.models import Application
from outreach import selectors as outreach_selectors
from outreach.forms import OUTREACH_FORMS, CallLogForm, OutreachForm
from outreach.models import Outreach
from outreach.services.delivery import call_log
from outreach.services.timeline import outreach_record
from outreach.views.compose import ComposeTarget, compose_or_resume
from reminders import application_page_query, board, selectors, task_query
from reminders.application_choices import open_application_choices
from reminders.feeds import calendar_feed_build
from reminders.forms import CustomReminderForm
from reminders.models import Reminder
from reminders.services.task_actions import (
    SNOOZE_DAYS,
    reminder_complete,
    reminder_create_custom,
    reminder_skip,
    reminder_snooze,
    snooze_choice,
)


def _safe_next(request: HttpRequest, target: str, default: str) -> str:
    """``target`` if it is a page of ours to go back to; else ``default``."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the button was on, if it is one of ours; else to ``default``."""
    return redirect(_safe_next(request, request.POST.get("next", ""), default))


def _own_reminder(request: HttpRequest, pk: int) -> Reminder:
    return get_object_or_404(selectors.reminders_of(user=request.user), pk=pk)


def _dashboard_url(order: str) -> str:
    url = reverse("dashboard")
    return url if order == board.DEFAULT_ORDER else f"{url}?order={order}"


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    previous_visit = user_dashboard_seen(user=request.user, now=now)
    # The board, the Today strip and the notices: five reads in one round trip.
    the_board, today, notices = run_together(
        board.board_applications_read(
            user=request.user, now=now, order=request.GET.get("order", "")
        ),
        board.today_strip_read(user=request.user, now=now, replies_since=previous_visit),
        board.dashboard_notices_read(user=request.user, now=now),
    )
    return render(
        request,
        "interviews/dashboard.html",
        {
            "board": the_board,
            "today": today,
            "now": now,
            "bounced": notices.bounced,
            "inactive_replies": notices.inactive_replies,
        },
    )


@login_required
@require_safe
def board_column(request: HttpRequest, stage: str) -> HttpResponse:
    """All the cards of one board column (a stage, or the closed ones), in the board's order:
    what "Show all" and opening the Closed section load in place."""
    if stage not in Application.Stage.values:
        raise Http404("No such column.")
    the_board = board.board_applications(
        user=request.user, order=request.GET.get("order", ""), shown=[stage]
    )
    if stage == Application.Stage.CLOSED:
        template = "interviews/includes/board_closed.html"
    else:
        template = "interviews/includes/board_column.html"
    return render(request, template, {"board": the_board, "column": the_board.column(stage)})


@login_required
@require_POST
def application_stage(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an application to another stage from the board: a drag or a card's menu (htmx,
    answered with the board again, its columns shown as they were: ``shown``) or the plain
    form (redirected back to the dashboard)."""
    application = interview_selectors.application_get(user=request.user, pk=pk)
    order = board.board_order(request.POST.get("order"))
    form = ApplicationStageForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["stage"])
        interview_services.application_stage_set(
            application=application,
            stage=form.cleaned_data["stage"],
            closed_reason=form.cleaned_data["closed_reason"],
        )
    except ValidationError as error:
        # Only a forged or stale request gets here: the menu offers valid moves only.
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain")
    moved = f"Moved “{application}” to {application.get_stage_display()}."
    if not request.htmx:
        messages.success(request, moved)
        return redirect(f"{_dashboard_url(order)}#application-{application.pk}")
    the_board = board.board_applications(
        user=request.user, order=order, shown=request.POST.getlist("shown"), moved=pk
    )
    return render(
        request,
        "interviews/includes/board.html",
        {"board": the_board, "moved": moved, "moved_pk": pk},
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application, open_drafts = application_page_query.application_with_open_drafts(
        user_id=request.user.pk, pk=pk
    )
    # The interviewers of each interview, for its timeline.
    people = application_query.application_people(
        user_id=request.user.pk, application_id=application.pk, company_id=application.company_id
    )
    return render(
        request,
        "interviews/application_detail.html",
        {
            "application": application,
            "timeline": application_query.application_timeline(
                application_id=application.pk, interviewers=people.interviewers
            ),
            "now": timezone.now(),
            "open_drafts": open_drafts,
            **selectors.application_panel_context(user=request.user, application=application),
        },
    )


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """Every group's first tasks, or one group (``?group=overdue``) a page at a time."""
    group = request.GET.get("group") or None
    if group is not None and group not in selectors.TASK_GROUP_NAMES:
        return HttpResponseBadRequest("Show the overdue, today's or upcoming tasks.")
    page = id_or_none(request.GET.get("page", "1"))
    if page is None or page < 1:
        return HttpResponseBadRequest("The page must be a whole number from 1.")
    try:
        groups = selectors.task_groups(user=request.user, group=group, page=page)
    except selectors.TaskPageNotFound as error:
        raise Http404(str(error)) from error
    return render(request, "reminders/task_list.html", {"groups": groups})


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = task_query.task_get(user_id=request.user.pk, pk=pk)
    context = _detail_context(request, reminder)
    context["open_drafts"] = (
        outreach_selectors.open_drafts_of(user=request.user, reminder=reminder).only(
            *outreach_selectors.DRAFT_ROW_FIELDS
        )
        if reminder.has_open_drafts
        else []
    )
    return render(request, "reminders/task_detail.html", context)


def _detail_context(request: HttpRequest, reminder: Reminder, **panel: object) -> dict:
    selectors.with_email_lines(reminders=[reminder], user=request.user)
    context: dict[str, object] = {
        "reminder": reminder,
        "notes": selectors.helpful_notes(reminder=reminder),
    }
    if reminder.application is not None:
        context.update(
            selectors.application_panel_context(
                user=request.user, application=reminder.application, reminder=reminder, **panel
            )
        )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    applications = selectors.open_applications(user=request.user)
    form = CustomReminderForm(
        request.POST or None,
        applications=applications,
        application_choices=open_application_choices(user_id=request.user.pk),
    )
    if request.method == "POST" and form.is_valid():
        reminder = reminder_create_custom(user=request.user, **form.cleaned_data)
        messages.success(request, "Reminder added. We will email you when it is due.")
        return redirect("reminders:task_detail", pk=reminder.pk)
    return render(request, "reminders/task_form.html", {"form": form})


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = reminder_complete(reminder=_own_reminder(request, pk))
    messages.success(request, f"Done: {reminder.title}")
    return _redirect_back(request, reverse("reminders:task_list"))


@login_required
@require_POST
def task_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = _own_reminder(request, pk)
    key = request.POST.get("snooze", "")
    if key not in (*SNOOZE_DAYS, "deadline"):
        return HttpResponseBadRequest("Snooze for a day, a week, or until the deadline.")
    if not reminder.is_open:
        messages.info(request, "That task is already closed.")
        return _redirect_back(request, reverse("reminders:task_list"))
    try:
        choice = snooze_choice(reminder=reminder, key=key)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _redirect_back(request, reverse("reminders:task_detail", args=[reminder.pk]))
    reminder = reminder_snooze(
        reminder=reminder, until=choice.until, keep_deadline=choice.keeps_deadline
    )
    messages.success(
        request, f"Snoozed until {_local(choice.until, request.user)}: {reminder.title}"
    )
    return _redirect_back(request, reverse("reminders:task_list"))


def _local(instant: datetime, user: User) -> str:
    return instant.astimezone(user.zone).strftime("%a %d %b, %H:%M")


@login_required
@require_POST
def task_skip(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = reminder_skip(reminder=_own_reminder(request, pk))
    messages.success(request, f"Skipped: {reminder.title}")
    return _redirect_back(request, reverse("reminders:task_list"))


@login_required
@require_http_methods(["GET", "POST"])
def outreach_log(request: HttpRequest, app_pk: int) -> HttpResponse:
    """Record an email or card sent, a call made, or a reply received, for one application.

    A GET shows the blank form of one kind (``what``): the fragment the follow-up panel loads
    into place (htmx), or a page of its own (the panel's buttons without JavaScript)."""
    application = get_object_or_404(
        Application.objects.select_related("company"), pk=app_pk, user=request.user
    )
    data = request.POST if request.method == "POST" else request.GET
    form_class = OUTREACH_FORMS.get(data.get("what", ""))
    if form_class is None:
        return HttpResponseBadRequest(
            "Unknown kind of outreach: log what you sent, a call or a reply.",
            content_type="text/plain",
        )
    reminder = None
    reminder_pk = id_or_none(data.get("reminder"))
    if reminder_pk is not None:
        reminder = get_object_or_404(
            selectors.reminders_of(user=request.user),
            pk=reminder_pk,
            application=application,
        )
    default_next = (
        reverse("reminders:task_detail", args=[reminder.pk])
        if reminder is not None
        else application.get_absolute_url()
    )
    next_url = _safe_next(request, data.get("next", ""), default_next)
    if request.method == "GET":
        form = selectors.outreach_form_blank(
            user=request.user, application=application, form_class=form_class, reminder=reminder
        )
        return _outreach_form_page(request, application, form, reminder, next_url)
    contacts = selectors.application_contacts(user=request.user, application=application)
    form = form_class(request.POST, contacts=contacts)
    if not form.is_valid():
        return _outreach_form_page(request, application, form, reminder, next_url)
    _outreach_save(request, application, form, reminder)
    messages.success(request, form_class.success_message)
    return redirect(next_url)


def _outreach_form_page(
    request: HttpRequest,
    application: Application,
    form: OutreachForm,
    reminder: Reminder | None,
    next_url: str,
) -> HttpResponse:
    """One logging form: a blank one alone for htmx (the panel loads it in place); one sent
    with errors from a task open again in that task's panel; else on a page of its own."""
    if form.is_bound and reminder is not None:
        context = _detail_context(request, reminder, bound_form=form)
        context["panel_next"] = next_url
        return render(request, "reminders/task_detail.html", context)
    context = {"application": application, "form": form, "log_reminder": reminder, "next": next_url}
    if request.htmx and not form.is_bound:
        template = "reminders/includes/outreach_log_form.html"
    else:
        template = "reminders/outreach_form.html"
    response = render(request, template, context)
    # One address, two answers: a cache must not hand the fragment to a plain visit.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _outreach_save(
    request: HttpRequest, application: Application, form: OutreachForm, reminder: Reminder | None
) -> None:
    data = form.cleaned_data
    outgoing = form.what != "reply"
    purpose = {"call": Outreach.Purpose.CALL, "reply": Outreach.Purpose.REPLY}.get(
        form.what, data.get("purpose", "")
    )
    outreach_record(
        user=request.user,
        application=application,
        direction=Outreach.Direction.OUTGOING if outgoing else Outreach.Direction.INCOMING,
        channel=Outreach.Channel.CALL if form.what == "call" else data["channel"],
        occurred_at=data["occurred_at"],
        contact=data["contact"],
        purpose=purpose,
        reminder=reminder if outgoing else None,
        call_outcome=data.get("call_outcome", ""),
        subject=data.get("subject", ""),
        body=data.get("body", ""),
    )


# Tasks carried out by a message: which occasion the composer should suggest for each kind.
# A follow-up task leaves the choice to the composer (a repair if an answer needs fixing).
_OCCASION_OF_TASK = {
    Reminder.Kind.THANK_YOU: "thank_you",
    Reminder.Kind.CHECK_IN: "check_in",
    Reminder.Kind.PHONE_CALL: "call_recap",
}


@login_required
@require_http_methods(["GET", "POST"])
def compose_for_reminder(request: HttpRequest, reminder_pk: int) -> HttpResponse:
    """The task's "Write the email": the composer, with the task's person and occasion."""
    reminder = _own_reminder(request, reminder_pk)
    if reminder.kind == Reminder.Kind.PHONE_CALL and request.GET.get("template") is None:
        return redirect("reminders:call_for_reminder", reminder.pk)
    if reminder.application is None or reminder.contact is None:
        messages.info(request, "This task is not about one person, so there is nothing to draft.")
        return redirect("reminders:task_detail", reminder.pk)
    target = ComposeTarget(
        user=request.user,
        application=reminder.application,
        contact=reminder.contact,
        interview=reminder.interview,
        reminder=reminder,
        suggested_occasion=_OCCASION_OF_TASK.get(reminder.kind),
        for_task=True,
        deadline=reminder.due_at if reminder.kind == Reminder.Kind.THANK_YOU else None,
    )
    return compose_or_resume(request, target)


@login_required
@require_http_methods(["GET", "POST"])
def call_for_reminder(request: HttpRequest, reminder_pk: int) -> HttpResponse:
    """The call task's page: talking points, a calm-down checklist and the call log form."""
    reminder = task_query.task_get(user_id=request.user.pk, pk=reminder_pk)
    form = CallLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reminder.application is None:
        form.add_error(None, "This task is not about an application.")
    if request.method == "POST" and form.is_valid():
        call_log(
            user=request.user,
            application=reminder.application,
            contact=reminder.contact,
            reminder=reminder,
            outcome=form.cleaned_data["outcome"],
            notes=form.call_body(),
        )
        messages.success(request, "Call logged on the timeline.")
        return redirect(reminder.application.get_absolute_url())
    points = outreach_selectors.call_talking_points(
        user=request.user,
        application=reminder.application,
        contact=reminder.contact,
        interview=reminder.interview,
        notes=selectors.call_notes(reminder=reminder),
    )
    return render(
        request,
        "reminders/call.html",
        {"reminder": reminder, "points": points, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's tasks and interviews as an iCalendar feed; the secret token is the key."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No calendar at this address.")
    response = HttpResponse(
        calendar_feed_build(user=user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="followup.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
