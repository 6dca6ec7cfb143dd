"""One task with what its pages show of it (its application and company, its person and
its interview), read by one hand-written query: the task page and the call page.

Built with the ORM (``reminders_of``: four joins and an EXISTS), the read cost some 4,000
function calls, about a millisecond of processor time, to assemble, compile and turn back
into five model instances; the database answers it in a fraction of that. The instances
built here are the ORM's own (``ModelColumns``), so the pages read them as before.
"""

from __future__ import annotations

from django.db import connection
from django.http import Http404
from django.utils import timezone

from followup_site.ids import id_or_none
from followup_site.raw_sql import ModelColumns, build_instances, constants, planned_cursor
from interviews.models import Application, Company, Contact, Interview
from outreach.models import Draft
from reminders.models import Reminder

_REMINDER = ModelColumns(Reminder, "r")
_APPLICATION = ModelColumns(Application, "a")
_COMPANY = ModelColumns(Company, "co")
_CONTACT = ModelColumns(Contact, "c")
_INTERVIEW = ModelColumns(Interview, "i")
_SENT = constants([Draft.SendState.SENT])

# has_open_drafts: whether a draft written for the task waits to be sent, as
# outreach.selectors.open_drafts_of counts a draft open (anything but sent). The state is
# written in as a constant (see planned_cursor). has_interviewed: whether an interview of
# its application has begun (the call page speaks of "I interviewed for" only then).
_TASK_SQL = f"""
SELECT {_REMINDER.sql}, {_APPLICATION.sql}, {_COMPANY.sql}, {_CONTACT.sql}, {_INTERVIEW.sql},
  EXISTS(SELECT 1 FROM {Draft._meta.db_table} d
    WHERE d.user_id = %(user)s AND d.reminder_id = r.id AND d.send_state <> {_SENT}),
  EXISTS(SELECT 1 FROM {Interview._meta.db_table} pi
    WHERE pi.application_id = r.application_id AND pi.starts_at <= %(now)s)
FROM {Reminder._meta.db_table} r
LEFT JOIN {Application._meta.db_table} a ON a.id = r.application_id
LEFT JOIN {Company._meta.db_table} co ON co.id = a.company_id
LEFT JOIN {Contact._meta.db_table} c ON c.id = r.contact_id
LEFT JOIN {Interview._meta.db_table} i ON i.id = r.interview_id
WHERE r.user_id = %(user)s AND r.id = %(pk)s
"""  # noqa: S608 - only the models' table and column names, a state and placeholders


def task_get(*, user_id: int, pk: int) -> Reminder:
    """The user's task ``pk`` as ``reminders_of`` gives it (its application with the
    company, its contact and interview at hand), with ``has_open_drafts`` (most tasks have
    none, and the task page then need not read them) and ``has_interviewed``. Http404 if the
    user has no such task."""
    if id_or_none(pk) is None:  # a number no row can have (the ORM's lookups find none)
        raise Http404("No such task.")
    params = {
        "user": user_id,
        "pk": pk,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    with planned_cursor() as cursor:
        cursor.execute(_TASK_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such task.")
    reminder, application, company, contact, interview = build_instances(
        row, (_REMINDER, _APPLICATION, _COMPANY, _CONTACT, _INTERVIEW), connection
    )
    reminder.has_open_drafts = bool(row[-2])
    reminder.has_interviewed = bool(row[-1])
    if application is not None:
        application.company = company
    reminder.application = application
    reminder.contact = contact
    reminder.interview = interview
    return reminder
