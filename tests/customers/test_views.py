import pytest
from django.urls import reverse

from tests.factories import ConversationFactory, CustomerFactory, ProjectFactory, SurfaceFactory

pytestmark = pytest.mark.django_db


def test_list_shows_customers_and_searches_by_name(associate_client):
    CustomerFactory(first_name="Dana", last_name="Okafor")
    CustomerFactory(first_name="Luis", last_name="Moreno")
    page = associate_client.get(reverse("customers:list"))
    assert "Dana Okafor" in page.content.decode() and "Luis Moreno" in page.content.decode()
    found = associate_client.get(reverse("customers:list"), {"q": "okaf"})
    assert [c.last_name for c in found.context["page"].object_list] == ["Okafor"]


@pytest.mark.parametrize("typed", ["312-555-0199", "(312) 555 0199", "5550199", "555.0199"])
def test_search_finds_a_phone_typed_any_way(associate_client, typed):
    CustomerFactory(last_name="Phoned", phone_primary="(312) 555-0199")
    CustomerFactory(last_name="Other", phone_primary="(312) 555-0100")
    found = associate_client.get(reverse("customers:list"), {"q": typed})
    assert [c.last_name for c in found.context["page"].object_list] == ["Phoned"]


def test_search_by_email_any_case(associate_client):
    CustomerFactory(last_name="Mailer", email="ann.mailer@example.com")
    found = associate_client.get(reverse("customers:list"), {"q": "ANN.MAILER@"})
    assert [c.last_name for c in found.context["page"].object_list] == ["Mailer"]


def test_search_with_no_match_says_so(associate_client):
    response = associate_client.get(reverse("customers:list"), {"q": "<b>nobody</b>"})
    html = response.content.decode()
    assert "No customer matches" in html
    assert "<b>nobody</b>" not in html  # user text is escaped


def test_htmx_search_returns_only_the_results_partial(associate_client):
    CustomerFactory(last_name="Partial")
    response = associate_client.get(
        reverse("customers:list"), {"q": "Partial"}, headers={"HX-Request": "true", "HX-Target": "customer-results"}
    )
    html = response.content.decode()
    assert "Partial" in html
    assert "<html" not in html and "<nav" not in html.split("table")[0]
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


def test_list_query_count_is_constant(associate_client, django_assert_max_num_queries):
    CustomerFactory.create_batch(3)
    with django_assert_max_num_queries(8) as few:
        associate_client.get(reverse("customers:list"))
    CustomerFactory.create_batch(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        associate_client.get(reverse("customers:list"))


def test_detail_shows_projects_with_rooms_and_square_feet(associate_client):
    surface = SurfaceFactory(surface_area_sf="80.00")
    SurfaceFactory(room=surface.room, surface_area_sf="35.50")
    project = surface.room.project
    ConversationFactory(project=project, conversation_summary="Loved the warm gray plank.")
    response = associate_client.get(reverse("customers:detail", args=[project.customer_id]))
    html = response.content.decode()
    row = response.context["projects"][0]
    assert row.distinct_rooms == 1
    assert row.total_sf == pytest.approx(115.5)
    assert project.project_name in html
    assert "Loved the warm gray plank." in html


def test_detail_query_count_is_constant(associate_client, django_assert_max_num_queries):
    project = ProjectFactory()
    ConversationFactory(project=project)
    url = reverse("customers:detail", args=[project.customer_id])
    with django_assert_max_num_queries(10) as few:
        associate_client.get(url)
    for _ in range(6):
        extra = ProjectFactory(customer=project.customer)
        SurfaceFactory(room__project=extra)
        ConversationFactory(project=extra)
    with django_assert_max_num_queries(len(few.captured_queries)):
        associate_client.get(url)


def test_unknown_customer_is_404(associate_client):
    assert associate_client.get("/customers/00000000-0000-0000-0000-000000000000/").status_code == 404
