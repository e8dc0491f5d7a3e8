import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from projects.models import ProjectStatus, SelectionStatus
from quotes.models import Quote, QuoteStatus
from tests.factories import ProjectFactory, QuoteFactory, SelectionFactory, SurfaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = ProjectFactory(customer__first_name="Priya", customer__last_name="Raman")
    floor = SurfaceFactory(room__project=project, room__room_name="Primary bath")
    SelectionFactory(surface=floor, quantity_ordered=Decimal("6"), price_per_unit=Decimal("45.88"))  # 275.28
    return project


def test_new_quote_page_previews_lines_and_creates_the_quote(associate_client, project):
    page = associate_client.get(reverse("quotes:new", args=[project.pk]))
    assert "$275.28" in page.content.decode()
    response = associate_client.post(
        reverse("quotes:new", args=[project.pk]),
        {"tax_rate": "8.25", "delivery_fee": "75.00", "special_instructions": "Call before delivery."},
        follow=True,
    )
    quote = Quote.objects.get()
    assert quote.tax_rate == Decimal("0.0825")
    assert quote.total_amount == Decimal("275.28") + Decimal("22.71") + Decimal("75.00")
    html = response.content.decode()
    assert f"Quote {quote.quote_number} created." in html
    assert "$372.99" in html
    assert "Call before delivery." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tax_rate": "30", "delivery_fee": "0"}, "The tax rate must be between 0 and 25 %."),
        ({"tax_rate": "8.25", "delivery_fee": "-5"}, "The delivery fee cannot be negative."),
        ({"tax_rate": "abc", "delivery_fee": "0"}, "Enter a number."),
        (
            {"tax_rate": "8", "delivery_fee": "0", "expiration_date": "2020-01-01"},
            "The expiration date cannot be before the quote date (today).",
        ),
    ],
)
def test_bad_quote_input_shows_a_message_and_keeps_the_input(associate_client, project, data, message):
    response = associate_client.post(reverse("quotes:new", args=[project.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{data["delivery_fee"]}"' in html
    assert Quote.objects.count() == 0


def test_a_project_without_selected_products_says_so(associate_client):
    project = ProjectFactory()
    SelectionFactory(surface__room__project=project, selection_status=SelectionStatus.CONSIDERED)
    response = associate_client.post(reverse("quotes:new", args=[project.pk]), {"tax_rate": "8", "delivery_fee": "0"})
    assert "This project has no selected products to quote." in response.content.decode()
    assert Quote.objects.count() == 0


def test_quote_page_shows_the_document_and_moves_through_the_lifecycle(associate_client, project):
    associate_client.post(reverse("quotes:new", args=[project.pk]), {"tax_rate": "0", "delivery_fee": "0"})
    quote = Quote.objects.get()
    page = associate_client.get(reverse("quotes:detail", args=[quote.pk]))
    html = page.content.decode()
    assert quote.quote_number in html and "Priya Raman" in html and "Primary bath" in html
    assert "Mark sent" in html and "Mark accepted" not in html
    response = associate_client.post(reverse("quotes:transition", args=[quote.pk]), {"to": "sent"}, follow=True)
    assert f"Quote {quote.quote_number} marked sent." in response.content.decode()
    project.refresh_from_db()
    assert project.project_status == ProjectStatus.QUOTED
    response = associate_client.post(reverse("quotes:transition", args=[quote.pk]), {"to": "draft"}, follow=True)
    assert "A sent quote cannot be marked draft." in response.content.decode()
    quote.refresh_from_db()
    assert quote.quote_status == QuoteStatus.SENT


def test_pdf_holds_the_number_customer_and_total(associate_client, project):
    associate_client.post(reverse("quotes:new", args=[project.pk]), {"tax_rate": "8.25", "delivery_fee": "75"})
    quote = Quote.objects.get()
    response = associate_client.get(reverse("quotes:pdf", args=[quote.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert quote.quote_number in text
    assert "Priya Raman" in text
    assert "$372.99" in text


def test_catalog_staff_cannot_create_quotes_but_can_view_them(catalog_client, project):
    assert catalog_client.get(reverse("quotes:new", args=[project.pk])).status_code == 403
    quote = QuoteFactory(project=project)
    assert catalog_client.get(reverse("quotes:detail", args=[quote.pk])).status_code == 200


def test_project_page_lists_quotes_newest_first_with_read_status(associate_client, project):
    old = QuoteFactory(project=project, quote_number="Q-2026-000010", expiration_date=None)
    new = QuoteFactory(project=project, quote_number="Q-2026-000011")
    html = associate_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert html.index(new.quote_number) < html.index(old.quote_number)
    assert "New revision" in html


def test_quote_pages_query_counts_are_constant(associate_client, django_assert_max_num_queries):
    project = ProjectFactory()
    surface = SurfaceFactory(room__project=project)
    SelectionFactory(surface=surface)
    url = reverse("quotes:new", args=[project.pk])
    with django_assert_max_num_queries(8) as few:
        associate_client.get(url)
    for _ in range(4):
        SelectionFactory.create_batch(3, surface=SurfaceFactory(room__project=project))
    with django_assert_max_num_queries(len(few.captured_queries)):
        associate_client.get(url)
    quote = QuoteFactory(project=project, lines=[{"sku": "A", "line_total": "1.00"}] * 3)
    with django_assert_max_num_queries(7) as few:
        associate_client.get(reverse("quotes:detail", args=[quote.pk]))
    quote.lines = [{"sku": "A", "line_total": "1.00"}] * 40
    quote.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        associate_client.get(reverse("quotes:detail", args=[quote.pk]))


def test_admin_marks_quotes_sent_through_the_lifecycle(client, project):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    accepted = QuoteFactory(project=ProjectFactory(), quote_status=QuoteStatus.ACCEPTED)
    draft = QuoteFactory(project=project)
    response = client.post(
        reverse("admin:quotes_quote_changelist"),
        {"action": "mark_sent", "_selected_action": [draft.pk, accepted.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 quote(s) marked sent." in html
    assert f"{accepted.quote_number}: This quote is accepted" in html
    draft.refresh_from_db()
    assert draft.quote_status == QuoteStatus.SENT
