"""The open applications a reminder can be about, as the new-task form's select offers them,
in a hand-written query.

Built with the ORM (``selectors.open_applications``), the select's 150-odd options cost an
Application and a Company instance each, and the joined read's compilation: some 2 ms of
processor time for a query the database answers in a fraction of that. The options need only
an application's id and name (its ``__str__``: "role at company"). Runs on PostgreSQL and
SQLite alike; the form still validates a posted choice against ``open_applications``.
"""

from __future__ import annotations

from django.db import connection

from interviews.models import Application, Company

# The order of selectors.open_applications.
_OPEN_APPLICATIONS_SQL = f"""
SELECT a.id, a.role, co.name
FROM {Application._meta.db_table} a
JOIN {Company._meta.db_table} co ON co.id = a.company_id
WHERE a.user_id = %(user)s AND a.stage <> %(closed)s
ORDER BY co.name, a.role, a.id
"""  # noqa: S608 - only the models' table names and placeholders are written in


def open_application_choices(*, user_id: int) -> list[tuple[int, str]]:
    """(id, name) of each of the user's open applications, named as ``Application.__str__``
    names them, in ``selectors.open_applications``' order."""
    params = {"user": user_id, "closed": Application.Stage.CLOSED}
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_APPLICATIONS_SQL, params)
        return [(pk, f"{role} at {company}") for pk, role, company in cursor.fetchall()]
