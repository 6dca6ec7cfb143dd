"""A job search told day by day: the clock moves, beat's jobs run, every email is kept.

``Story.until(moment)`` moves the frozen clock forward as beat would: at each moment when
something is due (a reminder's notify time, an interview's end) it runs the jobs beat runs
every minute (interviews that ended, the sweep, the digest) and keeps the emails they send.
Skipping the idle minutes in between changes nothing: every job reads what is due from the
database. The scenario tests then assert the whole timeline of emails, with names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.db.models import Min

from interviews.models import Interview
from reminders.models import Reminder
from reminders.services.digest import digest_run
from reminders.services.plan_apply import interviews_ended_replan
from reminders.services.sweep import DUE_STATES, sweep_run

# Beat's period: a job runs at most this long after its moment.
TICK = timedelta(minutes=1)


@dataclass
class Sent:
    at: datetime
    subject: str
    body: str

    def local(self, zone: ZoneInfo) -> str:
        return f"{self.at.astimezone(zone):%a %d %b %H:%M}"


@dataclass
class Story:
    start: datetime
    sent: list[Sent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._traveller = time_machine.travel(self.start, tick=False)
        self._clock = self._traveller.start()
        self.now = self.start
        mail.outbox.clear()

    def close(self) -> None:
        self._traveller.stop()

    def _next_moment(self) -> datetime | None:
        notify = Reminder.objects.filter(state__in=DUE_STATES, notify_at__isnull=False).aggregate(
            at=Min("notify_at")
        )["at"]
        ending = Interview.objects.filter(ends_at__gt=self.now - TICK).aggregate(at=Min("ends_at"))[
            "at"
        ]
        moments = [m for m in (notify, ending) if m is not None]
        return min(moments, default=None)

    def _tick(self) -> None:
        interviews_ended_replan(now=self.now)
        sweep_run(now=self.now)
        digest_run(now=self.now)
        for message in mail.outbox:
            self.sent.append(Sent(at=self.now, subject=message.subject, body=message.body))
        mail.outbox.clear()

    def until(self, moment: datetime) -> None:
        """Live up to ``moment``, running beat's jobs whenever something falls due."""
        while True:
            upcoming = self._next_moment()
            if upcoming is None or upcoming > moment:
                break
            # The first tick at or after the moment; never backwards.
            self.now = max(self.now + TICK, upcoming)
            self._clock.move_to(self.now)
            self._tick()
        self.now = max(self.now, moment)
        self._clock.move_to(self.now)

    def timeline(self, zone: ZoneInfo) -> list[str]:
        return [f"{s.local(zone)} | {s.subject}" for s in self.sent]
