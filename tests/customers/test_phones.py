"""Phones: typed in any format, refused when they cannot be a phone number (with the reason next
to the field and the typing kept), stored as E.164, shown in the national format, found by any
part typed in any format through an indexed column."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from customers import phones
from customers.models import Customer
from tests.conversations.test_views import error_at
from tests.conversations.test_views import typed as typed_value
from tests.factories import CustomerFactory

US = "US"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("312-555-0123", "+13125550123"),
        ("(312) 555 0123", "+13125550123"),
        ("312.555.0123", "+13125550123"),
        ("1-312-555-0123", "+13125550123"),
        ("+1 312 555 0123", "+13125550123"),
        ("  3125550123 ", "+13125550123"),
        ("312-555-0123 ext. 42", "+13125550123;ext=42"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_possible_numbers_are_stored_as_e164(typed, stored):
    assert phones.canonical(typed, US) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ask her husband", "“ask her husband” is not a phone number."),
        ("555-01", "“555-01” is too short for a phone number."),
        ("555-0123", "“555-0123” needs its area code."),
        ("312-555-0123-4567-89", "is too long for a phone number."),
        ("+999 123 456", r"“\+999 123 456” is not a phone number."),
    ],
)
def test_impossible_numbers_are_refused_with_the_reason(typed, message):
    with pytest.raises(phones.PhoneError, match=message):
        phones.canonical(typed, US)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+13125550123", "(312) 555-0123"),
        ("+13125550123;ext=42", "(312) 555-0123 ext. 42"),
        ("+442079460958", "+44 20 7946 0958"),
        ("call after 5", "call after 5"),  # kept from before phones were checked
        (None, ""),
    ],
)
def test_numbers_are_shown_in_the_national_format(stored, shown):
    assert phones.display(stored, US) == shown


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("+1 312 555 0123", "3125550123"), ("1-312-555-0123", "3125550123"), ("555-0123", "5550123"), ("(312", "312")],
)
def test_search_digits_drop_the_home_country_code(typed, digits):
    assert phones.search_digits(typed, US) == digits


def test_a_region_setting_reads_numbers_without_country_code_for_that_country():
    assert phones.canonical("020 7946 0958", "GB") == "+442079460958"
    assert phones.display("+442079460958", "GB") == "020 7946 0958"


@pytest.mark.django_db
def test_the_model_refuses_an_impossible_phone_and_normalizes_a_possible_one():
    customer = CustomerFactory.build(phone_primary="ask her husband", phone_secondary="773.555.0188")
    with pytest.raises(ValidationError) as error:
        customer.full_clean()
    assert error.value.message_dict["phone_primary"] == [
        "“ask her husband” is not a phone number. Type the digits, e.g. (312) 555-0123."
    ]
    assert customer.phone_secondary == "+17735550188"


NEW_CUSTOMER = {
    "first_name": "Nadia",
    "last_name": "Numbers",
    "email": "",
    "customer_type": "diy_homeowner",
    "preferred_contact_method": "phone",
    "installation_method": "diy",
    "interaction_type": "initial_inquiry",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ask her husband", "“ask her husband” is not a phone number. Type the digits, e.g. (312) 555-0123."),
        ("555-01", "“555-01” is too short for a phone number. Type the whole number, e.g. (312) 555-0123."),
    ],
)
def test_the_start_form_refuses_a_bad_only_phone_next_to_the_field_and_keeps_it(associate_client, typed, message):
    response = associate_client.post(reverse("conversations:new"), {**NEW_CUSTOMER, "phone_primary": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert error_at(html, "id_phone_primary") == message
    assert typed_value(html, "id_phone_primary") == typed
    assert not Customer.objects.filter(first_name="Nadia").exists()


@pytest.mark.django_db
def test_a_typed_phone_is_stored_as_e164_and_shown_nationally(associate_client):
    response = associate_client.post(reverse("conversations:new"), {**NEW_CUSTOMER, "phone_primary": "312.555.0177"})
    assert response.status_code == 302
    customer = Customer.objects.get(first_name="Nadia")
    assert customer.phone_primary == "+13125550177"
    page = associate_client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "(312) 555-0177" in page
    assert "+13125550177" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["312-555-0199", "(312) 555 0199", "+1 312 555 0199", "5550199", "555.0199"])
def test_the_customer_search_finds_a_phone_typed_in_any_format(associate_client, typed):
    CustomerFactory(last_name="Phoned", phone_primary="+13125550199")
    CustomerFactory(last_name="Second", phone_primary="+13125550100", phone_secondary="+17735550199")
    CustomerFactory(last_name="Other", phone_primary="+13125550100")
    found = sorted(c.last_name for c in Customer.objects.search(typed))
    assert found == (["Phoned"] if "312" in typed or typed.startswith("+1") else ["Phoned", "Second"])
    html = associate_client.get(reverse("customers:list"), {"q": typed}).content.decode()
    assert "Phoned" in html and "Other" not in html


@pytest.mark.django_db
def test_the_phone_search_uses_the_digits_index_on_postgresql(postgres_only):
    CustomerFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether an index *can* serve it
        # The filter's access path (the pages sort the few matches afterwards).
        sql, params = Customer.objects.search("555-0123").order_by().query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "idx_customers_phone_digits" in plan, plan


@pytest.mark.django_db
def test_a_duplicate_email_gets_one_message_and_the_continue_link(associate_client):
    existing = CustomerFactory(first_name="Dora", last_name="Dupe", email="dora@example.com")
    response = associate_client.post(
        reverse("conversations:new"), {**NEW_CUSTOMER, "email": "DORA@example.com", "phone_primary": "312-555-0111"}
    )
    html = response.content.decode()
    assert html.count("already has this email") == 1
    assert "A customer with this email already exists." not in html
    assert reverse("conversations:new_for_customer", args=[existing.pk]) in html
    assert "continue with this customer" in html
    assert Customer.objects.count() == 1
