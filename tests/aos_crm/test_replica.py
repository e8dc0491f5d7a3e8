"""The reporting replica for real: a PostgreSQL streaming standby on 127.0.0.1:5433 made with
pg_basebackup -R (`.ci/run` starts it; DATABASE_REPLICA_URL names it). A row written on the primary
is read back from the standby, the score review's queries go there, and a manager who just saved
reads from the primary."""

import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aos_crm import routers
from customers.models import Customer
from tests.factories import AssociateFactory, ConversationFactory, ManagerFactory, ProjectFactory

DATABASES = ["default", "replica"] if "replica" in settings.DATABASES else ["default"]
pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True, databases=DATABASES)]


def _caught_up(replica, timeout=15.0):
    """Wait until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail(f"the standby did not replay up to {target} within {timeout} s")


def _tables(queries) -> str:
    return " ".join(query["sql"] for query in queries.captured_queries)


def test_the_replica_is_a_streaming_standby_of_the_primary(replica_db):
    with replica_db.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        in_recovery, port = cursor.fetchone()
    assert in_recovery is True
    assert str(port) == str(settings.DATABASES["replica"]["PORT"])
    assert str(port) != str(connections["default"].settings_dict["PORT"]), "a second server, not the primary"
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
        assert cursor.fetchone()[0] >= 1


def test_a_row_written_on_the_primary_is_read_back_from_the_replica(replica_db):
    customer = Customer.objects.create(first_name="Replica", last_name="Reader", customer_type="diy_homeowner")
    _caught_up(replica_db)
    copy = Customer.objects.using("replica").get(pk=customer.pk)
    assert (copy.first_name, copy.last_name) == ("Replica", "Reader")


def test_the_score_review_reads_from_the_replica(replica_db):
    associate = AssociateFactory(username="replica-associate", first_name="Rory", last_name="Replica")
    manager = ManagerFactory(username="replica-manager")
    conversation = ConversationFactory(
        project=ProjectFactory(sales_associate=associate),
        sales_associate=associate,
        conversation_date=timezone.now(),
        outcome="order_placed",
        aos_score_overall=4,
    )
    client = Client()
    client.force_login(manager)
    _caught_up(replica_db)
    for url in ("/reviews/team/", "/reviews/team.csv", f"/reviews/associates/{associate.pk}/"):
        with (
            CaptureQueriesContext(replica_db) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.get(url)
        assert response.status_code == 200, url
        assert "conversation_log" in _tables(on_replica), url
        assert "conversation_log" not in _tables(on_primary), url
        assert "Rory" in response.content.decode(), url
    page = client.get(f"/reviews/associates/{associate.pk}/")
    assert [entry["conversation"].pk for entry in page.context["entries"]] == [conversation.pk]


def test_a_manager_who_just_saved_reads_from_the_primary(replica_db):
    associate = AssociateFactory(username="replica-associate2", first_name="Rene", last_name="Replica")
    manager = ManagerFactory(username="replica-manager2")
    conversation = ConversationFactory(
        project=ProjectFactory(sales_associate=associate), sales_associate=associate, conversation_date=timezone.now()
    )
    client = Client()
    client.force_login(manager)
    response = client.post(f"/reviews/conversations/{conversation.pk}/score/", {"aos_score_overall": "3"})
    assert response.status_code == 302
    assert routers.COOKIE in response.cookies
    with (
        CaptureQueriesContext(replica_db) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = client.get(f"/reviews/associates/{associate.pk}/")
    assert "conversation_log" in _tables(on_primary)
    assert "conversation_log" not in _tables(on_replica)
    assert page.context["row"].current.averages["overall"] == 3
