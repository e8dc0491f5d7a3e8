"""conversations/forms.py: phase 1's customer form (duplicate email any case, pro accounts, a way to
follow up), the returning-customer form, and phase 4's close form (next step, dates, scores 1–4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.forms import CloseForm, CustomerForm, GreetingProjectForm, ReturningCustomerForm
from tests.factories import ConversationFactory, CustomerFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SCORE_MESSAGE = "Scores run from 1 to 4."


def today():
    return timezone.localdate()


# --- CustomerForm ------------------------------------------------------------------------------


def customer_form(instance=None, **fields):
    data = {
        "first_name": "Ana",
        "last_name": "Rivera",
        "phone_primary": "(312) 555-0142",
        "email": "",
        "customer_type": "diy_homeowner",
    }
    data.update(fields)
    return CustomerForm(data=data, instance=instance)


@pytest.mark.parametrize(
    "typed", ["ana.rivera@example.com", "ANA.RIVERA@EXAMPLE.COM", "Ana.Rivera@Example.com", " ana.rivera@example.com "]
)
def test_duplicate_email_any_case_is_refused_with_the_other_customer_named(typed):
    CustomerFactory(first_name="Ana", last_name="Rivera", email="ana.rivera@example.com")
    form = customer_form(email=typed)
    assert not form.is_valid()
    assert form.errors["email"] == ["Ana Rivera already has this email. Use that customer instead."]


def test_a_customer_keeps_their_own_email_when_edited():
    customer = CustomerFactory(email="ana.rivera@example.com")
    form = customer_form(instance=customer, email="ANA.Rivera@example.com")
    assert form.is_valid(), form.errors


def test_blank_email_is_stored_as_none_so_many_customers_may_have_none():
    CustomerFactory(email=None)
    form = customer_form(email="")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] is None


@pytest.mark.parametrize(
    ("customer_type", "ok"),
    [("contractor", True), ("designer", True), ("builder", True), ("diy_homeowner", False)],
)
def test_pro_account_only_for_trade_types(customer_type, ok):
    form = customer_form(customer_type=customer_type, pro_account_number="PRO-4471")
    assert form.is_valid() is ok
    if not ok:
        assert form.errors["pro_account_number"] == ["Only contractors, designers and builders hold a pro account."]


@pytest.mark.parametrize("customer_type", ["contractor", "diy_homeowner"])
def test_no_pro_account_is_fine_for_anyone(customer_type):
    assert customer_form(customer_type=customer_type, pro_account_number="").is_valid()


@pytest.mark.parametrize(
    ("phone", "email", "ok"),
    [
        ("(312) 555-0142", "", True),
        ("", "ana@example.com", True),
        ("312.555.0142", "ana@example.com", True),
        ("", "", False),
    ],
)
def test_a_phone_or_an_email_is_required(phone, email, ok):
    form = customer_form(phone_primary=phone, email=email)
    assert form.is_valid() is ok
    if not ok:
        assert form.errors["phone_primary"] == ["Give a phone number or an email so we can follow up."]


@pytest.mark.parametrize("missing", ["first_name", "customer_type"])
def test_first_name_and_customer_type_are_required(missing):
    form = customer_form(**{missing: ""})
    assert not form.is_valid()
    assert missing in form.errors


def test_greeting_project_form_defaults():
    form = GreetingProjectForm()
    assert form["installation_method"].initial == "unknown"
    assert form["interaction_type"].initial == "initial_inquiry"
    assert GreetingProjectForm(data={"installation_method": "diy", "interaction_type": "initial_inquiry"}).is_valid()
    assert not GreetingProjectForm(
        data={"installation_method": "robot", "interaction_type": "initial_inquiry"}
    ).is_valid()


# --- ReturningCustomerForm ---------------------------------------------------------------------


def test_returning_customer_form_offers_the_customers_projects_or_a_new_one():
    customer = CustomerFactory()
    first = ProjectFactory(customer=customer, project_name="Kitchen")
    second = ProjectFactory(customer=customer, project_name="Basement")
    other = ProjectFactory(project_name="Not theirs")
    projects = [second, first]
    form = ReturningCustomerForm(projects=projects)
    values = [value for value, _ in form.fields["project"].choices]
    assert values == ["new", str(second.pk), str(first.pk)]
    assert form["project"].initial == str(second.pk)
    assert form["interaction_type"].initial == "followup"

    base = {"interaction_type": "followup", "installation_method": "unknown"}
    existing = ReturningCustomerForm(data={**base, "project": str(first.pk)}, projects=projects)
    assert existing.is_valid(), existing.errors
    assert existing.cleaned_data["project"] == first
    new = ReturningCustomerForm(data={**base, "project": "new"}, projects=projects)
    assert new.is_valid(), new.errors
    assert new.cleaned_data["project"] is None
    foreign = ReturningCustomerForm(data={**base, "project": str(other.pk)}, projects=projects)
    assert not foreign.is_valid()
    assert "project" in foreign.errors


# --- CloseForm ---------------------------------------------------------------------------------


def close_form(closing=True, **fields):
    conversation = ConversationFactory()
    data = {"outcome": "information_gathered"}
    data.update(fields)
    return CloseForm(data=data, instance=conversation, closing=closing)


def test_follow_up_needs_a_date_and_an_action():
    form = close_form(outcome="follow_up_scheduled")
    assert not form.is_valid()
    assert form.errors["next_contact_date"] == ["A scheduled follow-up needs a date."]
    assert form.errors["next_action"] == ["Say what happens next."]


def test_follow_up_with_date_and_action_is_valid():
    form = close_form(
        outcome="follow_up_scheduled",
        next_action="Call after the contractor measures",
        next_contact_date=(today() + timedelta(days=3)).isoformat(),
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("outcome", ["information_gathered", "quote_requested", "order_placed", "lost"])
def test_other_outcomes_need_no_next_step_to_close(outcome):
    assert close_form(outcome=outcome).is_valid()


@pytest.mark.parametrize("closing", [True, False])
def test_a_next_contact_date_in_the_past_is_refused_even_in_a_draft(closing):
    form = close_form(
        closing=closing,
        outcome="follow_up_scheduled",
        next_action="Call",
        next_contact_date=(today() - timedelta(days=1)).isoformat(),
    )
    assert not form.is_valid()
    assert form.errors["next_contact_date"] == ["The next contact date cannot be in the past."]


def test_today_is_a_valid_next_contact_date():
    form = close_form(outcome="follow_up_scheduled", next_action="Call", next_contact_date=today().isoformat())
    assert form.is_valid(), form.errors


def test_outcome_is_required_only_when_closing():
    assert "outcome" in close_form(outcome="").errors
    draft = close_form(closing=False, outcome="")
    assert draft.is_valid(), draft.errors
    # a draft of a follow-up may still lack its date and action
    assert close_form(closing=False, outcome="follow_up_scheduled").is_valid()


@pytest.mark.parametrize("field", ["aos_score_greeting", "aos_score_close", "aos_score_overall"])
@pytest.mark.parametrize("typed", ["5", "0", "-1", "abc", "3.5"])
def test_a_score_outside_1_to_4_is_refused(field, typed):
    form = close_form(**{field: typed})
    assert not form.is_valid()
    assert form.errors[field] == [SCORE_MESSAGE]


def test_scores_1_to_4_are_integers_and_blank_is_none():
    fields = {
        "aos_score_greeting": "1",
        "aos_score_needs": "2",
        "aos_score_design": "3",
        "aos_score_close": "4",
        "aos_score_objection": "",
    }
    form = close_form(**fields)
    assert form.is_valid(), form.errors
    assert [form.cleaned_data[name] for name in fields] == [1, 2, 3, 4, None]
    assert form.cleaned_data["aos_score_overall"] is None
