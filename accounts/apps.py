from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Every failed authentication, from any form, counts against the client address.
        from django.contrib.auth.signals import user_login_failed

        from accounts.throttle import on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="accounts.login_failed")
        self._register_user_data()

    def _register_user_data(self) -> None:
        """What accounts keeps for a user, for the data export and account deletion."""
        from django.contrib.admin.models import LogEntry

        from accounts import user_data
        from accounts.account_deletion import (
            admin_log_delete,
            login_records_delete,
            sessions_delete,
        )
        from accounts.models import DataExport, User

        user_data.owned_model_register(
            User, owner="", secret_fields=("password", "calendar_token", "inbound_token")
        )
        user_data.excluded_model_register(
            DataExport, reason="the exports themselves: each is a copy of the rest"
        )
        user_data.excluded_model_register(
            LogEntry, reason="the admin's record of what staff did, not the user's data"
        )
        user_data.deletion_cleanup_register("accounts.login_records", login_records_delete)
        user_data.deletion_cleanup_register("accounts.sessions", sessions_delete)
        user_data.deletion_cleanup_register("accounts.admin_log", admin_log_delete)
