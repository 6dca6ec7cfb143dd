from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from anymail.signals import inbound, tracking

        from outreach import receivers

        inbound.connect(receivers.on_inbound, dispatch_uid="outreach.inbound")
        tracking.connect(receivers.on_tracking, dispatch_uid="outreach.tracking")
