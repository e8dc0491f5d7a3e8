"""conversations/services.py: each phase writes the rows the seed's "Data Collection Integration
Points" name; the close moves the project's status; a closed conversation is a record."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conversations import services
from conversations.models import ConversationLog
from conversations.services import ConversationClosed
from customers.models import Customer
from projects.models import Project
from tests.factories import ConversationFactory, CustomerFactory, ProjectFactory

pytestmark = pytest.mark.django_db

NEW_CUSTOMER = {
    "first_name": "Ana",
    "last_name": "Rivera",
    "phone_primary": "(312) 555-0142",
    "email": None,
    "customer_type": "contractor",
    "pro_account_number": "PRO-4471",
}


def counts():
    return Customer.objects.count(), Project.objects.count(), ConversationLog.objects.count()


def test_start_for_a_new_customer_writes_one_customer_one_project_one_conversation(associate):
    before = counts()
    conversation = services.conversation_start(
        associate=associate,
        customer_data=NEW_CUSTOMER,
        project_data={"installation_method": "contractor", "project_name": "Rivera kitchen"},
    )
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)

    customer = Customer.objects.get()
    # the seed's phase-1 columns
    assert (customer.first_name, customer.last_name, customer.phone_primary, customer.customer_type) == (
        "Ana",
        "Rivera",
        "+13125550142",  # stored as E.164
        "contractor",
    )
    assert customer.pro_account_number == "PRO-4471"
    assert customer.email is None
    project = Project.objects.get()
    assert project.customer_id == customer.pk
    assert project.installation_method == "contractor"
    assert project.sales_associate == associate
    assert project.project_name == "Rivera kitchen"
    assert project.project_status == "inquiry"
    log = ConversationLog.objects.get()
    assert log.pk == conversation.pk
    assert log.project_id == project.pk
    assert log.sales_associate == associate
    assert log.interaction_type == "initial_inquiry"
    assert log.aos_phase == "greeting"
    assert log.closed_at is None
    assert log.outcome is None


def test_start_without_installer_records_unknown(associate):
    conversation = services.conversation_start(associate=associate, customer_data=NEW_CUSTOMER, project_data={})
    assert Project.objects.get(pk=conversation.project_id).installation_method == "unknown"


def test_start_with_an_existing_customer_and_project_writes_only_the_conversation(associate):
    project = ProjectFactory()
    customer = project.customer
    before = counts()
    conversation = services.conversation_start(
        associate=associate, customer=customer, project=project, interaction_type="followup"
    )
    assert counts() == (before[0], before[1], before[2] + 1)
    conversation.refresh_from_db()
    assert conversation.project_id == project.pk
    assert conversation.interaction_type == "followup"
    assert conversation.sales_associate == associate


def test_start_with_an_existing_customer_and_a_new_project(associate):
    customer = CustomerFactory()
    ProjectFactory(customer=customer)
    before = counts()
    conversation = services.conversation_start(
        associate=associate,
        customer=customer,
        project_data={"installation_method": "diy", "project_name": "Basement"},
        interaction_type="followup",
    )
    assert counts() == (before[0], before[1] + 1, before[2] + 1)
    project = Project.objects.get(pk=conversation.project_id)
    assert (project.customer_id, project.installation_method, project.project_name) == (customer.pk, "diy", "Basement")


def test_start_refuses_another_customers_project(associate):
    project = ProjectFactory()
    stranger = CustomerFactory()
    before = counts()
    with pytest.raises(ValidationError):
        services.conversation_start(associate=associate, customer=stranger, project=project)
    assert counts() == before


def test_start_with_invalid_customer_data_writes_nothing(associate):
    before = counts()
    with pytest.raises(ValidationError):
        services.conversation_start(
            associate=associate, customer_data={**NEW_CUSTOMER, "customer_type": "robot"}, project_data={}
        )
    assert counts() == before


@pytest.mark.parametrize(
    ("phase", "stored"),
    [("greeting", "greeting"), ("needs", "needs_assessment"), ("design", "design_details"), ("close", "close")],
)
def test_advance_records_where_the_wizard_stands(phase, stored):
    conversation = ConversationFactory()
    services.conversation_advance(conversation=conversation, phase=phase)
    conversation.refresh_from_db()
    assert conversation.aos_phase == stored
    assert conversation.closed_at is None


def test_advance_to_an_unknown_phase_raises():
    conversation = ConversationFactory()
    with pytest.raises(ValueError):
        services.conversation_advance(conversation=conversation, phase="payment")
    conversation.refresh_from_db()
    assert conversation.aos_phase == "greeting"


def test_greeting_update_changes_customer_project_and_interaction():
    conversation = ConversationFactory()
    services.greeting_update(
        conversation=conversation,
        customer_data={**NEW_CUSTOMER, "first_name": "Anita"},
        project_data={"installation_method": "diy", "project_name": "Hall bath"},
        interaction_type="quote_review",
    )
    conversation.refresh_from_db()
    customer = conversation.project.customer
    assert (customer.first_name, customer.customer_type, customer.pro_account_number) == (
        "Anita",
        "contractor",
        "PRO-4471",
    )
    assert (conversation.project.installation_method, conversation.project.project_name) == ("diy", "Hall bath")
    assert conversation.interaction_type == "quote_review"


# --- the close ---------------------------------------------------------------------------------

SCORES = {
    "aos_score_greeting": 3,
    "aos_score_needs": 4,
    "aos_score_design": 2,
    "aos_score_close": 3,
    "aos_score_objection": 1,
    "aos_score_overall": 3,
}


def close_data(outcome, **extra):
    return {
        "outcome": outcome,
        "conversation_summary": "Wants porcelain for the primary bath.",
        "next_action": "Send quote",
        "next_contact_date": timezone.localdate() + timedelta(days=2),
        **SCORES,
        **extra,
    }


def test_close_sets_outcome_scores_and_closed_at():
    conversation = ConversationFactory(aos_phase="design_details")
    services.conversation_close(conversation=conversation, data=close_data("follow_up_scheduled"))
    conversation.refresh_from_db()
    assert conversation.outcome == "follow_up_scheduled"
    assert conversation.closed_at is not None
    assert conversation.aos_phase == "close"
    assert conversation.conversation_summary == "Wants porcelain for the primary bath."
    assert conversation.next_action == "Send quote"
    assert conversation.next_contact_date == timezone.localdate() + timedelta(days=2)
    assert {name: getattr(conversation, name) for name in SCORES} == SCORES


@pytest.mark.parametrize(
    ("before", "outcome", "after"),
    [
        ("inquiry", "order_placed", "ordered"),
        ("inquiry", "quote_requested", "quoted"),
        ("inquiry", "lost", "cancelled"),
        ("inquiry", "information_gathered", "inquiry"),
        ("inquiry", "follow_up_scheduled", "inquiry"),
        ("quoted", "order_placed", "ordered"),
        ("quoted", "quote_requested", "quoted"),
        ("quoted", "lost", "cancelled"),
        # a project further on is not moved back by a later conversation
        ("ordered", "quote_requested", "ordered"),
        ("ordered", "lost", "ordered"),
        ("in_progress", "quote_requested", "in_progress"),
        ("in_progress", "order_placed", "in_progress"),
        ("completed", "lost", "completed"),
        ("completed", "quote_requested", "completed"),
        # a cancelled project that comes back
        ("cancelled", "order_placed", "ordered"),
        ("cancelled", "quote_requested", "quoted"),
    ],
)
def test_close_moves_the_project_status_forward_only(before, outcome, after):
    conversation = ConversationFactory(project__project_status=before)
    services.conversation_close(conversation=conversation, data=close_data(outcome))
    assert Project.objects.get(pk=conversation.project_id).project_status == after


def test_close_with_a_bad_score_writes_nothing():
    conversation = ConversationFactory()
    with pytest.raises(ValidationError):
        services.conversation_close(conversation=conversation, data=close_data("order_placed", aos_score_close=5))
    fresh = ConversationLog.objects.get(pk=conversation.pk)
    assert (fresh.closed_at, fresh.outcome, fresh.aos_score_close) == (None, None, None)
    assert Project.objects.get(pk=conversation.project_id).project_status == "inquiry"


def test_close_draft_keeps_what_was_typed_without_closing():
    conversation = ConversationFactory(aos_phase="close")
    services.close_draft_save(
        conversation=conversation,
        data={"outcome": "quote_requested", "conversation_summary": "Draft note", "aos_score_needs": 2},
    )
    conversation.refresh_from_db()
    assert (conversation.outcome, conversation.conversation_summary, conversation.aos_score_needs) == (
        "quote_requested",
        "Draft note",
        2,
    )
    assert conversation.closed_at is None
    assert Project.objects.get(pk=conversation.project_id).project_status == "inquiry"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: services.greeting_update(
            conversation=c, customer_data={"first_name": "Changed"}, project_data={}, interaction_type="support"
        ),
        lambda c: services.conversation_advance(conversation=c, phase="needs"),
        lambda c: services.conversation_close(conversation=c, data=close_data("lost")),
        lambda c: services.close_draft_save(conversation=c, data={"conversation_summary": "Changed"}),
    ],
    ids=["greeting_update", "conversation_advance", "conversation_close", "close_draft_save"],
)
def test_a_closed_conversation_refuses_changes(call):
    conversation = ConversationFactory(project__customer__first_name="Ana")
    services.conversation_close(conversation=conversation, data=close_data("quote_requested"))
    closed_at = ConversationLog.objects.get(pk=conversation.pk).closed_at
    with pytest.raises(ConversationClosed):
        call(ConversationLog.objects.select_related("project__customer").get(pk=conversation.pk))
    fresh = ConversationLog.objects.select_related("project__customer").get(pk=conversation.pk)
    assert fresh.closed_at == closed_at
    assert fresh.outcome == "quote_requested"
    assert fresh.aos_phase == "close"
    assert fresh.interaction_type == "initial_inquiry"
    assert fresh.conversation_summary == "Wants porcelain for the primary bath."
    assert fresh.project.customer.first_name == "Ana"
    assert fresh.project.project_status == "quoted"
