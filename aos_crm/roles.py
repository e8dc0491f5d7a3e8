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
    MANAGER: [*_SALES_FLOOR, "conversations.view_team_scores", "conversations.score_conversation"],
    CATALOG_STAFF: [
        "catalog.view_productcatalog",
        "catalog.add_productcatalog",
        "catalog.change_productcatalog",
        "catalog.delete_productcatalog",
        "quotes.view_quote",
        "quotes.change_quote",
    ],
}

# Permissions that decide what a user sees on the floor (navigation, home page).
PERM_SALES = "conversations.add_conversationlog"
PERM_TEAM = "conversations.view_team_scores"
PERM_CATALOG = "catalog.change_productcatalog"


def sync_role_permissions(apps, schema_editor=None):
    """Create the groups and give each exactly the permissions listed above."""
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
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
