"""One draft with what its page shows of it (its application and company, its person, the
task it carries out and its interview), read by one hand-written query: the draft's page
and its actions.

Built with the ORM (five relations joined by ``select_related``), the read cost some 5,000
function calls to assemble, compile and turn back into six model instances, more processor
time than the database takes to answer it. The instances built here are the ORM's own
(``ModelColumns``), so the page reads them as before. Not the timeline entry a sent draft
became: only the page of a sent draft shows it, and joining it doubled PostgreSQL's
planning of every draft's page.
"""

from __future__ import annotations

from django.db import connection
from django.http import Http404

from followup_site.ids import id_or_none
from followup_site.raw_sql import ModelColumns, build_instances, planned_cursor
from interviews.models import Application, Company, Contact, Interview
from outreach.models import Draft

# The task model, without importing the reminders app (this app only links to its tasks).
_Reminder = Draft._meta.get_field("reminder").related_model

_DRAFT = ModelColumns(Draft, "d")
_APPLICATION = ModelColumns(Application, "a")
_COMPANY = ModelColumns(Company, "co")
_CONTACT = ModelColumns(Contact, "c")
_REMINDER = ModelColumns(_Reminder, "r")
_INTERVIEW = ModelColumns(Interview, "i")

_DRAFT_SQL = f"""
SELECT {_DRAFT.sql}, {_APPLICATION.sql}, {_COMPANY.sql}, {_CONTACT.sql}, {_REMINDER.sql},
  {_INTERVIEW.sql}
FROM {Draft._meta.db_table} d
JOIN {Application._meta.db_table} a ON a.id = d.application_id
JOIN {Company._meta.db_table} co ON co.id = a.company_id
JOIN {Contact._meta.db_table} c ON c.id = d.contact_id
LEFT JOIN {_Reminder._meta.db_table} r ON r.id = d.reminder_id
LEFT JOIN {Interview._meta.db_table} i ON i.id = d.interview_id
WHERE d.user_id = %(user)s AND d.id = %(pk)s
"""  # noqa: S608 - only the models' table and column names and placeholders are written in


def draft_get(*, user_id: int, pk: int) -> Draft:
    """The user's draft ``pk`` as the ORM gives it with its relations: its application
    with the company, its contact, task and interview at hand. Http404 if the user has no
    such draft."""
    if id_or_none(pk) is None:  # a number no row can have (the ORM's lookups find none)
        raise Http404("No such draft.")
    with planned_cursor() as cursor:  # planned once per connection
        cursor.execute(_DRAFT_SQL, {"user": user_id, "pk": pk})
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such draft.")
    draft, application, company, contact, reminder, interview = build_instances(
        row, (_DRAFT, _APPLICATION, _COMPANY, _CONTACT, _REMINDER, _INTERVIEW), connection
    )
    application.company = company
    draft.application = application
    draft.contact = contact
    draft.reminder = reminder
    draft.interview = interview
    return draft
