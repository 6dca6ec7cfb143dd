"""Issue 11, end to end: a job search of fifty applications on one dashboard.

"A user with 50 applications sees at a glance, on a laptop and on a phone, what to do today,
whom to thank before which deadline, and how long each company has been silent; finds any
note by a word; and sees their funnel." One story in real Chromium, at 1280 and 375 px wide,
under the strict Content-Security-Policy.

The applications that the story is about are made through the app's services, so the
follow-up rules plan their real tasks (thank-yous counting down, one logged a week late, a
call after an unanswered question); the filler around them comes from the factories. Days
are calendar days in the seeker's zone (Europe/Berlin), so each contact is dated at a local
hour of a past day, and the figures do not depend on the hour the test runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interviews.models import Application, Interview, Note
from interviews.services import InterviewerDraft, NoteDraft, interview_log
from outreach.models import Draft, Occasion, Outreach
from outreach.services.drafts import draft_create
from outreach.services.timeline import outreach_record
from reminders.models import Reminder
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    OutreachFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
BERLIN = ZoneInfo("Europe/Berlin")

# The filler: how many applications of each stage the factories add around the story's.
FILLER = {"applied": 19, "screening": 10, "interviewing": 5, "offer": 1}
FILLER_CLOSED = ("rejected",) * 3 + ("no_response",) * 3 + ("withdrawn",)
# A name as long as some companies' real ones, to find what it does to a phone's width.
LONG_NAME = "Vandelay Industries International Import-Export Holdings GmbH & Co. KG"


@dataclass(frozen=True)
class JobSearch:
    user: object
    apps: dict[str, Application]
    reminders: dict[str, Reminder]
    draft: Draft
    note: Note
    next_interview_at: datetime


def local_day(days_ago: int, hour: int = 10) -> datetime:
    """``hour`` o'clock in Berlin, ``days_ago`` calendar days before today there."""
    today = timezone.now().astimezone(BERLIN).date()
    return datetime.combine(today - timedelta(days=days_ago), time(hour), tzinfo=BERLIN)


def task(user, application: Application, kind: str) -> Reminder:
    return Reminder.objects.get(
        user=user, application=application, kind=kind, state__in=Reminder.OPEN_STATES
    )


def interviewed_and_thanked(application: Application, *, days_ago: int) -> None:
    """A filler's interview at ten, and the thank-you sent that evening."""
    InterviewFactory(
        application=application,
        starts_at=local_day(days_ago, hour=10),
        ends_at=local_day(days_ago, hour=11),
    )
    OutreachFactory(
        user=application.user,
        application=application,
        purpose=Outreach.Purpose.THANK_YOU,
        occurred_at=local_day(days_ago, hour=18),
    )


