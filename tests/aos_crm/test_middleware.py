"""A NUL character anywhere in a query or a form is a 400 page with a clear message, on every
database, and never reaches a view or the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CustomerFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
MESSAGE = "This request held an invisible control character (NUL)"


def _refused(response):
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/conversations/new/", {"q": "\x00"}),
        ("/conversations/new/", {"q": "Smith\x00"}),
        ("/customers/", {"q": "\x00"}),
        ("/conversations/new/duplicate-check/", {"email": "a\x00@example.com", "phone_primary": "312"}),
        ("/reviews/mine/", {"start\x00": "2026-01-01"}),
    ],
)
def test_a_search_holding_nul_is_refused_before_the_database(associate_client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = associate_client.get(url, params)
    _refused(response)
    assert len(queries) == 0


def test_a_form_post_holding_nul_is_refused_and_nothing_saved(associate_client):
    customer = CustomerFactory(first_name="Dana")
    response = associate_client.post("/conversations/new/", {"first_name": "Ro\x00b", "last_name": "Case"})
    _refused(response)
    customer.refresh_from_db()
    assert customer.first_name == "Dana"


def test_an_admin_bulk_action_whose_selection_holds_nul_is_refused(client):
    product = ProductFactory()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/catalog/productcatalog/",
        {"action": "mark_out_of_stock", "_selected_action": [product.sku, "\x00"]},
    )
    _refused(response)


def test_ordinary_requests_pass(associate_client):
    assert associate_client.get("/customers/", {"q": "Smith"}).status_code == 200
