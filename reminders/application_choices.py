"""The open applications a reminder can be about, as the new-task form's select offers them,
in a hand-written query.

Built with the ORM (``selectors.open_applications``), the select's 150-odd options cost an
Application and a Company instance each, and the joined read's compilation: some 2 ms of
processor time for a query the database answers in a fraction of that. The options need only
an application's id and name (its ``__str__``: "role at company"). Runs on PostgreSQL and
SQLite alike; the form still validates a posted choice against ``open_applications``.
"""

from __future__ import annotations

from followup_site.raw_sql import constants, planned_cursor
from interviews.models import Application, Company

# The order of selectors.open_applications; the closed stage written in as a constant (see
# planned_cursor).
_OPEN_APPLICATIONS_SQL = f"""
SELECT a.id, a.role, co.name
FROM {Application._meta.db_table} a
JOIN {Company._meta.db_table} co ON co.id = a.company_id
WHERE a.user_id = %(user)s AND a.stage <> {constants([Application.Stage.CLOSED])}
ORDER BY co.name, a.role, a.id
"""  # noqa: S608 - only the models' table names, a stage and placeholders


def open_application_choices(*, user_id: int) -> list[tuple[int, str]]:
    """(id, name) of each of the user's open applications, named as ``Application.__str__``
    names them, in ``selectors.open_applications``' order."""
    with planned_cursor() as cursor:
        cursor.execute(_OPEN_APPLICATIONS_SQL, {"user": user_id})
        return [(pk, f"{role} at {company}") for pk, role, company in cursor.fetchall()]