def job_search() -> JobSearch:
    """Fifty applications five weeks in: 20 applied, 12 screening, 9 interviewing, 2 offers
    and 7 closed; 14 of them have had an interview, 2 more have one ahead."""
    now = timezone.now()
    user = UserFactory(
        email="noor.haddad@example.com", full_name="Noor Haddad", timezone="Europe/Berlin"
    )
    apps: dict[str, Application] = {}

    def application(company: str, role: str, stage: str) -> Application:
        apps[company] = ApplicationFactory(user=user, company__name=company, role=role, stage=stage)
        return apps[company]

    # 1. A panel three and a half hours ago: two thank-yous with some 20 hours left, one of
    #    them already drafted.
    northwind = application("Northwind Traders", "Senior backend engineer", "interviewing")
    panel = interview_log(
        user=user,
        application=northwind,
        starts_at=now - timedelta(hours=5),
        ends_at=now - timedelta(hours=3, minutes=30),
        timezone_name="Europe/Berlin",
        interviewers=[
            InterviewerDraft(
                name="Ana Ortiz",
                job_title="Engineering manager",
                email="ana@northwind.example",
                notes=[NoteDraft(kind=Note.Kind.TOPIC, text="Splitting the order service")],
            ),
            InterviewerDraft(
                name="Ben Li", job_title="Staff engineer", email="ben@northwind.example"
            ),
        ],
    )
    ana = panel.interviewers.get(name="Ana Ortiz")
    draft = draft_create(
        user=user,
        application=northwind,
        contact=ana,
        occasion=Occasion.THANK_YOU,
        subject="Thank you for this afternoon",
        body="Hi Ana,\n\nThank you for walking me through the order service split.",
        reminder=Reminder.objects.get(user=user, kind=Reminder.Kind.THANK_YOU, contact=ana),
        interview=panel,
    )
    # 2. Yesterday's interview: its thank-you has three and a half hours left. One of its
    #    notes holds the word the seeker will search for.
    contoso = application("Contoso", "Platform engineer", "interviewing")
    interview = interview_log(
        user=user,
        application=contoso,
        starts_at=now - timedelta(hours=21, minutes=30),
        ends_at=now - timedelta(hours=20, minutes=30),
        timezone_name="Europe/Berlin",
        interviewers=[
            InterviewerDraft(
                name="Chloé Dubois",
                job_title="Head of infrastructure",
                email="chloe@contoso.example",
                notes=[
                    NoteDraft(kind=Note.Kind.TOPIC, text="Moving the billing jobs to Kubernetes"),
                    NoteDraft(
                        kind=Note.Kind.INTEREST,
                        text="Keeps a sourdough starter called Zebulon on her desk",
                    ),
                ],
            )
        ],
    )
    note = Note.objects.get(interview=interview, text__contains="Zebulon")
    # 3. An interview a week and a day ago, logged only now: its thank-you is overdue, and so
    #    is the follow-up a week after it.
    fabrikam = application("Fabrikam", "Site reliability engineer", "interviewing")
    interview_log(
        user=user,
        application=fabrikam,
        starts_at=local_day(8, hour=14),
        ends_at=local_day(8, hour=15),
        timezone_name="Europe/Berlin",
        interviewers=[InterviewerDraft(name="Dev Patel", email="dev@fabrikam.example")],
    )
    # 4. Thanked the day of the interview, followed up four days ago: silent since.
    umbrella = application("Umbrella Health", "Data engineer", "interviewing")
    interview_log(
        user=user,
        application=umbrella,
        starts_at=local_day(12, hour=9),
        ends_at=local_day(12, hour=10),
        timezone_name="Europe/Berlin",
        interviewers=[InterviewerDraft(name="Grace Kim", email="grace@umbrella.example")],
    )
    grace = umbrella.company.contacts.get()
    for days_ago, purpose, subject, body in (
        (12, Outreach.Purpose.THANK_YOU, "Thank you", "Thank you for this morning, Grace."),
        (4, Outreach.Purpose.FOLLOW_UP, "Following up", "I remain very keen on the role."),
    ):
        outreach_record(
            user=user,
            application=umbrella,
            direction=Outreach.Direction.OUTGOING,
            channel=Outreach.Channel.EMAIL,
            occurred_at=local_day(days_ago, hour=17),
            contact=grace,
            purpose=purpose,
            subject=subject,
            body=body,
        )
    # 5. Two recruiters written to and silent since: Globex, asked about the timeline 12 days
    #    ago (an unanswered question: the rules plan a call, now overdue), and Initech 19.
    for company, role, stage, recruiter, days_ago, body in (
        ("Globex", "Staff engineer, payments", "screening", "Priya Raman", 12,
         "Is there any news on the timeline?"),
        ("Initech", "Backend developer", "applied", "Kenji Watanabe", 19,
         "I wanted to follow up on my application."),
    ):  # fmt: skip
        made = application(company, role, stage)
        outreach_record(
            user=user,
            application=made,
            direction=Outreach.Direction.OUTGOING,
            channel=Outreach.Channel.EMAIL,
            occurred_at=local_day(days_ago, hour=9),
            contact=ContactFactory(user=user, company=made.company, name=recruiter),
            purpose=Outreach.Purpose.FOLLOW_UP,
            subject=f"{role}: following up",
            body=body,
        )
    # 6. An offer under way: interviewed ten days ago, thanked, and a reply this morning.
    hooli = application("Hooli", "Engineering manager", "offer")
    interview_log(
        user=user,
        application=hooli,
        starts_at=local_day(10, hour=11),
        ends_at=local_day(10, hour=12),
        timezone_name="Europe/Berlin",
        interviewers=[InterviewerDraft(name="Maya Cohen", email="maya@hooli.example")],
    )
    maya = hooli.company.contacts.get()
    outreach_record(
        user=user,
        application=hooli,
        direction=Outreach.Direction.OUTGOING,
        channel=Outreach.Channel.EMAIL,
        occurred_at=local_day(10, hour=18),
        contact=maya,
        subject="Thank you",
        body="Thank you for the conversation today.",
    )
    outreach_record(
        user=user,
        application=hooli,
        direction=Outreach.Direction.INCOMING,
        channel=Outreach.Channel.EMAIL,
        occurred_at=now - timedelta(hours=2),
        contact=maya,
        subject="Re: Offer details",
        body="Noor, the written offer is attached.",
    )
    # 7. The next interview, the day after tomorrow at ten.
    wayne = application("Wayne Enterprises", "Security engineer", "screening")
    next_interview_at = local_day(-2, hour=10)  # two days ahead
    interview_log(
        user=user,
        application=wayne,
        starts_at=next_interview_at,
        ends_at=next_interview_at + timedelta(hours=1),
        timezone_name="Europe/Berlin",
        interviewers=[InterviewerDraft(name="Lucius Fox", email="lucius@wayne.example")],
    )

    # The filler, from the factories: no tasks of their own.
    for stage, count in FILLER.items():
        for n in range(count):
            made = ApplicationFactory(
                user=user,
                company__name=LONG_NAME
                if (stage, n) == ("applied", count - 1)
                else f"{stage} Co {n}",
                role=f"Software engineer {n}",
                stage=stage,
            )
            if stage in ("interviewing", "offer"):
                interviewed_and_thanked(made, days_ago=20 + n)
    # Another interview ahead, later than Wayne's.
    InterviewFactory(
        application=Application.objects.filter(user=user, company__name="screening Co 0").get(),
        starts_at=local_day(-9, hour=15),
        ends_at=local_day(-9, hour=16),
    )
    for n, reason in enumerate(FILLER_CLOSED):
        made = ApplicationFactory(
            user=user,
            company__name=f"Closed Co {n}",
            stage="closed",
            closed_reason=reason,
            closed_at=now - timedelta(days=n + 1),
        )
        if reason == "rejected":
            interviewed_and_thanked(made, days_ago=25)
    reminders = {
        "chloe": task(user, contoso, Reminder.Kind.THANK_YOU),
        "ana": draft.reminder,
        "ben": Reminder.objects.get(
            user=user, kind=Reminder.Kind.THANK_YOU, contact__name="Ben Li"
        ),
        "dev": task(user, fabrikam, Reminder.Kind.THANK_YOU),
        "dev_follow_up": task(user, fabrikam, Reminder.Kind.FOLLOW_UP),
        "priya_call": task(user, apps["Globex"], Reminder.Kind.PHONE_CALL),
    }
    return JobSearch(
        user=user,
        apps=apps,
        reminders=reminders,
        draft=draft,
        note=note,
        next_interview_at=next_interview_at,
    )


