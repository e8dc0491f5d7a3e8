"""The groups the data migration made, and what each role may reach on the server."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from aos_crm import roles
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_groups_hold_exactly_their_permissions():
    for name, perms in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(perms)


def test_only_managers_see_the_team_and_score():
    associate = UserFactory(role=roles.ASSOCIATE)
    manager = UserFactory(role=roles.MANAGER)
    assert not associate.has_perm(roles.PERM_TEAM)
    assert not associate.has_perm("conversations.score_conversation")
    assert manager.has_perm(roles.PERM_TEAM)
    assert manager.has_perm("conversations.score_conversation")
    assert manager.has_perm(roles.PERM_SALES)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(roles.ASSOCIATE, 200), (roles.MANAGER, 200), (roles.CATALOG_STAFF, 403), (None, 403)],
)
def test_floor_pages_by_role(client, role, expected):
    project = ProjectFactory()
    client.force_login(UserFactory(role=role, is_staff=role == roles.CATALOG_STAFF))
    for url in (
        reverse("customers:list"),
        reverse("customers:detail", args=[project.customer_id]),
        reverse("projects:detail", args=[project.pk]),
    ):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 403:
            assert project.customer.last_name not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "staff", "expected"),
    [(roles.ASSOCIATE, False, 302), (roles.MANAGER, False, 302), (roles.CATALOG_STAFF, True, 200)],
)
def test_admin_is_for_catalog_staff(client, role, staff, expected):
    client.force_login(UserFactory(role=role, is_staff=staff))
    response = client.get(reverse("admin:index"))
    assert response.status_code == expected
