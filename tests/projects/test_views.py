from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import SelectionStatus
from tests.factories import ProjectFactory, SelectionFactory, SurfaceFactory

pytestmark = pytest.mark.django_db


def test_project_page_shows_rooms_surfaces_selections_and_selected_total(associate_client):
    project = ProjectFactory(project_name="Okafor kitchen")
    floor = SurfaceFactory(room__project=project, room__room_name="Kitchen")
    SelectionFactory(surface=floor, quantity_ordered=Decimal("6"), price_per_unit=Decimal("45.88"))  # 275.28
    SelectionFactory(
        surface=floor,
        quantity_ordered=Decimal("2"),
        price_per_unit=Decimal("10.00"),
        selection_status=SelectionStatus.CONSIDERED,
    )
    response = associate_client.get(reverse("projects:detail", args=[project.pk]))
    html = response.content.decode()
    assert response.context["project"].project_total == Decimal("275.28")
    assert "$275.28" in html
    assert "Kitchen" in html
    assert floor.selections.first().product_id in html


def test_project_page_query_count_is_constant(associate_client, django_assert_max_num_queries):
    project = ProjectFactory()
    SelectionFactory(surface__room__project=project)
    url = reverse("projects:detail", args=[project.pk])
    with django_assert_max_num_queries(10) as few:
        associate_client.get(url)
    for _ in range(5):
        surface = SurfaceFactory(room__project=project)
        SelectionFactory.create_batch(3, surface=surface)
    with django_assert_max_num_queries(len(few.captured_queries)):
        associate_client.get(url)
