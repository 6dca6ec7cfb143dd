# The tables taken over in 0001 get this app's names, and their indexes names that say what
# they are. Renames keep every row, and the foreign keys that point at the tables.

from django.db import migrations

MOVED = ("outreach", "draft", "messagetemplate", "webhookevent")


def content_types_follow(apps, schema_editor):
    """Permissions and admin history of the moved models now belong to the outreach app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label="outreach", model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label="reminders", model=model).update(
            app_label="outreach"
        )


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label="reminders", model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label="outreach", model=model).update(
            app_label="reminders"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('outreach', '0001_initial'),
        ('reminders', '0003_outreach_models_move_out'),
    ]

    operations = [
        migrations.AlterModelTable(name='outreach', table=None),
        migrations.AlterModelTable(name='draft', table=None),
        migrations.AlterModelTable(name='messagetemplate', table=None),
        migrations.AlterModelTable(name='webhookevent', table=None),
        migrations.RenameIndex(
            model_name='outreach',
            new_name='outreach_app_direction_idx',
            old_name='reminders_o_applica_3b9d70_idx',
        ),
        migrations.RenameIndex(
            model_name='draft',
            new_name='draft_user_task_idx',
            old_name='reminders_d_user_id_e9ec6c_idx',
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
