# The sweep's claim reads due rows in (notify_at, id) order, 100 at a time.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0006_heartbeat_detail"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                condition=models.Q(("state__in", ["pending", "notified", "snoozed"])),
                fields=["notify_at", "id"],
                name="reminder_due_order_idx",
            ),
        ),
    ]
