"""The outreach timeline as a CSV download: every contact in either direction, oldest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from followup_site.csv_export import csv_download
from outreach.selectors import outreaches_for_export

HEADER = (
    "When",
    "Direction",
    "Purpose",
    "Channel",
    "Company",
    "Role",
    "Person",
    "Person's email",
    "Subject",
    "Message",
    "Call outcome",
    "Delivery",
)


@login_required
@require_GET
def timeline_export(request: HttpRequest) -> StreamingHttpResponse:
    zone = request.user.zone
    rows = (
        (
            outreach.occurred_at.astimezone(zone),
            outreach.get_direction_display(),
            outreach.get_purpose_display(),
            outreach.get_channel_display(),
            outreach.application.company.name,
            outreach.application.role,
            outreach.contact.name if outreach.contact else "",
            outreach.contact.email if outreach.contact else "",
            outreach.subject,
            outreach.body,
            outreach.get_call_outcome_display() if outreach.call_outcome else "",
            outreach.get_delivery_display() if outreach.delivery else "",
        )
        for outreach in outreaches_for_export(user=request.user).iterator(chunk_size=500)
    )
    return csv_download(filename="followup-outreach.csv", header=HEADER, rows=rows)
