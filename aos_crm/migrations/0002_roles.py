from django.db import migrations

from aos_crm.roles import sync_role_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("aos_crm", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0001_initial"),
        ("projects", "0001_initial"),
        ("conversations", "0001_initial"),
        ("quotes", "0001_initial"),
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_permissions, migrations.RunPython.noop)]
