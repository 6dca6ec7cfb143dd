"""The drafts page's rows, read by one hand-written query into small row objects.

Built with the ORM (``open_drafts_of`` with ``only``: three model instances a draft, each
through ``Model.from_db``), the read of a busy user's 50 open drafts cost some 8,000 function
calls, most of the page's time; ``{% draft_rows %}`` reads nothing of a draft but what a row
shows, which is all these rows hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from followup_site.raw_sql import constants, planned_cursor, utc_moment
from interviews.models import Application, Company, Contact
from outreach.models import Draft


@dataclass(frozen=True, slots=True)
class CompanyName:
    name: str


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    pk: int
    role: str
    company: CompanyName


@dataclass(frozen=True, slots=True)
class ContactRow:
    name: str
    email: str


@dataclass(frozen=True)
class DraftRow:
    """What a list row shows of an open draft, under the model's names."""

    pk: int
    occasion: str
    subject: str
    body: str
    send_state: str
    send_error: str
    send_started_at: datetime | None
    updated_at: datetime
    application: ApplicationRow
    contact: ContactRow

    # Whether a send's outcome is unknown: the model's own rule, which reads these.
    SendState = Draft.SendState
    SEND_INTERRUPTED_AFTER = Draft.SEND_INTERRUPTED_AFTER
    is_interrupted = Draft.is_interrupted


# Open means anything but sent, last saved first, as ``selectors.open_drafts_of``. Prepared
# (planned once per connection, followup_site.raw_sql.planned_cursor): the state a constant.
_OPEN_DRAFTS_SQL = f"""
SELECT d.id, d.occasion, d.subject, d.body, d.send_state, d.send_error, d.send_started_at,
  d.updated_at, a.id, a.role, co.name, c.name, c.email
FROM {Draft._meta.db_table} d
JOIN {Application._meta.db_table} a ON a.id = d.application_id
JOIN {Company._meta.db_table} co ON co.id = a.company_id
JOIN {Contact._meta.db_table} c ON c.id = d.contact_id
WHERE d.user_id = %(user)s AND d.send_state <> {constants([Draft.SendState.SENT])}
ORDER BY d.updated_at DESC, d.id DESC
"""  # noqa: S608 - only the models' table and column names and placeholders are written in


def open_draft_rows(*, user_id: int) -> list[DraftRow]:
    """The user's open drafts as ``open_drafts_of`` orders them, each with what its row
    shows of its application, company and contact."""
    with planned_cursor() as cursor:
        cursor.execute(_OPEN_DRAFTS_SQL, {"user": user_id})
        rows = cursor.fetchall()
    return [
        DraftRow(
            pk,
            occasion,
            subject,
            body,
            send_state,
            send_error,
            utc_moment(send_started_at),
            utc_moment(updated_at),
            ApplicationRow(application_pk, role, CompanyName(company)),
            ContactRow(contact, email),
        )
        for (
            pk,
            occasion,
            subject,
            body,
            send_state,
            send_error,
            send_started_at,
            updated_at,
            application_pk,
            role,
            company,
            contact,
            email,
        ) in rows
    ]
