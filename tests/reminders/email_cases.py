"""A varied set of reminder, group and digest emails, built from unsaved rows.

Used to prove that the Jinja2 port of the reminder email templates renders exactly what the
Django templates rendered: the expected parts (subject, text, HTML) were written by
``write_golden`` from the Django templates before they were removed, and are committed
under ``tests/reminders/email_golden/``. Unsaved rows and fixed URLs keep every render
deterministic: no database, no random nonce, no clock.
"""

from __future__ import annotations

from pathlib import Path

from accounts.models import User
from interviews.models import Application, Company, Contact, Note
from outreach.models import Outreach
from reminders.emails import ReminderView
from reminders.models import Reminder

GOLDEN_DIR = Path(__file__).resolve().parent / "email_golden"
NASTY = "<b>Ana</b> & \"Ben\" 'O'Neil'"


def _user(full_name: str) -> User:
    return User(pk=7, email="ana@example.test", full_name=full_name)


def _application(company: str, role: str) -> Application:
    return Application(pk=3, company=Company(pk=4, name=company), role=role)


def _note(kind: str, text: str, link: str = "", contact_id: int | None = None) -> Note:
    return Note(kind=kind, text=text, link=link, contact_id=contact_id)


def _view(reminder: Reminder, **extra) -> ReminderView:
    pk = reminder.pk
    fields = {
        "reminder": reminder,
        "task_url": f"https://followup.test/tasks/{pk}/",
        "done_url": f'https://followup.test/r/a/tok-{pk}-done&x="1"/',
        "snoozes": [
            ("Tomorrow morning", f"https://followup.test/r/a/tok-{pk}-day/"),
            ("Next week <Mon 09:00>", f"https://followup.test/r/a/tok-{pk}-week/"),
        ],
        "due_local": "Tue 3 Mar, 14:00",
    }
    fields.update(extra)
    return ReminderView(**fields)


def _reminder(pk: int, kind: str, *, contact: Contact | None = None, app=True, **fields):
    reminder = Reminder(pk=pk, kind=kind, user_id=7, **fields)
    reminder.user = _user("Ana Lima")
    if app:
        reminder.application = _application(
            **(
                app
                if isinstance(app, dict)
                else {"company": "Acme & Sons <GmbH>", "role": 'Backend "engineer"'}
            )
        )
    else:
        reminder.application = None
    reminder.contact = contact
    if contact is not None:
        reminder.contact_id = contact.pk
    return reminder


def _items() -> dict[str, ReminderView]:
    nasty = Contact(pk=11, name=NASTY, phone="+49 30 1234 <5>")
    plain = Contact(pk=12, name="Ben Ortiz", phone="")
    topics = [
        _note(Note.Kind.TOPIC, "Their move to Rust & <Go>", "https://ex.test/a?b=1&c=2"),
        _note(Note.Kind.QUESTION, "Asked about 'on-call'", "https://ex.test/q"),
        _note(Note.Kind.TOPIC, "Mentions https://ex.test/in-text", "https://ex.test/in-text"),
    ]
    skills = [_note(Note.Kind.SKILL, 'SQL "tuning"')]
    answers = [_note(Note.Kind.ANSWER_TO_FIX, "Salary answer was vague <fix>")]
    wishes = [_note(Note.Kind.FOLLOW_UP, "Not before Friday & only by email")]
    links = [topics[0], topics[1]]
    last_email = Outreach(pk=21, subject='Thanks & "next steps"', body="Hi <Ben>,\n\nThanks!")
    return {
        "thank_you_notes": _view(
            _reminder(101, Reminder.Kind.THANK_YOU, contact=nasty),
            interview_ended_local="Mon 2 Mar, 11:00",
            topics=topics,
            skills=skills,
            answers_to_fix=answers,
        ),
        "thank_you_bare_late": _view(
            _reminder(102, Reminder.Kind.THANK_YOU),
            interview_ended_local="Mon 2 Mar, 11:00",
            was_due_local="Tue 3 Mar, 14:00",
        ),
        "follow_up_notes": _view(
            _reminder(103, Reminder.Kind.FOLLOW_UP, contact=plain),
            wishes=wishes,
            topics=topics,
            skills=skills,
            answers_to_fix=answers,
        ),
        "follow_up_bare": _view(_reminder(104, Reminder.Kind.FOLLOW_UP)),
        "phone_call_email": _view(
            _reminder(105, Reminder.Kind.PHONE_CALL, contact=nasty),
            topics=topics,
            skills=skills,
            last_email=last_email,
            last_email_local="Fri 27 Feb, 10:00",
            last_email_excerpt="Hi <Ben>,\n\nThanks!",
        ),
        "phone_call_bare_late": _view(
            _reminder(106, Reminder.Kind.PHONE_CALL, contact=plain),
            last_email=Outreach(pk=22, subject="", body=""),
            was_due_local="Mon 2 Mar, 09:00",
        ),
        "check_in_links": _view(
            _reminder(107, Reminder.Kind.CHECK_IN, contact=nasty), topics=topics, links=links
        ),
        "check_in_bare": _view(_reminder(108, Reminder.Kind.CHECK_IN)),
        "close_suggestion": _view(
            _reminder(109, Reminder.Kind.CLOSE_SUGGESTION),
            application_url="https://followup.test/applications/3/?a=1&b=<2>",
        ),
        "close_suggestion_no_url": _view(_reminder(110, Reminder.Kind.CLOSE_SUGGESTION)),
        "custom_note": _view(
            _reminder(
                111,
                Reminder.Kind.CUSTOM,
                custom_title=f"Call {NASTY}",
                note="Line one & <two>\n\n  'indented' \"quote\"",
            ),
            snoozes=[],
        ),
        "custom_no_application": _view(
            _reminder(112, Reminder.Kind.CUSTOM, app=False, custom_title="Plain task", note="")
        ),
    }


def cases() -> list[tuple[str, str, dict]]:
    """(case name, email name, template context) for every case."""
    base = {
        "site_url": "https://followup.test",
        "tasks_url": "https://followup.test/tasks/",
        "settings_url": "https://followup.test/accounts/settings/",
    }
    items = _items()
    named = [
        ("Ana Lima", _user("Ana Lima")),
        ("nasty", _user(f"{NASTY} Lima")),
        ("no_name", _user("")),
    ]
    result = []
    for index, (key, item) in enumerate(items.items()):
        label, user = named[index % len(named)]
        for nudge in (False, True):
            context = {**base, "user": user, "item": item, "nudge": nudge}
            result.append((f"reminder-{key}-{label}-nudge{int(nudge)}", "reminder", context))
    thanks = [items["thank_you_notes"], items["thank_you_bare_late"]]
    for nudge in (False, True):
        for app in (thanks[0].reminder.application, None):
            context = {
                **base,
                "user": named[1][1],
                "items": thanks,
                "nudge": nudge,
                "headline": f"Thank {NASTY} and them for the interview",
                "application": app,
            }
            name = f"group-nudge{int(nudge)}-app{int(app is not None)}"
            result.append((name, "group", context))
    all_items = list(items.values())
    for count in (1, len(all_items)):
        context = {**base, "user": named[0][1], "items": all_items[:count]}
        result.append((f"digest-{count}", "digest", context))
    return result


def write_golden() -> None:
    """Write the expected parts of every case with the templates in use now."""
    from reminders.emails import render_parts

    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, email, context in cases():
        for part, text in zip(
            ("subject.txt", "body.txt", "body.html"), render_parts(email, context), strict=True
        ):
            (GOLDEN_DIR / f"{name}.{part}").write_text(text, encoding="utf-8")
