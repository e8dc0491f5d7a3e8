"""The customer search benchmark's smoke test: a few hundred customers, one run; the million-row
run is a command (docs/performance.md), never a test."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.bench
def test_bench_seeds_bench_customers_tops_them_up_and_explains_each_search(postgres_only):
    out = io.StringIO()
    call_command("bench_customer_search", customers=300, runs=1, seed_only=True, stdout=out)
    assert Customer.objects.count() == 300
    assert not Customer.objects.exclude(email__endswith="@search.bench.example.com").exclude(email=None).exists()
    assert Customer.objects.filter(email=None).count() == 30  # one in ten has none
    assert Customer.objects.filter(phone_digits__contains="555").count() == 300
    call_command("bench_customer_search", customers=400, runs=1, query=["Ann Lee", "555"], stdout=out)
    text = out.getvalue()
    assert Customer.objects.count() == 400 and "400 customers" in text
    assert "=== q='Ann Lee'" in text and "=== q='555'" in text
    assert re.search(r"GET /customers/\?q=: median [\d.]+ ms", text)
    assert re.search(r"GET customer search partial: median [\d.]+ ms", text)
    assert text.count("Execution Time") >= 4  # the list's COUNT and page, the partial's window, twice


def test_bench_refuses_a_database_with_real_customers(db):
    CustomerFactory(email="someone@example.com")
    expected = "not bench data" if connection.vendor == "postgresql" else "PostgreSQL only"
    with pytest.raises(CommandError, match=expected):
        call_command("bench_customer_search", customers=10, stdout=io.StringIO())
