"""A search's order does not depend on how many customers match: a rare word's few matches are
sorted from the matches (`search_ordered`), a common word's are found by walking the ordered
index, and both give the order of `search(q).order_by(...)`. The customers list counts at most
`COUNT_CAP` rows and says when there are more."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import customers.models as customer_models
import customers.views as customer_views
from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

# Last names with a NULL, a tie broken by the first name, and case differences.
PEOPLE = [
    ("Ann", "Orwell"),
    ("Bea", None),
    ("Cid", "orwell"),
    ("Dee", "Aorwell"),
    ("Abe", "Orwell"),
    ("Eve", "Zorwell"),
]
ORDERINGS = [
    ("last_name", "first_name", "customer_id"),
    ("-created_at", "-customer_id"),
    ("-last_name", "first_name", "customer_id"),
]


@pytest.fixture
def people():
    return [
        CustomerFactory(first_name=first, last_name=last, email=f"{first.lower()}.orwell@example.com")
        for first, last in PEOPLE
    ]


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("few", [0, 3, 500], ids=["common word", "more than few", "few"])
def test_the_order_is_the_databases_whichever_way_the_matches_are_found(people, monkeypatch, ordering, few):
    monkeypatch.setattr(customer_models, "FEW_MATCHES", few)
    expected = list(Customer.objects.search("orwell").order_by(*ordering).values_list("first_name", flat=True))
    assert len(expected) == len(PEOPLE)
    found = list(Customer.objects.search_ordered("orwell", *ordering).values_list("first_name", flat=True))
    assert found == expected


def test_few_matches_are_read_by_key_and_sorted_not_walked(people, django_assert_num_queries):
    """Two queries: the matches' keys (at most FEW_MATCHES + 1), then those rows in order by an
    expression no index holds."""
    with django_assert_num_queries(2) as queries:
        rows = list(Customer.objects.search_ordered("Zorwell", "last_name", "first_name"))
    assert [row.first_name for row in rows] == ["Eve"]
    assert "|| '')" in queries.captured_queries[1]["sql"]


def test_many_matches_keep_the_plain_ordered_query(people, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(customer_models, "FEW_MATCHES", 2)
    with django_assert_num_queries(2) as queries:
        list(Customer.objects.search_ordered("orwell", "last_name", "first_name"))
    assert "|| '')" not in queries.captured_queries[1]["sql"]


def test_a_nul_byte_finds_nobody_without_asking_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(Customer.objects.search_ordered("orw\x00ell", "last_name")) == []


@pytest.fixture
def thirty(people):
    """Thirty matches of "orwell": two pages of 25."""
    return people + CustomerFactory.create_batch(24, last_name="Orwellian")


def test_the_customers_list_counts_up_to_the_cap_and_says_there_are_more(associate_client, monkeypatch, thirty):
    monkeypatch.setattr(customer_views, "COUNT_CAP", 26)
    html = associate_client.get(reverse("customers:list"), {"q": "orwell"}).content.decode()
    # 27 counted (the cap + 1) of 30: the first 26 shown on two pages of 25, and "2+".
    assert "Page 1 of 2+" in html
    assert "More than 26 customers match “orwell”" in html
    last = associate_client.get(reverse("customers:list"), {"q": "orwell", "page": 2}).content.decode()
    assert "Page 2 of 2+" in last
    assert len(re.findall(r'href="/customers/[0-9a-f-]{36}/"', last)) == 1  # the 26th, not the 27th


def test_the_capped_count_reads_the_keys_only(associate_client, monkeypatch, thirty):
    """No archive badge (a subquery per customer) is computed for the rows the COUNT reads."""
    monkeypatch.setattr(customer_views, "COUNT_CAP", 26)
    with CaptureQueriesContext(connection) as queries:
        associate_client.get(reverse("customers:list"), {"q": "orwell"})
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "projects" not in counts[0]


def test_the_customers_list_under_the_cap_shows_the_exact_count(associate_client, monkeypatch, thirty):
    monkeypatch.setattr(customer_views, "COUNT_CAP", 30)
    html = associate_client.get(reverse("customers:list"), {"q": "orwell"}).content.decode()
    assert "Page 1 of 2<" in html
    assert 'data-testid="capped"' not in html
