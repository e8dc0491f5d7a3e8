from django.db import migrations

from aos_crm.roles import sync_role_permissions


class Migration(migrations.Migration):
    """Managers may bring an archived project back from its page (aos_crm.roles)."""

    dependencies = [
        ("aos_crm", "0002_roles"),
        ("archive", "0003_unarchive_permission"),
    ]

    operations = [migrations.RunPython(sync_role_permissions, migrations.RunPython.noop)]
