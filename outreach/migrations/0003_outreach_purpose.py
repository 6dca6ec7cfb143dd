# Every outreach now says what it was for. Existing rows get the purpose their history
# shows: a reply, a call, the kind of task it carried out, the occasion of the draft it was
# sent from; a card is a thank-you. What cannot be told stays "other", which starts no call
# clock and counts toward no cap.

from django.db import migrations, models

OCCASION_PURPOSE = {
    "thank_you": "thank_you",
    "card": "thank_you",
    "topic_follow_up": "follow_up",
    "call_recap": "follow_up",
    "answer_repair": "repair",
    "check_in": "check_in",
}
TASK_PURPOSE = {
    "thank_you": "thank_you",
    "follow_up": "follow_up",
    "check_in": "check_in",
    "phone_call": "call",
}


def purposes_infer(apps, schema_editor):
    Outreach = apps.get_model("outreach", "Outreach")
    Draft = apps.get_model("outreach", "Draft")
    db = schema_editor.connection.alias
    occasions = dict(
        Draft.objects.using(db)
        .filter(outreach__isnull=False)
        .values_list("outreach_id", "occasion")
    )
    for outreach in Outreach.objects.using(db).select_related("reminder").iterator():
        if outreach.direction == "in":
            purpose = "reply"
        elif outreach.channel == "call":
            purpose = "call"
        elif outreach.pk in occasions:
            purpose = OCCASION_PURPOSE.get(occasions[outreach.pk], "other")
        elif outreach.reminder is not None:
            purpose = TASK_PURPOSE.get(outreach.reminder.kind, "other")
        elif outreach.channel == "card":
            purpose = "thank_you"
        else:
            purpose = "other"
        if purpose != outreach.purpose:
            Outreach.objects.using(db).filter(pk=outreach.pk).update(purpose=purpose)


class Migration(migrations.Migration):

    dependencies = [
        ('outreach', '0002_rename_tables'),
        ('reminders', '0004_task_titles_rendered'),
    ]

    operations = [
        migrations.AddField(
            model_name='outreach',
            name='purpose',
            field=models.CharField(choices=[('thank_you', 'Thank-you'), ('follow_up', 'Follow-up'), ('repair', 'Repairing an answer'), ('check_in', 'Check-in'), ('call', 'Phone call'), ('reply', 'Reply from them'), ('other', 'Other')], default='other', max_length=10),
        ),
        migrations.RunPython(purposes_infer, migrations.RunPython.noop),
    ]
