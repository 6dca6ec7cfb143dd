"""The Celery application: one worker runs tasks, exactly one beat schedules the sweeps."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup_site.settings")

app = Celery("followup")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The whole periodic schedule lives here, so that exactly one beat runs exactly this list.
app.conf.beat_schedule = {
    # Beat records that it is alive; /healthz reads the time of the last tick.
    "beat-heartbeat": {"task": "reminders.tasks.beat_heartbeat", "schedule": 60.0},
    # The sweeps read what is due from the database, so a lost or late tick costs one interval;
    # expiring unconsumed ticks keeps a backlog from piling up while no worker runs.
    "reminders-sweep": {
        "task": "reminders.tasks.sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # An interview logged ahead of time gets its tasks once it has ended.
    "reminders-interviews-ended": {
        "task": "reminders.tasks.interviews_ended",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "reminders-digest": {
        "task": "reminders.tasks.digest_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # A used email-action link is remembered only while its signature could still pass.
    "reminders-used-links-expire": {
        "task": "reminders.tasks.used_links_expire",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
    # Data exports are downloadable for DATA_EXPORT_TTL_HOURS; the download page refuses an
    # expired one at once, and this deletes its file within a quarter of an hour.
    "accounts-data-exports-expire": {
        "task": "accounts.tasks.data_exports_expire_task",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # A spreadsheet import whose message was lost is queued again; uploads nobody finished
    # importing are deleted when they expire.
    "interviews-spreadsheet-imports": {
        "task": "interviews.tasks.spreadsheet_imports_sweep",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
}
