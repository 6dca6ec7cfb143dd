from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Every failed authentication, from any form, counts against the client address.
        from django.contrib.auth.signals import user_login_failed

        from accounts.throttle import on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="accounts.login_failed")