# --- Reading the pages ----------------------------------------------------------------------


def words(text: str) -> str:
    return " ".join(text.split())


def local_text(moment: datetime) -> str:
    """A moment as the pages write it in the seeker's zone: "Fri 27 Nov, 14:09"."""
    local = moment.astimezone(BERLIN)
    return f"{local:%a} {local.day} {local:%b, %H:%M}"


def today_entries(page) -> list[tuple[str, str, str]]:
    """The Today strip's entries, each (kind, words, link)."""
    rows = page.locator("#today [data-today]").evaluate_all(
        "(items) => items.map((li) => [li.dataset.today, li.innerText,"
        " li.querySelector('a').getAttribute('href')])"
    )
    return [(kind, words(text), href) for kind, text, href in rows]


def card_facts(page, application: Application) -> list[str]:
    """What a board card says about contact: since the last one, the wait for a reply."""
    facts = page.locator(f"#application-{application.pk} .board-facts li")
    return [words(text) for text in facts.all_inner_texts()]


def days_since(moment: datetime) -> str:
    days = (timezone.now().astimezone(BERLIN).date() - moment.astimezone(BERLIN).date()).days
    return "Last contact today" if days == 0 else f"Last contact {days} day{'s' * (days != 1)} ago"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# --- The story ------------------------------------------------------------------------------


