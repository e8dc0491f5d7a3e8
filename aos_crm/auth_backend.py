"""The authentication backend: Django's `ModelBackend`, reading the signed-in user's permissions in
the same query as the user.

Every page checks a permission (the views, and the navigation's role flags), and `ModelBackend`
reads them with two queries per request, one for the user's own permissions and one for their
groups'. Here the user's row comes with both lists as two correlated subqueries, so a request costs
one query for the user instead of three, and the permissions are as fresh as before (read on every
request, never cached across requests). Superusers keep Django's own path (they hold every
permission). `tests/aos_crm/test_auth_backend.py` holds the answers equal to `ModelBackend`'s."""

from __future__ import annotations

import json
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models.expressions import RawSQL


@cache
def _subqueries(vendor: str) -> tuple[str, str]:
    """SQL for the user's own and their groups' permissions as "app_label.codename" lists: an array
    on PostgreSQL, a JSON array elsewhere."""
    user_model = get_user_model()
    user_table = user_model._meta.db_table
    user_pk = user_model._meta.pk.column
    permission = Permission._meta.db_table
    content_type = ContentType._meta.db_table
    user_perms = user_model.user_permissions.through._meta
    user_groups = user_model.groups.through._meta
    group_perms = Group.permissions.through._meta

    def column(meta, model):
        return next(f.column for f in meta.fields if getattr(f, "related_model", None) is model)

    name = "ct.app_label || '.' || p.codename"
    base = f"FROM {permission} p JOIN {content_type} ct ON ct.id = p.content_type_id "
    own = (
        f"{base}JOIN {user_perms.db_table} up ON up.{column(user_perms, Permission)} = p.id "
        f"WHERE up.{column(user_perms, user_model)} = {user_table}.{user_pk}"
    )
    grouped = (
        f"{base}JOIN {group_perms.db_table} gp ON gp.{column(group_perms, Permission)} = p.id "
        f"JOIN {user_groups.db_table} ug ON ug.{column(user_groups, Group)} = gp.{column(group_perms, Group)} "
        f"WHERE ug.{column(user_groups, user_model)} = {user_table}.{user_pk}"
    )
    if vendor == "postgresql":
        return f"ARRAY(SELECT {name} {own})", f"ARRAY(SELECT {name} {grouped})"
    return f"(SELECT json_group_array({name}) {own})", f"(SELECT json_group_array({name}) {grouped})"


def _names(value) -> set[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return {name for name in value or () if name}


class UserWithPermissionsBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        manager = user_model._default_manager
        vendor = connections[router.db_for_read(user_model)].vendor
        own, grouped = _subqueries(vendor)
        try:
            # Constant SQL built from the models' table names, no parameters.
            user = manager.annotate(
                _own_perm_names=RawSQL(own, ()),  # noqa: S611
                _group_perm_names=RawSQL(grouped, ()),  # noqa: S611
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:
            # The caches ModelBackend._get_permissions fills on first use, filled from this row.
            user._user_perm_cache = _names(user._own_perm_names)
            user._group_perm_cache = _names(user._group_perm_names)
        return user
