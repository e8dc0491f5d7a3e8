import pytest
from django.db import connection

from tests.factories import AssociateFactory, CatalogStaffFactory, ManagerFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached catalog reads must not outlive the rows a
    rolled-back test made."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _roles_after_flush(request):
    """Transactional tests flush every table between tests, the migration-made groups included:
    put the groups back before such a test runs."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from django.apps import apps

        from aos_crm.roles import sync_role_permissions

        sync_role_permissions(apps)


@pytest.fixture
def associate(db):
    return AssociateFactory(username="associate", first_name="Avery", last_name="Associate")


@pytest.fixture
def associate2(db):
    return AssociateFactory(username="associate2", first_name="Blake", last_name="Second")


@pytest.fixture
def manager(db):
    return ManagerFactory(username="manager", first_name="Morgan", last_name="Manager")


@pytest.fixture
def catalog_staff(db):
    return CatalogStaffFactory(username="catalog", first_name="Casey", last_name="Catalog")


@pytest.fixture
def associate_client(client, associate):
    client.force_login(associate)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def catalog_client(client, catalog_staff):
    client.force_login(catalog_staff)
    return client


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: this checks the production database")