def test_fifty_applications_at_a_glance_on_a_laptop_and_a_phone(page, screenshot):
    violations = watch_csp_violations(page.context)
    page.set_viewport_size(WIDE)
    seeded = job_search()
    apps, tasks = seeded.apps, seeded.reminders
    assert Application.objects.filter(user=seeded.user).count() == 50
    log_in(page, seeded.user)

    # 1. On the laptop: what to do today, whom to thank by when, the reply, the next interview.
    page.get_by_role("heading", name="Today").wait_for()
    assert words(page.locator("main h1 + p").inner_text()) == "43 open of 50"
    hooli_reply = Outreach.objects.get(application=apps["Hooli"], direction="in")
    wayne = apps["Wayne Enterprises"]

    def thank(name: str, company: str, left: str) -> tuple[str, str, str]:
        reminder = tasks[name]
        return (
            "thank-you",
            f"{left} h left Thank {reminder.contact.name} for the interview · {company} "
            f"· by {local_text(reminder.due_at)}",
            f"/tasks/compose/reminder/{reminder.pk}/",
        )

    laptop_today = [
        (
            "overdue",
            "Overdue Thank Dev Patel for the interview · Fabrikam "
            f"· was due {local_text(tasks['dev'].due_at)}",
            f"/tasks/compose/reminder/{tasks['dev'].pk}/",
        ),
        (
            "overdue",
            "Overdue Call Priya Raman: no reply to your email yet · Globex "
            f"· was due {local_text(tasks['priya_call'].due_at)}",
            f"/tasks/calls/{tasks['priya_call'].pk}/",
        ),
        (
            "overdue",
            "Overdue Follow up with Dev Patel · Fabrikam "
            f"· was due {local_text(tasks['dev_follow_up'].due_at)}",
            f"/tasks/compose/reminder/{tasks['dev_follow_up'].pk}/",
        ),
        # Yesterday's interview first: 3 h 30 min were left when the seeding ended.
        thank("chloe", "Contoso", "3"),
        thank("ana", "Northwind Traders", "20"),
        thank("ben", "Northwind Traders", "20"),
        (
            "reply",
            "Reply Maya Cohen at Hooli: “Re: Offer details” "
            f"· {local_text(hooli_reply.occurred_at)}",
            f"/applications/{apps['Hooli'].pk}/#outreach-{hooli_reply.pk}",
        ),
        (
            "next-interview",
            f"Next interview {local_text(seeded.next_interview_at)} "
            "· Security engineer at Wayne Enterprises",
            f"/applications/{wayne.pk}/",
        ),
    ]
    assert today_entries(page) == laptop_today
    # Wayne's one plan is that interview: its card says so, not "Nothing planned".
    assert words(page.locator(f"#application-{wayne.pk} [data-next-action]").inner_text()) == (
        f"Interview {local_text(seeded.next_interview_at)}"
    )
    # Under six hours left reads red, more reads amber.
    assert "text-bg-danger" in page.locator("[data-today='thank-you'] .badge").first.get_attribute(
        "class"
    )
    assert "text-bg-warning" in page.locator("[data-today='thank-you'] .badge").last.get_attribute(
        "class"
    )

    # 2. The board: each column's count, and how long each company has been silent.
    counts = {
        stage: page.locator(f"#column-{stage} .badge").inner_text()
        for stage in ("applied", "screening", "interviewing", "offer")
    }
    assert counts == {"applied": "20", "screening": "12", "interviewing": "9", "offer": "2"}
    assert page.locator(".board-closed-summary .badge").inner_text() == "7"
    assert page.get_by_role("link", name="Show all 20 applied").count() == 1
    silence = {
        "Initech": ["Last contact 19 days ago", "Waiting for a reply: 19 days"],
        "Globex": ["Last contact 12 days ago", "Waiting for a reply: 12 days"],
        "Umbrella Health": ["Last contact 4 days ago", "Waiting for a reply: 4 days"],
        # Never written to since the interview: no wait for a reply, a thank-you overdue.
        "Fabrikam": ["Last contact 8 days ago"],
        # The reply ended the wait.
        "Hooli": [days_since(hooli_reply.occurred_at)],
        "Northwind Traders": [
            days_since(Interview.objects.get(application=apps["Northwind Traders"]).starts_at),
            "1 open draft",
        ],
    }
    assert {name: card_facts(page, apps[name]) for name in silence} == silence
    globex = page.locator(f"#application-{apps['Globex'].pk}")
    assert "border-danger" in globex.get_attribute("class")
    assert words(globex.locator("[data-next-action]").inner_text()) == (
        "Call Priya Raman: no reply to your email yet "
        f"was due {local_text(tasks['priya_call'].due_at)}"
    )
    screenshot(page, "fifty-dashboard-wide")

    # 3. Ana's thank-you opens the draft already begun for her.
    page.locator("[data-today='thank-you'] a", has_text="Thank Ana Ortiz").click()
    page.wait_for_url(f"**/outreach/drafts/{seeded.draft.pk}/")
    page.get_by_role("heading", name="Write to Ana Ortiz").wait_for()
    assert "order service split" in page.locator("[name=body]").input_value()

    # 4. A word from a note, typed into the search box, finds that note and opens it.
    search_for_the_word(page, seeded, screenshot, "fifty-search-wide")

    # 5. The funnel: fifty logged, fourteen interviewed (the two interviews ahead do not
    #    count yet), two offers.
    page.get_by_role("link", name="Stats").click()
    check_the_funnel(page)
    # Every interview whose 24 hours are over was thanked in time but the one logged late.
    assert words(page.inner_text("#thank-yous-in-time")).startswith("11 of 12 ")
    screenshot(page, "fifty-stats-wide")

    # 6. On the phone, minutes later: Initech has answered meanwhile. It is the same visit, so
    #    Maya's reply is still listed as new, under Kenji's; Initech is no longer waiting.
    initech = apps["Initech"]
    kenji_reply = outreach_record(
        user=seeded.user,
        application=initech,
        direction=Outreach.Direction.INCOMING,
        channel=Outreach.Channel.EMAIL,
        occurred_at=timezone.now(),
        contact=initech.company.contacts.get(),
        subject="Re: Backend developer: following up",
        body="Sorry for the wait, Noor. Could you do a call next week?",
    )
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("heading", name="Today").wait_for()
    phone_today = list(laptop_today)
    phone_today.insert(
        -2,
        (
            "reply",
            "Reply Kenji Watanabe at Initech: “Re: Backend developer: following up” "
            f"· {local_text(kenji_reply.occurred_at)}",
            f"/applications/{initech.pk}/#outreach-{kenji_reply.pk}",
        ),
    )
    assert today_entries(page) == phone_today
    silence["Initech"] = ["Last contact today"]
    assert {name: card_facts(page, apps[name]) for name in silence} == silence

    # The columns stack into one list that never scrolls sideways, with every card loaded.
    applied = page.locator("#board-column-applied").bounding_box()
    screening = page.locator("#board-column-screening").bounding_box()
    assert screening["y"] > applied["y"] + applied["height"] - 1
    assert fits_the_phone(page)
    page.get_by_role("link", name="Show all 20 applied").click()
    page.locator("#board-column-applied[data-shown='all']").wait_for()
    page.locator("details.board-closed summary").click()
    page.locator(".board-closed-body[data-shown='all']").wait_for()
    assert page.locator(".board-card").count() == 50
    assert fits_the_phone(page), page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "fifty-dashboard-phone")

    # The overdue call opens the call page.
    page.locator("[data-today='overdue'] a", has_text="Call Priya Raman").click()
    page.wait_for_url(f"**/tasks/calls/{tasks['priya_call'].pk}/")
    page.get_by_role("heading", name="Call Priya Raman").wait_for()
    assert fits_the_phone(page)

    search_for_the_word(page, seeded, screenshot, "fifty-search-phone")

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Stats").click()
    check_the_funnel(page)
    assert fits_the_phone(page)
    screenshot(page, "fifty-stats-phone")
    assert violations == [], "\n".join(violations)


