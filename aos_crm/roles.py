"""The store's roles as Django groups, and the permissions each one holds.

A data migration applies this table; a later change to a role is a new migration that calls
`sync_role_permissions` again. Views check the permissions, never the group names."""

ASSOCIATE = "Associate"
MANAGER = "Manager"
CATALOG_STAFF = "Catalog staff"

_SALES_FLOOR = [
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "projects.view_project",
    "projects.add_project",
    "projects.change_project",
    "projects.view_projectroom",
    "projects.add_projectroom",
    "projects.change_projectroom",
    "projects.delete_projectroom",
    "projects.view_surface",
    "projects.add_surface",
    "projects.change_surface",
    "projects.delete_surface",
    "projects.view_selectedproduct",
    "projects.add_selectedproduct",
    "projects.change_selectedproduct",
    "projects.delete_selectedproduct",
    "conversations.view_conversationlog",
    "conversations.add_conversationlog",
    "conversations.change_conversationlog",
    "quotes.view_quote",
    "quotes.add_quote",
    "quotes.change_quote",
    "catalog.view_productcatalog",
]

ROLE_PERMISSIONS = {
    ASSOCIATE: _SALES_FLOOR,
    MANAGER: [
        *_SALES_FLOOR,
        "conversations.view_team_scores",
        "conversations.score_conversation",
        "archive.unarchive_project",
        # Login lockouts (django-axes): the list and the Unlock action on /accounts/locked/.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "history.view_history",
    ],
    CATALOG_STAFF: [
        "catalog.view_productcatalog",
        "catalog.add_productcatalog",
        "catalog.change_productcatalog",
        "catalog.delete_productcatalog",
        "quotes.view_quote",
        "quotes.change_quote",
        "history.view_change",
    ],
}

# Permissions that decide what a user sees on the floor (navigation, home page).
PERM_SALES = "conversations.add_conversationlog"
PERM_TEAM = "conversations.view_team_scores"
PERM_CATALOG = "catalog.change_productcatalog"
PERM_UNARCHIVE = "archive.unarchive_project"
PERM_UNLOCK = "axes.delete_accessattempt"
PERM_HISTORY = "history.view_history"


def sync_role_permissions(apps, schema_editor=None):
    """Create the groups and give each exactly the permissions listed above. A permission whose
    model does not exist yet at this point of the migration history (an app added later, such as
    `archive`) is left for that app's own migration, which calls this again; the roles test checks
    that every listed permission is held once all migrations ran."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
