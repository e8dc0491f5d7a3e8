from django.db import migrations

from aos_crm.roles import sync_role_permissions


class Migration(migrations.Migration):
    """Managers see the History panel; catalog staff see a product's history in the admin."""

    dependencies = [
        ("aos_crm", "0002_roles"),
        ("history", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_permissions, migrations.RunPython.noop)]
