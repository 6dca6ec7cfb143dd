"""An application with its company and its drafts not sent yet, read by one hand-written
query: the application page's own reads, before its interviews, people and panel.

Built with the ORM (``interviews.selectors.application_get``, then
``outreach.selectors.open_drafts_of`` for the application), the two reads cost two round
trips and some 2,000 function calls to assemble, compile and turn back into instances, well
over what the database takes to answer them. The instances built here are the ORM's own
(``ModelColumns``), so the page reads them as before.
"""

from __future__ import annotations

from django.db import connection
from django.http import Http404

from followup_site.ids import id_or_none
from followup_site.raw_sql import ModelColumns, build_instances, constants, planned_cursor
from interviews.models import Application, Company, Contact
from outreach.models import Draft

_APPLICATION = ModelColumns(Application, "a")
_COMPANY = ModelColumns(Company, "co")
_DRAFT = ModelColumns(Draft, "d")
_CONTACT = ModelColumns(Contact, "c")
_DRAFT_START = len(_APPLICATION) + len(_COMPANY)
_SENT = constants([Draft.SendState.SENT])

# A row per open draft (as outreach.selectors.open_drafts_of counts one open: anything but
# sent), last saved first; one row with no draft when there is none. The state is written
# in as a constant (see planned_cursor).
_APPLICATION_SQL = f"""
SELECT {_APPLICATION.sql}, {_COMPANY.sql}, {_DRAFT.sql}, {_CONTACT.sql}
FROM {Application._meta.db_table} a
JOIN {Company._meta.db_table} co ON co.id = a.company_id
LEFT JOIN {Draft._meta.db_table} d
  ON d.application_id = a.id AND d.user_id = %(user)s AND d.send_state <> {_SENT}
LEFT JOIN {Contact._meta.db_table} c ON c.id = d.contact_id
WHERE a.user_id = %(user)s AND a.id = %(pk)s
ORDER BY d.updated_at DESC, d.id DESC
"""  # noqa: S608 - only the models' table and column names, a state and placeholders


def application_with_open_drafts(*, user_id: int, pk: int) -> tuple[Application, list[Draft]]:
    """The user's application ``pk`` with its company, as ``application_get`` gives it, and
    its open drafts with their contact and this application, as ``open_drafts_of`` gives
    them. Http404 if the user has no such application: another user's id is
    indistinguishable from none."""
    if id_or_none(pk) is None:  # a number no row can have (the ORM's lookups find none)
        raise Http404("No such application.")
    params = {"user": user_id, "pk": pk}
    with planned_cursor() as cursor:
        cursor.execute(_APPLICATION_SQL, params)
        rows = cursor.fetchall()
    if not rows:
        raise Http404("No such application.")
    application, company = build_instances(rows[0], (_APPLICATION, _COMPANY), connection)
    application.company = company
    drafts = []
    for row in rows:
        draft, contact = build_instances(row[_DRAFT_START:], (_DRAFT, _CONTACT), connection)
        if draft is not None:  # the row of an application without open drafts
            draft.contact = contact
            draft.application = application
            drafts.append(draft)
    return application, drafts
