"""The database itself refuses bad quotes. Writes bypass model validation (`QuerySet.update` or a
raw INSERT); each refused value is paired with the boundary value beside it being accepted, and the
error must name the constraint that refused the row."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from quotes.models import Quote
from tests.factories import ProjectFactory, QuoteFactory

pytestmark = pytest.mark.django_db

D = Decimal
QUOTE_DATE = date(2026, 5, 4)


def _refused(pk, **values):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Quote.objects.filter(pk=pk).update(**values)
    return str(excinfo.value)


def _accepted(pk, **values):
    assert Quote.objects.filter(pk=pk).update(**values) == 1
    assert Quote.objects.values(*values).get(pk=pk) == values


def _amounts(subtotal, tax, delivery, total):
    """Quote amounts from strings; None stays None (a missing tax or delivery fee)."""
    return {
        "subtotal": D(subtotal),
        "tax_amount": None if tax is None else D(tax),
        "delivery_fee": None if delivery is None else D(delivery),
        "total_amount": D(total),
    }


# (constraint, bad values, good values at the boundary). Amounts that go negative keep
# total = subtotal + tax + delivery, so only the constraint under test can refuse them.
CASES = [
    ("quotes_quote_status_valid", {"quote_status": "pending"}, {"quote_status": "expired"}),
    ("quotes_quote_status_valid", {"quote_status": ""}, {"quote_status": None}),
    (
        "quotes_subtotal_non_negative",
        _amounts("-10.00", "10.00", "0.00", "0.00"),
        _amounts("0.00", "10.00", "0.00", "10.00"),
    ),
    (
        "quotes_tax_amount_non_negative",
        _amounts("10.00", "-10.00", "0.00", "0.00"),
        _amounts("10.00", "0.00", "0.00", "10.00"),
    ),
    (
        "quotes_delivery_fee_non_negative",
        _amounts("10.00", "0.00", "-10.00", "0.00"),
        _amounts("10.00", "0.00", "0.00", "10.00"),
    ),
    ("quotes_tax_rate_range", {"tax_rate": D("0.2501")}, {"tax_rate": D("0.2500")}),
    ("quotes_tax_rate_range", {"tax_rate": D("-0.0001")}, {"tax_rate": D("0.0000")}),
    (
        "quotes_expiration_after_quote_date",
        {"quote_date": QUOTE_DATE, "expiration_date": QUOTE_DATE - timedelta(days=1)},
        {"quote_date": QUOTE_DATE, "expiration_date": QUOTE_DATE},
    ),
    (
        "quotes_total_is_sum",
        _amounts("275.28", "22.71", "35.00", "333.00"),
        _amounts("275.28", "22.71", "35.00", "332.99"),
    ),
    (
        "quotes_total_is_sum",
        _amounts("275.28", "22.71", "35.00", "332.98"),
        _amounts("275.28", "22.71", "35.00", "332.99"),
    ),
    # Missing tax and delivery count as zero.
    ("quotes_total_is_sum", _amounts("100.00", None, None, "100.01"), _amounts("100.00", None, None, "100.00")),
    # Amounts that are inexact in binary floating point (SQLite) still add up exactly.
    ("quotes_total_is_sum", _amounts("0.10", "0.20", "0.00", "0.31"), _amounts("0.10", "0.20", "0.00", "0.30")),
    (
        "quotes_total_is_sum",
        _amounts("12345678.91", "1018518.51", "150.00", "13364347.43"),
        _amounts("12345678.91", "1018518.51", "150.00", "13364347.42"),
    ),
]


@pytest.mark.parametrize(("constraint", "bad", "good"), CASES)
def test_quote_constraint(constraint, bad, good):
    quote = QuoteFactory()

    assert constraint in _refused(quote.pk, **bad)

    _accepted(quote.pk, **good)


def test_negative_total_is_refused():
    # A negative total with non-negative parts also breaks total = subtotal + tax + delivery, so
    # the two CHECKs overlap and either may be the one the database reports.
    quote = QuoteFactory()

    message = _refused(quote.pk, **_amounts("0.00", "0.00", "0.00", "-0.01"))

    assert "quotes_total_amount_non_negative" in message or "quotes_total_is_sum" in message
    _accepted(quote.pk, **_amounts("0.00", "0.00", "0.00", "0.00"))


def test_quote_number_is_unique():
    QuoteFactory(quote_number="Q-2026-000001")
    other = QuoteFactory(quote_number="Q-2026-000002")

    assert "quote_number" in _refused(other.pk, quote_number="Q-2026-000001")

    _accepted(other.pk, quote_number="Q-2026-000003")


def test_raw_insert_of_a_duplicate_quote_number_is_refused():
    existing = QuoteFactory(quote_number="Q-2026-000001")
    project_id = Quote._meta.get_field("project").target_field.get_db_prep_value(existing.project_id, connection)
    insert = (
        "INSERT INTO quotes (project_id, quote_number, quote_date, subtotal, total_amount, lines)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
    )

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert, [project_id, "Q-2026-000001", QUOTE_DATE, D("1.00"), D("1.00"), "[]"])
    assert "quote_number" in str(excinfo.value)

    with connection.cursor() as cursor:
        cursor.execute(insert, [project_id, "Q-2026-000002", QUOTE_DATE, D("1.00"), D("1.00"), "[]"])
    assert Quote.objects.filter(quote_number__startswith="Q-2026-00000").count() == 2


@pytest.mark.parametrize("column", ["quote_number", "quote_date", "subtotal", "total_amount", "tax_rate"])
def test_not_null_columns_refuse_null(column):
    quote = QuoteFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(**{column: None})

    assert Quote.objects.values_list(column, flat=True).get(pk=quote.pk) is not None


def test_project_foreign_key_refuses_unknown_project():
    # Foreign keys are deferred to commit on both databases; check_constraints forces the check now.
    quote = QuoteFactory()
    other_project = ProjectFactory()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(project_id=uuid.uuid4())
        connection.check_constraints(table_names=["quotes"])
    assert "project_id" in str(excinfo.value)

    _accepted(quote.pk, project_id=other_project.pk)
    connection.check_constraints(table_names=["quotes"])


def test_every_quote_constraint_is_covered():
    covered = {case[0] for case in CASES} | {"quotes_total_amount_non_negative"}
    covered |= {"quotes_one_accepted_per_project"}  # tests/quotes/test_revisions.py

    assert {constraint.name for constraint in Quote._meta.constraints} == covered
