"""Sanity checks that warn without blocking: a surface far larger than its room, a line total far
above the usual; and number messages an associate understands instead of Django's."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import estimating
from projects.models import SelectedProduct, Surface
from tests.factories import ConversationFactory, ProductFactory, RoomFactory, SelectionFactory, SurfaceFactory

D = Decimal


@pytest.mark.parametrize(
    ("surface_type", "area", "height", "warns"),
    [
        ("floor", "94.5", None, False),  # 1.5 x 9 x 7 = 94.5
        ("floor", "94.51", None, True),
        ("shower_floor", "200", None, True),
        ("accent_wall", "320", None, False),  # 2 x (9 + 7) x 10 ft assumed height = 320
        ("accent_wall", "320.01", None, True),
        ("backsplash", "257", "8", True),  # 2 x (9 + 7) x 8 = 256
        ("backsplash", "256", "8", False),
        ("accent_wall", "100000", None, True),
        ("exterior_wall", "100000", None, False),  # outside the room: its size says nothing
        ("other", "100000", None, False),
    ],
)
def test_a_surface_far_larger_than_its_room_warns(surface_type, area, height, warns):
    found = estimating.surface_area_warnings(
        surface_type=surface_type,
        area_sf=D(area),
        room_length_ft=D("9"),
        room_width_ft=D("7"),
        room_height_ft=D(height) if height else None,
    )
    assert [w.code for w in found] == (["area_beyond_room"] if warns else [])


def test_a_room_without_dimensions_cannot_be_checked():
    assert estimating.surface_area_warnings(surface_type="floor", area_sf=D("99999"), room_length_ft=None,
                                            room_width_ft=D("7")) == []  # fmt: skip


@pytest.mark.parametrize(("total", "warns"), [("15000.00", False), ("15000.01", True), ("642562.10", True)])
def test_an_unusually_large_line_warns(total, warns):
    codes = [w.code for w in estimating.warnings_for(line_total=D(total))]
    assert codes == (["large_line_total"] if warns else [])


@pytest.fixture
def laundry(db):
    conversation = ConversationFactory()
    room = RoomFactory(project=conversation.project, room_name="Laundry", room_length_ft=D("9"), room_width_ft=D("7"))
    wall = SurfaceFactory(room=room, surface_type="accent_wall", surface_area_sf=D("100000"), length_ft=None)
    tile = ProductFactory(sku="ACC-WALL", coverage_per_box=D("15.50"), price_retail=D("45.88"), price_pro=None)
    SelectionFactory(surface=wall, product=tile, quantity_ordered=D("7097"), price_per_unit=D("45.88"))
    return conversation, room, wall


def _codes(html):
    return set(re.findall(r'data-code="([a-z_]+)"', html))


def test_the_reported_accent_wall_warns_on_every_page(associate_client, laundry):
    conversation, _, _ = laundry
    needs = associate_client.get(reverse("conversations:phase", args=[conversation.pk, "needs"])).content.decode()
    design = associate_client.get(reverse("conversations:phase", args=[conversation.pk, "design"])).content.decode()
    summary = associate_client.get(reverse("conversations:summary", args=[conversation.pk])).content.decode()
    assert "area_beyond_room" in _codes(needs)
    assert {"area_beyond_room", "large_line_total"} <= _codes(design)
    assert {"area_beyond_room", "large_line_total"} <= _codes(summary)
    assert "100,000 sq ft is far more than a 9 x 7 ft room (320 sq ft of walls) can hold" in design


SURFACE = {"surface_type": "floor", "pattern_type": "straight_lay", "complexity_level": "simple"}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "surface_area_sf",
            "123456789012",
            "That number is too large: check it (this field takes at most 99,999,999.99).",
        ),
        ("surface_area_sf", "12.345", "Use at most 2 digits after the decimal point."),
        ("length_ft", "ten", "Type a number, like 12 or 12.5."),
        ("obstacles_count", "two", "Type a whole number, like 3."),
    ],
)
def test_surface_number_messages_are_plain_words(associate_client, laundry, field, typed, message):
    conversation, _, wall = laundry
    data = {**SURFACE, "surface_area_sf": "80", field: typed}
    response = associate_client.post(reverse("conversations:surface_edit", args=[conversation.pk, wall.pk]), data)
    html = response.content.decode()
    assert message in html
    assert "Ensure that" not in html and "Enter a number" not in html
    assert Surface.objects.get(pk=wall.pk).surface_area_sf == D("100000")


def test_a_line_too_large_for_a_quote_is_refused_in_words(associate_client, laundry):
    conversation, room, _ = laundry
    huge = SurfaceFactory(room=room, surface_type="floor", surface_area_sf=D("99999999.00"))
    ProductFactory(sku="BIG-TILE", price_retail=D("45.88"), price_pro=None)
    response = associate_client.post(
        reverse("conversations:selection_add", args=[conversation.pk, huge.pk]),
        {"product_sku": "BIG-TILE"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "would come to more than the largest amount a quote can hold" in html
    assert "Ensure that" not in html
    assert not SelectedProduct.objects.filter(surface=huge).exists()


def test_growing_a_tiled_surface_past_what_a_quote_holds_is_refused_in_words(associate_client, laundry):
    conversation, _, wall = laundry
    url = reverse("conversations:surface_edit", args=[conversation.pk, wall.pk])
    response = associate_client.post(url, {**SURFACE, "surface_type": "accent_wall", "surface_area_sf": "99999999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "would come to more than the largest amount a quote can hold" in html
    assert Surface.objects.get(pk=wall.pk).surface_area_sf == D("100000")
