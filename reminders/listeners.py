"""Where the apps below reminders reach the follow-up rules: their signals, received here.

``interviews.replan.application_replan`` re-plans one application at once, inside the
caller's transaction. ``accounts.signals.follow_up_preferences_changed`` re-plans all of a
user's open applications in a Celery task, enqueued when the settings change commits.
"""

from __future__ import annotations

from accounts.signals import follow_up_preferences_changed
from interviews.models import Application
from interviews.replan import application_changed


def on_application_changed(sender, *, application_id: int, **kwargs) -> None:
    from reminders.services.plan_apply import plan_apply

    plan_apply(application=Application(pk=application_id))


def on_preferences_changed(sender, *, user_id: int, **kwargs) -> None:
    from reminders.tasks import replan_user

    replan_user.delay_on_commit(user_id)


def connect() -> None:
    application_changed.connect(on_application_changed, dispatch_uid="reminders.replan")
    follow_up_preferences_changed.connect(
        on_preferences_changed, dispatch_uid="reminders.preferences"
    )
