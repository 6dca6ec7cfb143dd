from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        # The apps below this one ask for a re-plan through their signals; listen to them.
        from reminders import listeners

        listeners.connect()
