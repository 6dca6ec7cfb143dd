"""The rows of the contacts list, rendered in Python: a page of fifty as a template loop
was most of the page's time. The same markup from the same fields."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from followup_site.row_urls import id_url_maker
from followup_site.widgets import esc
from interviews.list_query import ContactRow
from interviews.models import Contact


def contact_rows_html(contacts: Iterable[Contact | ContactRow]) -> SafeString:
    """Each contact as a link to its page: name, job title and company, and how many logged
    interviews they sat in (``contact.interview_count``)."""
    url = id_url_maker("interviews:contact_detail")
    rows = []
    for contact in contacts:
        company = contact.company
        about = esc(contact.job_title) if contact.job_title else ""
        if contact.job_title and company is not None:
            about += " · "
        if company is not None:
            about += esc(company.name)
        count = contact.interview_count
        rows.append(
            f'\n  <a href="{esc(url(contact.pk))}" class="list-group-item list-group-item-action '
            'd-flex justify-content-between align-items-start gap-2">\n'
            '    <div class="text-break">\n'
            f'      <div class="fw-semibold">{esc(contact.name)}</div>\n'
            f'      <div class="small text-body-secondary">{about}</div>\n'
            "    </div>\n"
            '    <span class="badge bg-body-secondary text-body border text-nowrap">'
            f"{esc(count)} interview{'' if count == 1 else 's'}</span>\n"
            "  </a>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value in it is escaped by _e
