"""The catalog admin as catalog staff use it: the list's columns, search, filters, list edits and
bulk actions."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import ProductCatalog
from tests.catalog.helpers import CHANGELIST, change_form_data, visible
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def staff(catalog_staff):
    client = Client()
    client.force_login(catalog_staff)
    return client


@pytest.fixture
def catalog():
    return [
        ProductFactory(
            sku="POR-1224-GRY", product_name="Stonefield", brand="Northline", color="gray", material="porcelain"
        ),
        ProductFactory(
            sku="MAR-HEX-2",
            product_name="Carrara hex",
            brand="Marmo",
            color="white",
            material="marble",
            special_order=True,
        ),
        ProductFactory(
            sku="GRT-SND-25",
            product_name="Sanded grout",
            product_type="grout",
            brand="Setwell",
            color="bone",
            material="cement",
            in_stock=False,
        ),
    ]


def listed(response):
    return sorted(obj.sku for obj in response.context["cl"].result_list)


def test_the_list_shows_every_column_the_staff_need(staff, catalog):
    response = staff.get(reverse(CHANGELIST))

    headers = [str(h["text"]).capitalize() if h["text"] != "SKU" else "SKU" for h in response.context["result_headers"]]
    assert headers[1:] == [
        "SKU",
        "Product name",
        "Brand",
        "Product type",
        "Material",
        "Color",
        "Size (in)",
        "Coverage per box (sq ft)",
        "Price retail",
        "Price pro",
        "In stock",
        "Discontinued",
        "Special order",
    ]
    assert "23.62 × 11.81" not in visible(response.content.decode())  # the factory's size is 24 × 12
    assert "24 × 12" in visible(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [("POR-12", ["POR-1224-GRY"]), ("carrara", ["MAR-HEX-2"]), ("setwell", ["GRT-SND-25"]), ("bone", ["GRT-SND-25"])],
)
def test_search_by_sku_name_brand_and_color(staff, catalog, query, expected):
    assert listed(staff.get(reverse(CHANGELIST), {"q": query})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"product_type__exact": "grout"}, ["GRT-SND-25"]),
        ({"brand__exact": "Marmo"}, ["MAR-HEX-2"]),
        ({"material__exact": "porcelain"}, ["POR-1224-GRY"]),
        ({"in_stock__exact": "0"}, ["GRT-SND-25"]),
        ({"special_order__exact": "1"}, ["MAR-HEX-2"]),
        ({"discontinued__exact": "0"}, ["GRT-SND-25", "MAR-HEX-2", "POR-1224-GRY"]),
    ],
)
def test_filters_by_type_brand_material_and_flags(staff, catalog, params, expected):
    assert listed(staff.get(reverse(CHANGELIST), params)) == expected


@pytest.mark.parametrize(
    ("action", "field", "value", "message"),
    [
        ("mark_discontinued", "discontinued", True, "2 product(s) marked discontinued."),
        ("mark_in_stock", "in_stock", True, "2 product(s) marked in stock."),
        ("mark_out_of_stock", "in_stock", False, "2 product(s) marked out of stock."),
        ("special_order_on", "special_order", True, "2 product(s) set to special order."),
        ("special_order_off", "special_order", False, "2 product(s) no longer special order."),
    ],
)
def test_bulk_actions_set_the_flag_on_the_selected_products_only(staff, catalog, action, field, value, message):
    chosen = ["MAR-HEX-2", "GRT-SND-25"]
    untouched = ProductCatalog.objects.values(field).get(pk="POR-1224-GRY")

    response = staff.post(reverse(CHANGELIST), {"action": action, "_selected_action": chosen}, follow=True)

    assert message in [str(m) for m in response.context["messages"]]
    assert set(ProductCatalog.objects.filter(pk__in=chosen).values_list(field, flat=True)) == {value}
    assert ProductCatalog.objects.values(field).get(pk="POR-1224-GRY") == untouched


def test_a_pro_price_above_retail_is_refused_in_the_list_with_a_message(staff, catalog):
    response = staff.post(
        reverse(CHANGELIST),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-sku": "POR-1224-GRY",
            "form-0-price_retail": "40.00",
            "form-0-price_pro": "41.00",
            "form-0-in_stock": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert response.context["cl"].formset.errors[0] == {
        "price_pro": ["The pro price cannot be above the retail price."]
    }
    assert ProductCatalog.objects.get(pk="POR-1224-GRY").price_retail == D("45.88")


def test_a_negative_price_is_refused_in_the_change_form_next_to_the_field(staff, catalog):
    product = catalog[0]

    response = staff.post(
        reverse("admin:catalog_productcatalog_change", args=[product.pk]),
        change_form_data(staff, product, price_retail="-1.00", price_pro=""),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"price_retail": ["Can't be negative."]}
