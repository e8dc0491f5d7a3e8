from django.db import migrations

from aos_crm.roles import sync_role_permissions


class Migration(migrations.Migration):
    """Managers see the login lockouts and unlock them (aos_crm.roles)."""

    dependencies = [
        ("aos_crm", "0002_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_role_permissions, migrations.RunPython.noop)]
