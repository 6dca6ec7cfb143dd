# Rule-made tasks no longer store their title as an English sentence: it is rendered from the
# kind and the contact when shown (reminders.titles). The column keeps the user's own words
# for the tasks they add themselves; for the others it is emptied. No row is removed.

from django.db import migrations, models


def clear_rule_made_titles(apps, schema_editor):
    Reminder = apps.get_model("reminders", "Reminder")
    Reminder.objects.using(schema_editor.connection.alias).exclude(kind="custom").update(
        custom_title=""
    )


class Migration(migrations.Migration):

    dependencies = [
        ('reminders', '0003_outreach_models_move_out'),
    ]

    operations = [
        migrations.RenameField(model_name='reminder', old_name='title', new_name='custom_title'),
        migrations.AlterField(
            model_name='reminder',
            name='custom_title',
            field=models.CharField(blank=True, help_text="The user's own words; rule-made tasks leave it empty.", max_length=300),
        ),
        # Going back, the emptied titles stay empty: the rendered ones are not stored.
        migrations.RunPython(clear_rule_made_titles, migrations.RunPython.noop),
    ]
