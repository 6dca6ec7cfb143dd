from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from anymail.signals import inbound, tracking

        from reminders import receivers

        inbound.connect(receivers.on_inbound, dispatch_uid="reminders.inbound")
        tracking.connect(receivers.on_tracking, dispatch_uid="reminders.tracking")
