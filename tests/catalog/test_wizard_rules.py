"""The catalog's flags as the wizard applies them (through the wizard's URLs): a discontinued
product cannot be newly selected but stays on the selections that have it, flagged; a special-order
product shows a lead-time notice; an out-of-stock product warns. Flags set in the admin apply at
once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import SelectedProduct
from tests.catalog.helpers import CHANGELIST, HX, Floor, visible
from tests.factories import ProductFactory, SelectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor(db):
    return Floor()


@pytest.fixture
def staff(catalog_staff):
    client = Client()
    client.force_login(catalog_staff)
    return client


def warning_codes(html, sku):
    """The warning codes shown on the design page for the selection of `sku`."""
    start = html.index(f'data-sku="{sku}"')
    end = html.find("data-sku=", start + 1)
    block = html[start : end if end != -1 else None]
    return re.findall(r'data-testid="warning"\s+data-code="([a-z_]+)"', block)


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_discontinued_product_cannot_be_newly_selected(floor, headers):
    ProductFactory(sku="OLD-1", discontinued=True)

    response = floor.add("old-1", **headers)

    assert response.status_code == 200
    assert "OLD-1 is discontinued and can't be newly selected." in visible(response.content.decode())
    assert not SelectedProduct.objects.filter(product_id="OLD-1").exists()


def test_a_product_discontinued_in_the_admin_is_refused_next_and_flagged_where_selected(floor, staff):
    product = ProductFactory(sku="POR-1224-GRY", color="gray")
    SelectionFactory(surface=floor.surface, product=product)
    assert "Discontinued" not in floor.search("gray")

    staff.post(reverse(CHANGELIST), {"action": "mark_discontinued", "_selected_action": [product.sku]})

    assert "Discontinued" in floor.search("gray")
    response = floor.add("POR-1224-GRY")
    assert "POR-1224-GRY is discontinued and can't be newly selected." in visible(response.content.decode())
    assert floor.surface.selections.count() == 1  # the existing selection is kept …
    assert "discontinued" in warning_codes(floor.design_page(), "POR-1224-GRY")  # … and flagged


def test_a_special_order_product_shows_a_lead_time_notice(floor):
    ProductFactory(sku="SPC-1", special_order=True, lead_time_days=21, color="teal")

    assert "Special order" in floor.search("teal")
    floor.add("SPC-1")

    page = floor.design_page()
    assert "special_order" in warning_codes(page, "SPC-1")
    assert "check the supplier's lead time against the install date" in visible(page)


def test_an_out_of_stock_product_warns(floor):
    ProductFactory(sku="OOS-1", in_stock=False, color="teal")

    assert "Out of stock" in floor.search("teal")
    floor.add("OOS-1")

    page = floor.design_page()
    assert "out_of_stock" in warning_codes(page, "OOS-1")
    assert "This product is out of stock" in visible(page)


def test_search_results_offer_no_add_button_for_a_discontinued_product(floor):
    ProductFactory(sku="OLD-1", discontinued=True, color="teal")
    ProductFactory(sku="NEW-1", color="teal")

    response = floor.client.get(
        reverse("conversations:product_search", args=[floor.conversation.pk]),
        {"q": "teal", "surface": floor.surface.pk},
        **HX,
    )

    html = response.content.decode()
    assert 'aria-label="Add NEW-1"' in html
    assert 'aria-label="Add OLD-1"' not in html
    assert visible(html).index("NEW-1") < visible(html).index("OLD-1")  # discontinued last
