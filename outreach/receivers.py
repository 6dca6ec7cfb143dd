"""anymail signal receivers: they only hand the event to a service."""

from __future__ import annotations

from outreach.services.webhooks import inbound_receive, tracking_receive


def on_inbound(sender, event, esp_name, **kwargs) -> None:
    inbound_receive(esp=esp_name, event=event)


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    tracking_receive(esp=esp_name, event=event)
