"""The joint and running-bond warnings reach the pages: the kit's joint and a brick pattern's
offset are kept on the surface and passed to the estimating module's warnings, shown on the
design page and on the read-only summary."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Surface
from tests.factories import ConversationFactory, ProductFactory, SelectionFactory, SurfaceFactory

pytestmark = pytest.mark.django_db
SURFACE = {"surface_type": "floor", "surface_area_sf": "80", "complexity_level": "simple", "obstacles_count": "0"}


@pytest.fixture
def setup():
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project, surface_area_sf=Decimal("80"))
    tile = ProductFactory(sku="PLANK-848", size_length=Decimal("48"), size_width=Decimal("8"), edge_type="pressed")
    SelectionFactory(surface=surface, product=tile)
    return conversation, surface


def _edit(client, conversation, surface, **fields):
    url = reverse("conversations:surface_edit", args=[conversation.pk, surface.pk])
    return client.post(url, {**SURFACE, **fields})


def _codes(html):
    import re

    return set(re.findall(r'data-code="([a-z_]+)"', html))


def _pages(client, conversation):
    design = client.get(reverse("conversations:phase", args=[conversation.pk, "design"])).content.decode()
    summary = client.get(reverse("conversations:summary", args=[conversation.pk])).content.decode()
    return design, summary


@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        ({"pattern_type": "brick_pattern", "bond_offset": "50"}, Decimal("50")),
        ({"pattern_type": "brick_pattern", "bond_offset": "33"}, Decimal("33")),
        ({"pattern_type": "brick_pattern", "bond_offset": "other", "bond_offset_pct": "25"}, Decimal("25")),
        ({"pattern_type": "brick_pattern", "bond_offset": ""}, None),
        ({"pattern_type": "straight_lay", "bond_offset": "50"}, None),  # only a brick pattern has one
    ],
)
def test_the_bond_offset_is_kept_on_the_surface(associate_client, setup, fields, stored):
    conversation, surface = setup
    _edit(associate_client, conversation, surface, **fields)
    assert Surface.objects.get(pk=surface.pk).bond_offset_pct == stored


@pytest.mark.parametrize(
    ("pct", "message"),
    [
        ("", "Type the offset as a percent of the tile length, e.g. 25."),
        ("120", "The offset is a percent of the tile length, from 0 to 100."),
        ("half", "Type the offset as a percent of the tile length, e.g. 25."),
    ],
)
def test_a_bad_other_offset_is_refused_next_to_the_field(associate_client, setup, pct, message):
    conversation, surface = setup
    response = _edit(
        associate_client, conversation, surface, pattern_type="brick_pattern", bond_offset="other", bond_offset_pct=pct
    )
    html = response.content.decode()
    assert message in html
    assert f'value="{pct}"' in html or not pct
    assert Surface.objects.get(pk=surface.pk).bond_offset_pct is None


def test_a_half_offset_on_long_planks_warns_on_design_and_summary(associate_client, setup):
    conversation, surface = setup
    _edit(associate_client, conversation, surface, pattern_type="brick_pattern", bond_offset="50")
    for html in _pages(associate_client, conversation):
        assert "bond_offset_lippage" in _codes(html)
        assert "running-bond offset on tile with a 48 in long side risks lippage" in html


def test_a_third_offset_does_not_warn(associate_client, setup):
    conversation, surface = setup
    _edit(associate_client, conversation, surface, pattern_type="brick_pattern", bond_offset="33")
    for html in _pages(associate_client, conversation):
        assert "bond_offset_lippage" not in _codes(html)


def test_a_kit_joint_below_the_ansi_minimum_warns_on_design_and_summary(associate_client, setup):
    conversation, surface = setup
    kit_url = reverse("conversations:surface_kit", args=[conversation.pk, surface.pk])
    associate_client.post(kit_url, {"action": "inputs", "joint_width": "1/8"})
    for html in _pages(associate_client, conversation):
        assert "joint_below_minimum" in _codes(html)
        assert "Joint 1/8 in is narrower than the 3/16 in ANSI A108.02 minimum" in html
    associate_client.post(kit_url, {"action": "inputs", "joint_width": "3/16"})
    for html in _pages(associate_client, conversation):
        assert "joint_below_minimum" not in _codes(html)
