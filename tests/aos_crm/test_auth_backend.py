"""The backend answers every permission question as Django's ModelBackend does, from one query for
the user and their permissions, read afresh on every request."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aos_crm import roles
from aos_crm.auth_backend import UserWithPermissionsBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _perm(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


USERS = {
    "no role": {},
    "associate": {"role": roles.ASSOCIATE},
    "manager": {"role": roles.MANAGER},
    "catalog staff": {"role": roles.CATALOG_STAFF, "is_staff": True},
    "own permission only": {"direct": ["catalog.view_productcatalog"]},
    "group and own": {"role": roles.ASSOCIATE, "direct": ["conversations.view_team_scores"]},
    "two groups": {"role": roles.ASSOCIATE, "also": roles.CATALOG_STAFF},
    "inactive manager": {"role": roles.MANAGER, "is_active": False},
    "superuser": {"is_superuser": True, "is_staff": True},
}
PERMS = [
    roles.PERM_SALES,
    roles.PERM_TEAM,
    roles.PERM_CATALOG,
    "conversations.score_conversation",
    "catalog.view_productcatalog",
    "quotes.delete_quote",
]


def _make(spec):
    spec = dict(spec)
    direct = spec.pop("direct", [])
    also = spec.pop("also", None)
    user = UserFactory(**spec)
    user.user_permissions.add(*[_perm(name) for name in direct])
    if also:
        user.groups.add(Group.objects.get(name=also))
    return user


@pytest.mark.parametrize("kind", list(USERS))
def test_every_answer_is_model_backends(kind):
    user = _make(USERS[kind])
    ours = UserWithPermissionsBackend().get_user(user.pk)
    theirs = ModelBackend().get_user(user.pk)
    if not user.is_active:
        assert ours is None and theirs is None
        return
    backend = ModelBackend()
    assert backend.get_user_permissions(ours) == backend.get_user_permissions(theirs)
    assert backend.get_group_permissions(ours) == backend.get_group_permissions(theirs)
    assert backend.get_all_permissions(ours) == backend.get_all_permissions(theirs)
    for perm in PERMS:
        assert ours.has_perm(perm) == theirs.has_perm(perm), perm
    assert ours.has_module_perms("catalog") == theirs.has_module_perms("catalog")


def test_a_missing_user_is_nobody():
    assert UserWithPermissionsBackend().get_user(987654321) is None


def test_permissions_come_with_the_user_in_one_query():
    user = _make(USERS["group and own"])
    with CaptureQueriesContext(connection) as queries:
        loaded = UserWithPermissionsBackend().get_user(user.pk)
        assert loaded.has_perm(roles.PERM_SALES)
        assert loaded.has_perm("conversations.view_team_scores")
        assert not loaded.has_perm(roles.PERM_CATALOG)
    assert len(queries) == 1


def test_a_page_costs_one_query_for_the_user_and_revoking_a_role_counts_at_the_next_request(client):
    user = _make(USERS["associate"])
    client.force_login(user)
    url = reverse("conversations:new")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    permission_reads = [q["sql"] for q in queries if "auth_permission" in q["sql"]]
    assert len(permission_reads) == 1  # inside the user's own query, not one of its own
    assert 'FROM "users" WHERE "users"."id" =' in permission_reads[0]
    user.groups.clear()
    assert client.get(url).status_code == 403
