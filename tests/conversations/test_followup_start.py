"""A follow-up starts on the project it is about: every "Start follow-up" link names the project,
the form preselects it, and the new-project fields count only for a new project."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import ConversationLog
from projects.models import Project
from tests.factories import ConversationFactory, CustomerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(associate):
    """A customer with two projects; the follow-up is about the older one (not the first listed)."""
    customer = CustomerFactory(first_name="Fiona", last_name="Follow")
    kitchen = ProjectFactory(customer=customer, project_name="Kitchen backsplash", sales_associate=associate)
    ProjectFactory(customer=customer, project_name="Basement floor", sales_associate=associate)
    return ConversationFactory(
        project=kitchen,
        sales_associate=associate,
        outcome="follow_up_scheduled",
        next_action="Bring the grout samples",
        next_contact_date=timezone.localdate() + timedelta(days=1),
        closed_at=timezone.now(),
    )


def _start_url(conversation):
    customer_id = conversation.project.customer_id
    return reverse("conversations:new_for_customer", args=[customer_id]) + f"?project={conversation.project_id}"


@pytest.mark.parametrize(
    "page",
    [
        lambda c: reverse("reviews:followups"),
        lambda c: reverse("home"),
        lambda c: reverse("customers:detail", args=[c.project.customer_id]),
        lambda c: reverse("conversations:summary", args=[c.pk]),
    ],
    ids=["my follow-ups", "home", "customer", "summary"],
)
def test_every_start_follow_up_link_names_the_project(associate_client, followup, page):
    html = associate_client.get(page(followup)).content.decode()
    assert _start_url(followup).replace("&", "&amp;") in html


def test_the_form_preselects_the_project_the_link_came_from(associate_client, followup):
    html = associate_client.get(_start_url(followup)).content.decode()
    assert f'<option value="{followup.project_id}" selected>' in html
    assert "Who installs (only for a new project)" in html
    assert "Project name (only for a new project)" in html


@pytest.mark.parametrize("bad", ["nonsense", "00000000-0000-0000-0000-000000000000", ""])
def test_an_unknown_project_in_the_link_falls_back_to_the_newest(associate_client, followup, bad):
    customer = followup.project.customer
    newest = customer.projects.order_by("-created_at").first()
    url = reverse("conversations:new_for_customer", args=[customer.pk]) + f"?project={bad}"
    response = associate_client.get(url)
    assert response.status_code == 200
    assert f'<option value="{newest.pk}" selected>' in response.content.decode()


def test_new_project_fields_are_ignored_when_an_existing_project_is_chosen(associate_client, followup):
    customer = followup.project.customer
    response = associate_client.post(
        reverse("conversations:new_for_customer", args=[customer.pk]),
        {
            "project": str(followup.project_id),
            "interaction_type": "followup",
            "installation_method": "diy",
            "project_name": "Typed while the wrong project was showing",
        },
    )
    assert response.status_code == 302
    started = ConversationLog.objects.order_by("-conversation_date").first()
    assert started.project_id == followup.project_id
    assert not Project.objects.filter(project_name="Typed while the wrong project was showing").exists()
    assert Project.objects.get(pk=followup.project_id).installation_method != "diy"
