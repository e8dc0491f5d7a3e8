"""The database itself refuses bad customer rows: every write here bypasses model validation
(`QuerySet.update` or raw SQL), so only the constraints in the schema stand in the way. Each bad
value is paired with the boundary value next to it being accepted, so a constraint that refused
everything would fail as well."""

import pytest
from django.db import IntegrityError, connection, transaction

from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _refused(pk, **values):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Customer.objects.filter(pk=pk).update(**values)
    return str(excinfo.value)


def _accepted(pk, **values):
    assert Customer.objects.filter(pk=pk).update(**values) == 1
    assert Customer.objects.values(*values).get(pk=pk) == values


# (constraint, bad values, good values next to the boundary)
CASES = [
    ("customers_customer_type_valid", {"customer_type": "vip"}, {"customer_type": "builder"}),
    ("customers_customer_type_valid", {"customer_type": "Contractor"}, {"customer_type": "contractor"}),
    (
        "customers_preferred_contact_method_valid",
        {"preferred_contact_method": "fax"},
        {"preferred_contact_method": "text"},
    ),
    (
        "customers_preferred_contact_method_valid",
        {"preferred_contact_method": ""},
        {"preferred_contact_method": None},
    ),
    ("customers_first_name_not_blank", {"first_name": ""}, {"first_name": "A"}),
    ("customers_email_not_blank", {"email": ""}, {"email": "a@example.com"}),
    ("customers_email_not_blank", {"email": ""}, {"email": None}),
]


@pytest.mark.parametrize(("constraint", "bad", "good"), CASES)
def test_check_constraint_refuses_bad_value_and_accepts_boundary(constraint, bad, good):
    customer = CustomerFactory()

    assert constraint in _refused(customer.pk, **bad)

    _accepted(customer.pk, **good)


def test_email_is_unique_ignoring_case():
    CustomerFactory(email="ann@example.com")
    other = CustomerFactory(email="bob@example.com")

    assert "customers_email_ci_unique" in _refused(other.pk, email="Ann@Example.com")
    assert "customers_email_ci_unique" in _refused(other.pk, email="ann@example.com")

    _accepted(other.pk, email="ann.b@example.com")


def test_raw_insert_of_duplicate_email_in_other_case_is_refused():
    CustomerFactory(email="Ann@Example.com")
    insert = "INSERT INTO customers (first_name, email, customer_type) VALUES (%s, %s, %s)"

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert, ["Annie", "ann@example.com", "diy_homeowner"])
    assert "customers_email_ci_unique" in str(excinfo.value)

    with connection.cursor() as cursor:
        cursor.execute(insert, ["Annie", "annie@example.com", "diy_homeowner"])
    assert Customer.objects.filter(email__iexact="ann@example.com").count() == 1
    assert Customer.objects.filter(email="annie@example.com").count() == 1


def test_many_customers_may_have_no_email():
    first = CustomerFactory(email=None)
    second = CustomerFactory(email="b@example.com")

    _accepted(second.pk, email=None)

    assert set(Customer.objects.filter(email__isnull=True).values_list("pk", flat=True)) == {first.pk, second.pk}


@pytest.mark.parametrize("column", ["first_name", "customer_type"])
def test_seed_not_null_columns_refuse_null(column):
    customer = CustomerFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(**{column: None})

    customer.refresh_from_db()
    assert getattr(customer, column)


def test_every_customer_constraint_is_covered():
    covered = {case[0] for case in CASES} | {"customers_email_ci_unique"}

    assert {constraint.name for constraint in Customer._meta.constraints} == covered
