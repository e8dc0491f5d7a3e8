from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import Outcome
from tests.factories import ConversationFactory, CustomerFactory, ProductFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_every_page_needs_a_login(client):
    for url in (reverse("home"), reverse("customers:list"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_login_page_logs_a_user_in(client, associate):
    page = client.get(reverse("login"))
    assert b"Log in to AOS CRM" in page.content
    response = client.post(reverse("login"), {"username": "associate", "password": "test-pass-123"}, follow=True)
    assert response.context["user"] == associate
    assert b"Avery Associate" in response.content


def test_login_refuses_a_wrong_password_with_a_message(client, associate):
    response = client.post(reverse("login"), {"username": "associate", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="associate"' in response.content


def test_logout_ends_the_session(associate_client):
    response = associate_client.post(reverse("logout"))
    assert response.status_code == 302
    assert associate_client.get(reverse("home")).status_code == 302


def test_healthz_answers_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.json() == {"status": "ok"}


def test_associate_home_shows_own_open_conversations_and_followups(associate_client, associate, associate2):
    today = timezone.localdate()
    mine_open = ConversationFactory(sales_associate=associate, project__customer__first_name="Olive", closed_at=None)
    ConversationFactory(sales_associate=associate2, project__customer__first_name="Theo", closed_at=None)
    overdue = ConversationFactory(
        sales_associate=associate,
        closed_at=timezone.now(),
        outcome=Outcome.FOLLOW_UP_SCHEDULED,
        next_action="Call about grout color",
        next_contact_date=today - timedelta(days=2),
        project__customer__first_name="Priya",
    )
    ConversationFactory(
        sales_associate=associate,
        closed_at=timezone.now(),
        outcome=Outcome.FOLLOW_UP_SCHEDULED,
        next_contact_date=today,
    )
    # A follow-up answered by a later conversation on the same project leaves the queue.
    answered = ConversationFactory(
        sales_associate=associate,
        closed_at=timezone.now(),
        outcome=Outcome.FOLLOW_UP_SCHEDULED,
        next_contact_date=today + timedelta(days=3),
        conversation_date=timezone.now() - timedelta(days=5),
    )
    ConversationFactory(project=answered.project, sales_associate=associate, closed_at=timezone.now())

    response = associate_client.get(reverse("home"))
    html = response.content.decode()
    assert response.context["followup_counts"] == {"overdue": 1, "due_today": 1, "upcoming": 0}
    assert list(response.context["open_conversations"]) == [mine_open]
    assert mine_open.project.customer.full_name in html
    assert overdue.project.customer.full_name in html
    assert "Call about grout color" in html
    assert "Catalog upkeep" not in html


def test_catalog_staff_home_shows_catalog_upkeep_not_the_sales_floor(catalog_client):
    ProductFactory(in_stock=False)
    ProductFactory(discontinued=True)
    response = catalog_client.get(reverse("home"))
    html = response.content.decode()
    assert "Catalog upkeep" in html
    assert "2 products · 1 out of stock" in html
    assert "My open conversations" not in html
    assert reverse("admin:catalog_productcatalog_changelist") in html


def test_home_query_count_is_constant(associate_client, associate, django_assert_max_num_queries):
    for _ in range(3):
        ConversationFactory(sales_associate=associate, closed_at=None)
    with django_assert_max_num_queries(9) as small:
        associate_client.get(reverse("home"))
    for _ in range(15):
        ConversationFactory(sales_associate=associate, closed_at=None)
        CustomerFactory()
        ProjectFactory(sales_associate=associate)
    with django_assert_max_num_queries(len(small.captured_queries)):
        associate_client.get(reverse("home"))
