"""Where reads go (aos_crm/routers.py): reporting reads to the replica, everything else and every
read after a write to the primary. The real standby is in test_replica.py; here the decisions."""

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from aos_crm import routers
from customers.models import Customer


@pytest.fixture
def replica_on(monkeypatch):
    monkeypatch.setattr(routers, "replica_in_use", lambda: True)


def _inside_reporting(fn):
    seen = {}

    @routers.reporting_reads
    def view(request):
        seen["db"] = fn()
        return HttpResponse("ok")

    return view, seen


def test_without_a_replica_every_read_goes_to_the_primary():
    view, seen = _inside_reporting(routers.reporting_database)
    view(RequestFactory().get("/"))
    assert seen["db"] == "default"


def test_reporting_views_read_from_the_replica_and_nothing_else_does(replica_on):
    assert routers.ReplicaRouter().db_for_read(Customer) == "default"
    view, seen = _inside_reporting(lambda: routers.ReplicaRouter().db_for_read(Customer))
    middleware = routers.ReadYourWritesMiddleware(view)
    middleware(RequestFactory().get("/reviews/team/"))
    assert seen["db"] == "replica"
    assert routers.ReplicaRouter().db_for_read(Customer) == "default", "only for the view's duration"


def test_after_a_write_the_same_request_reads_from_the_primary(replica_on):
    def write_then_read():
        routers.ReplicaRouter().db_for_write(Customer)
        return routers.ReplicaRouter().db_for_read(Customer)

    view, seen = _inside_reporting(write_then_read)
    response = routers.ReadYourWritesMiddleware(view)(RequestFactory().post("/reviews/"))
    assert seen["db"] == "default"
    until = int(response.cookies[routers.COOKIE].value)
    assert time.time() < until <= time.time() + 5 + 1
    assert response.cookies[routers.COOKIE]["httponly"]


def test_a_browser_that_just_wrote_reads_from_the_primary_for_a_few_seconds(replica_on):
    view, seen = _inside_reporting(routers.reporting_database)
    request = RequestFactory().get("/reviews/team/")
    request.COOKIES[routers.COOKIE] = str(int(time.time()) + 3)
    response = routers.ReadYourWritesMiddleware(view)(request)
    assert seen["db"] == "default"
    assert routers.COOKIE not in response.cookies, "a read does not extend it"
    request.COOKIES[routers.COOKIE] = str(int(time.time()) - 1)  # expired
    routers.ReadYourWritesMiddleware(view)(request)
    assert seen["db"] == "replica"
    request.COOKIES[routers.COOKIE] = "not-a-time"
    routers.ReadYourWritesMiddleware(view)(request)
    assert seen["db"] == "replica"


def test_a_write_in_one_request_does_not_pin_the_next(replica_on):
    view, seen = _inside_reporting(routers.reporting_database)
    routers.ReplicaRouter().db_for_write(Customer)  # e.g. a management command earlier in the thread
    routers.ReadYourWritesMiddleware(view)(RequestFactory().get("/reviews/team/"))
    assert seen["db"] == "replica"


def test_migrations_run_on_the_primary_only():
    router = routers.ReplicaRouter()
    assert router.allow_migrate("default", "customers")
    assert not router.allow_migrate("replica", "customers")
