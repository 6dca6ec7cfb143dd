from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        # Reminders are what the mail backend is for: refuse to start one that cannot send.
        import followup_site.checks  # noqa: F401 - registers the system checks
        from followup_site.pg_datetimes import fast_loader_use

        # Timestamps read faster from PostgreSQL (project-wide, like the checks).
        connection_created.connect(fast_loader_use, dispatch_uid="followup_site.pg_datetimes")

        # The apps below this one ask for a re-plan through their signals; listen to them.
        from reminders import listeners

        listeners.connect()

        # What this app keeps for a user, for the data export and account deletion.
        from accounts import user_data
        from reminders.feeds import calendar_export_ics
        from reminders.models import Reminder, UsedActionLink
        from reminders.services.digest import digest_mark_delete

        user_data.owned_model_register(Reminder, owner="user")
        user_data.owned_model_register(UsedActionLink, owner="reminder__user")
        user_data.export_file_register(
            name="calendar.ics",
            description="Your interviews as events and your tasks as to-dos, for a calendar.",
            write=calendar_export_ics,
        )
        user_data.deletion_cleanup_register("reminders.digest_mark", digest_mark_delete)
