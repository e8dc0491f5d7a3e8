"""The kit's joint and trim are kept on the surface; adding the kit again replaces each role's
product instead of piling up a second grout; "already on this surface" reads the surface's real
selections; an empty Add says so."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import ProductType, SelectedProduct, Surface
from tests.factories import ConversationFactory, ProductFactory, SelectionFactory, SurfaceFactory
from tests.projects.test_kit import _tile, setting_products  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def wizard(setting_products):  # noqa: F811
    ProductFactory(
        sku="SPC-14",
        product_name="Tile Spacers 1/4 in, Bag of 250",
        product_type="spacers",
        unit_of_measure="bag",
        price_retail=Decimal("4.98"),
        price_pro=None,
        size_length=None,
        size_width=None,
        size_thickness=None,
        coverage_per_box=None,
        edge_type=None,
    )
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project, surface_area_sf=Decimal("100"))
    SelectionFactory(surface=surface, product=_tile())
    kit_url = reverse("conversations:surface_kit", args=[conversation.pk, surface.pk])
    design_url = reverse("conversations:phase", args=[conversation.pk, "design"]) + f"?edit=kit-{surface.pk}"
    return conversation, surface, kit_url, design_url


def _setting(surface):
    return sorted(
        SelectedProduct.objects.filter(surface=surface)
        .exclude(product_type=ProductType.TILE)
        .values_list("product_type", "product_id")
    )


def _typed(html, field_id):
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_the_typed_joint_and_trim_survive_a_reload(associate_client, wizard, headers):
    _, surface, kit_url, design_url = wizard
    associate_client.post(kit_url, {"action": "inputs", "joint_width": "3/16", "trim_linear_ft": "12"}, **headers)
    surface.refresh_from_db()
    assert (surface.grout_joint_in, surface.trim_linear_ft) == (Decimal("0.1875"), Decimal("12.00"))
    assert _setting(surface) == []  # only the inputs were kept, nothing added
    html = associate_client.get(design_url).content.decode()
    assert _typed(html, f"kit-{surface.pk}-joint_width") == "3/16"
    assert _typed(html, f"kit-{surface.pk}-trim_linear_ft") == "12.00"
    assert "for 3/16 in joints" in html
    assert "Edge trim" in html


def test_adding_the_kit_keeps_the_joint_too(associate_client, wizard):
    _, surface, kit_url, _ = wizard
    associate_client.post(kit_url, {"joint_width": "1/4", "role": ["grout"]})
    assert Surface.objects.get(pk=surface.pk).grout_joint_in == Decimal("0.25")


def test_adding_again_after_changing_the_joint_replaces_each_role(associate_client, wizard):
    _, surface, kit_url, _ = wizard
    roles = ["thinset", "grout", "spacers"]
    associate_client.post(kit_url, {"joint_width": "1/8", "role": roles})
    assert _setting(surface) == [("adhesive", "THIN-STD"), ("grout", "GR-U10"), ("spacers", "SPC-18")]
    associate_client.post(kit_url, {"joint_width": "1/4", "role": roles})
    assert _setting(surface) == [("adhesive", "THIN-STD"), ("grout", "GR-S25"), ("spacers", "SPC-14")]


def test_keep_both_adds_beside_the_existing_ones(associate_client, wizard):
    _, surface, kit_url, _ = wizard
    associate_client.post(kit_url, {"joint_width": "1/8", "role": ["grout"]})
    associate_client.post(kit_url, {"joint_width": "1/4", "role": ["grout"], "keep_both": "on"})
    assert _setting(surface) == [("grout", "GR-S25"), ("grout", "GR-U10")]


def test_already_on_this_surface_reads_the_surfaces_real_products(associate_client, wizard):
    _, surface, kit_url, design_url = wizard
    associate_client.post(kit_url, {"joint_width": "1/8", "role": ["grout"]})  # unsanded on the surface
    associate_client.post(kit_url, {"action": "inputs", "joint_width": "1/4"})  # the kit now says sanded
    html = associate_client.get(design_url).content.decode()
    grout_row = re.search(r'data-role="grout">(.*?)</tr>', html, re.S).group(1)
    assert "already on this surface" not in grout_row
    assert "replaces GR-U10" in grout_row
    assert "GR-S25" in grout_row
    assert "checked" in grout_row.split(f'id="kit-{surface.pk}-grout"')[1].split(">")[0]
    associate_client.post(kit_url, {"action": "inputs", "joint_width": "1/8"})
    grout_row = re.search(r'data-role="grout">(.*?)</tr>', associate_client.get(design_url).content.decode(), re.S)
    assert "already on this surface" in grout_row.group(1)


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_an_empty_add_says_nothing_was_ticked(associate_client, wizard, headers):
    _, surface, kit_url, _ = wizard
    response = associate_client.post(kit_url, {"joint_width": "3/16", "trim_linear_ft": "7"}, **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing ticked" in html
    assert _typed(html, f"kit-{surface.pk}-joint_width") == "3/16"
    assert _setting(surface) == []


def test_a_bad_joint_is_not_kept(associate_client, wizard):
    _, surface, kit_url, _ = wizard
    response = associate_client.post(kit_url, {"action": "inputs", "joint_width": "2"})
    assert "A grout joint is more than 0 and at most 1 inch." in response.content.decode()
    assert Surface.objects.get(pk=surface.pk).grout_joint_in is None
