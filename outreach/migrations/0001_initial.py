# The outreach models move here from the reminders app. Their tables already exist (made by
# reminders 0001 and 0002), so this migration only takes them over in Django's state; 0002
# then renames the tables. No row is copied, so none can be lost.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('interviews', '0001_initial'),
        ('reminders', '0002_messagetemplate_webhookevent_draft'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Outreach',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.CharField(choices=[('out', 'Sent by you'), ('in', 'Reply from them')], max_length=3)),
                ('channel', models.CharField(choices=[('email', 'Email'), ('card', 'Handwritten card'), ('call', 'Phone call'), ('other', 'Other')], max_length=10)),
                ('call_outcome', models.CharField(blank=True, choices=[('reached', 'Reached them'), ('voicemail', 'Left a voicemail'), ('no_answer', 'No answer')], max_length=10)),
                ('subject', models.CharField(blank=True, max_length=300)),
                ('body', models.TextField(blank=True, max_length=20000)),
                ('occurred_at', models.DateTimeField()),
                ('delivery', models.CharField(blank=True, choices=[('', 'Not sent by Followup'), ('sending', 'Sending'), ('sent', 'Sent'), ('uncertain', 'Unknown: please check'), ('failed', 'Failed'), ('delivered', 'Delivered'), ('bounced', 'Bounced'), ('complained', 'Marked as spam')], max_length=12)),
                ('delivery_detail', models.TextField(blank=True)),
                ('esp_message_id', models.CharField(blank=True, db_index=True, max_length=255)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outreaches', to='interviews.application')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='outreaches', to='interviews.contact')),
                ('reminder', models.ForeignKey(blank=True, help_text='The task this outreach carried out.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='outreaches', to='reminders.reminder')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outreaches', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-occurred_at', '-pk'],
                'db_table': 'reminders_outreach',
                'indexes': [models.Index(fields=['application', 'direction', 'occurred_at'], name='reminders_o_applica_3b9d70_idx')],
            },
        ),
        migrations.CreateModel(
            name='MessageTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120)),
                ('occasion', models.CharField(choices=[('thank_you', 'Thank-you'), ('topic_follow_up', 'Follow-up on a topic'), ('answer_repair', 'Repair an answer'), ('check_in', 'Monthly check-in'), ('call_recap', 'Recap after a call'), ('card', 'Handwritten card')], max_length=20)),
                ('subject', models.CharField(blank=True, max_length=300)),
                ('body', models.TextField(max_length=10000)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='message_templates', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['occasion', 'name', 'pk'],
                'db_table': 'reminders_messagetemplate',
            },
        ),
        migrations.CreateModel(
            name='WebhookEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('esp', models.CharField(max_length=40)),
                ('event_id', models.CharField(max_length=255)),
                ('kind', models.CharField(max_length=40)),
                ('received_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'db_table': 'reminders_webhookevent',
                'constraints': [models.UniqueConstraint(fields=('esp', 'event_id'), name='webhook_event_once')],
            },
        ),
        migrations.CreateModel(
            name='Draft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('template_key', models.CharField(blank=True, max_length=40)),
                ('occasion', models.CharField(choices=[('thank_you', 'Thank-you'), ('topic_follow_up', 'Follow-up on a topic'), ('answer_repair', 'Repair an answer'), ('check_in', 'Monthly check-in'), ('call_recap', 'Recap after a call'), ('card', 'Handwritten card')], max_length=20)),
                ('subject', models.CharField(blank=True, max_length=300)),
                ('body', models.TextField(blank=True, max_length=20000)),
                ('send_state', models.CharField(choices=[('idle', 'Not sent'), ('sending', 'Sending'), ('sent', 'Sent'), ('uncertain', 'Unknown: please check your sent mail'), ('failed', 'Failed')], default='idle', max_length=10)),
                ('send_error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='drafts', to='interviews.application')),
                ('contact', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='drafts', to='interviews.contact')),
                ('interview', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='drafts', to='interviews.interview')),
                ('outreach', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='draft', to='outreach.outreach')),
                ('reminder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='drafts', to='reminders.reminder')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='drafts', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-updated_at', '-pk'],
                'db_table': 'reminders_draft',
                'indexes': [models.Index(fields=['user', 'reminder'], name='reminders_d_user_id_e9ec6c_idx')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