def search_for_the_word(page, seeded: JobSearch, screenshot, name: str) -> None:
    """Search for the one note's word from the navigation bar (in the menu on a phone),
    check the page, then follow the result to the note itself."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    box = page.get_by_role("searchbox", name=re.compile("Search applications"))
    box.fill("zebulon")
    box.press("Enter")
    page.get_by_role("heading", name="1 result for “zebulon”").wait_for()
    hit = page.locator("[data-group=notes] .search-hit")
    assert hit.count() == 1
    note = seeded.note
    link = hit.get_by_role("link", name="Note about Chloé Dubois")
    assert link.get_attribute("href") == f"/interviews/{note.interview_id}/#note-{note.pk}"
    assert hit.locator("mark").inner_text() == "Zebulon"
    if page.viewport_size["width"] == PHONE["width"]:
        assert fits_the_phone(page)
    screenshot(page, name)
    link.click()
    page.wait_for_url(f"**/interviews/{note.interview_id}/#note-{note.pk}")
    assert page.evaluate("document.querySelector(':target').id") == f"note-{note.pk}"
    assert "sourdough starter called Zebulon" in page.locator(f"#note-{note.pk}").inner_text()


def check_the_funnel(page) -> None:
    page.get_by_role("heading", name="Stats", exact=True).wait_for()
    funnel = page.locator("#chart-funnel")
    shown = dict(
        zip(
            funnel.locator(".chart-label").all_text_contents(),
            funnel.locator(".chart-value").all_text_contents(),
            strict=True,
        )
    )
    assert shown == {"Applied": "50", "Interviewed": "14", "Offers": "2"}
    rows = funnel.locator("tbody tr").evaluate_all(
        "(rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent.trim()))"
    )
    assert rows == [["Applied", "50"], ["Interviewed", "14"], ["Offers", "2"]]
