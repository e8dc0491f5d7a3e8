import os

import pytest
from django.db import connection

from tests.factories import AssociateFactory, CatalogStaffFactory, ManagerFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """With a streaming replica configured (DATABASE_REPLICA_URL), Django's test setup makes the
    `replica` alias a mirror of the test database on the primary; point it back at the standby,
    which receives the test database from the primary like any other."""
    from django.db import connections

    if "replica" in connections.settings:
        with django_db_blocker.unblock():
            replica = connections["replica"]
            replica.close()
            real = connections.settings["replica"]
            replica.settings_dict = {
                **connections["default"].settings_dict,
                "HOST": real["HOST"],
                "PORT": real["PORT"],
                "USER": real["USER"],
                "PASSWORD": real["PASSWORD"],
            }
    yield


@pytest.fixture(autouse=True)
def _reporting_sources(request, settings):
    """Tests read the score review live and from the primary, where the rows they just made (in a
    transaction that is never committed) are. Tests marked `reporting_view` read the materialized
    view (after refreshing it themselves); tests marked `replica` read from the real standby."""
    if not request.node.get_closest_marker("reporting_view"):
        settings.REPORTING_SOURCE = "live"
    if not request.node.get_closest_marker("replica"):
        settings.REPORTING_USE_REPLICA = False


@pytest.fixture
def replica_db(transactional_db):
    """The streaming replica, for tests marked `replica`: PostgreSQL only; under CI=true a missing
    replica fails instead of skipping."""
    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the replica is a PostgreSQL streaming standby")
    if "replica" not in connections.settings:
        message = "DATABASE_REPLICA_URL is not set: the replica tests need a streaming standby"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return connections["replica"]


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
