from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last time a named periodic process ran; beat writes one row every tick."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at.isoformat()}"
