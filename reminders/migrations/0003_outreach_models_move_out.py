# Outreach, Draft, MessageTemplate and WebhookEvent now belong to the outreach app (its 0001
# took them over). Only Django's state changes here: the tables and their rows stay.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outreach', '0001_initial'),
        ('reminders', '0002_messagetemplate_webhookevent_draft'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='reminder',
            name='trigger_outreach',
            field=models.ForeignKey(blank=True, help_text='The unanswered outreach that made this task (for a phone call).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='triggered_reminders', to='outreach.outreach'),
        ),
        migrations.DeleteModel(name='Draft'),
        migrations.DeleteModel(name='MessageTemplate'),
        migrations.DeleteModel(name='WebhookEvent'),
        migrations.DeleteModel(name='Outreach'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
