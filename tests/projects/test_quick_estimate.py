"""The quick estimate at /estimate/ and /estimate.json: any signed-in associate, the same numbers
on the page and in the JSON, clear messages for bad input."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import MosaicFactory, ProductFactory
from tests.projects import test_kit

pytestmark = pytest.mark.django_db

D = Decimal
PAGE = reverse("quick_estimate")
JSON = reverse("quick_estimate_json")
MOSAIC_100 = {
    "sku": "MOS-22",
    "area_sf": "100",
    "pattern_type": "straight_lay",
    "surface_type": "floor",
    "joint_width": "1/16",
}

setting_products = test_kit.setting_products


@pytest.fixture
def mosaic(setting_products):
    return MosaicFactory(sku="MOS-22", color="warm gray", price_retail=D("99.90"), price_pro=D("88.90"))


def test_an_associate_gets_the_page_from_the_menu(associate_client):
    home = associate_client.get(reverse("home"))
    assert PAGE in home.content.decode()
    response = associate_client.get(PAGE)
    assert response.status_code == 200
    assert "Quick estimate" in response.content.decode()


@pytest.mark.parametrize("url", [PAGE, JSON])
def test_login_is_required(client, url):
    response = client.get(url, MOSAIC_100)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [PAGE, JSON])
def test_catalog_staff_without_the_sales_floor_are_refused(catalog_client, url):
    assert catalog_client.get(url, MOSAIC_100).status_code == 403


def test_a_2x2_mosaic_by_the_chip(associate_client, mosaic):
    result = associate_client.get(JSON, MOSAIC_100).json()

    assert result["waste"] == "0.15"  # straight lay 10 % + mosaic 5 %
    assert (result["boxes"], result["sf_purchased"], result["effective_waste"]) == (12, "120.00", "0.2000")
    assert result["tile_total"] == "1198.80"  # 12 boxes x 99.90 retail
    kit = {line["role"]: line for line in result["kit"]}
    assert "spacers" not in kit  # sheet-mounted
    assert kit["grout"]["detail"] == "12.4 lb unsanded for 1/16 in joints"  # SikaTile-800 chart: 12.3 lb
    assert "Trowel 1/4 x 1/4 in square" in kit["thinset"]["notes"]


def test_the_page_and_the_json_show_the_same_numbers(associate_client, mosaic):
    params = {**MOSAIC_100, "price_level": "pro", "obstacles": "2"}
    result = associate_client.get(JSON, params).json()
    page = associate_client.get(PAGE, params).content.decode()

    assert result["price_level"] == "pro" and result["waste"] == "0.17"
    for text in (
        f'data-testid="estimate-boxes">{result["boxes"]}',
        f'data-testid="estimate-sf">{result["sf_purchased"]}',
        f'data-testid="estimate-effective-waste">{result["effective_waste"]}',
        f"${result['tile_total']}",
        *(line["detail"] for line in result["kit"]),
        *(f"${line['line_total']}" for line in result["kit"] if line["line_total"]),
    ):
        assert text in " ".join(page.split()).replace("> ", ">").replace(" <", "<") or text in page


def test_a_shower_wall_suggests_waterproofing(associate_client, setting_products):
    ProductFactory(
        sku="WPM-108",
        product_name="Sheet Waterproofing Membrane, 108 sq ft Roll",
        product_type="underlayment",
        unit_of_measure="piece",
        price_retail=D("219.98"),
        price_pro=None,
        pack_coverage_sf=D("108"),
        **test_kit.NO_TILE,
    )
    ProductFactory(sku="POR-1224")
    params = {"sku": "POR-1224", "length_ft": "5", "width_ft": "8", "surface_type": "shower_walls",
              "joint_width": "1/8", "pattern_type": "straight_lay"}  # fmt: skip
    result = associate_client.get(JSON, params).json()
    kit = {line["role"]: line for line in result["kit"]}
    assert result["area_sf"] == "40.00"
    assert (kit["waterproofing"]["sku"], kit["waterproofing"]["quantity"]) == ("WPM-108", 1)
    assert "Waterproofing membrane" in associate_client.get(PAGE, params).content.decode()


def test_a_typed_size_without_coverage_shows_no_boxes_and_says_why(associate_client, setting_products):
    params = {"tile_length_in": "12", "tile_width_in": "24", "area_sf": "100", "pattern_type": "herringbone",
              "surface_type": "floor", "joint_width": "1/8"}  # fmt: skip
    result = associate_client.get(JSON, params).json()
    assert (result["boxes"], result["sf_purchased"]) == (None, None)
    assert [w["code"] for w in result["warnings"]][:2] == ["missing_coverage", "missing_thickness"]
    grout = next(line for line in result["kit"] if line["role"] == "grout")
    assert grout["quantity"] is None and "No thickness" in grout["missing"]
    page = associate_client.get(PAGE, params).content.decode()
    assert "no coverage per box" in page
    assert 'data-testid="estimate-boxes">' in page and "1 box" not in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"sku": "NOPE-1", "area_sf": "100"}, "sku", "No product with SKU NOPE-1"),
        ({"area_sf": "100"}, "sku", "Pick a tile by SKU, or type its length and width."),
        ({"sku": "MOS-22"}, "area_sf", "Enter the area, or the length and width."),
        ({"sku": "MOS-22", "area_sf": "-5"}, "area_sf", "Must be more than zero."),
        ({"sku": "MOS-22", "area_sf": "lots"}, "area_sf", "Type a number"),
        ({"sku": "MOS-22", "area_sf": "100", "joint_width": "wide"}, "joint_width", "Write the joint like 1/8"),
        ({"sku": "MOS-22", "area_sf": "100", "joint_width": "2"}, "joint_width", "at most 1 inch"),
        ({"sku": "MOS-22", "area_sf": "100", "pattern_type": "zigzag"}, "pattern_type", "Select a valid choice"),
        ({"sku": "MOS-22", "area_sf": "100", "obstacles": "-1"}, "obstacles", "Can't be negative."),
        ({"sku": "MOS-22", "area_sf": "1" * 20}, "area_sf", "too large"),
    ],
)
def test_bad_input_gets_a_message_by_field(associate_client, mosaic, params, field, message):
    full = {"pattern_type": "straight_lay", "surface_type": "floor", "joint_width": "1/8", **params}
    response = associate_client.get(JSON, full)
    assert response.status_code == 400
    assert any(message in text for text in response.json()["errors"][field])
    page = associate_client.get(PAGE, full)
    assert page.status_code == 200
    assert message.split("“")[0] in page.content.decode().replace("&#x27;", "'")
    assert 'data-testid="estimate-result"' not in page.content.decode()


def test_json_without_parameters_is_a_400(associate_client):
    response = associate_client.get(JSON)
    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize("url", [PAGE, JSON])
def test_a_nul_byte_is_a_400_not_a_500(associate_client, url):
    assert associate_client.get(url, {"sku": "MOS\x00-22", "area_sf": "100"}).status_code == 400


def test_search_lists_tiles_to_pick(associate_client, mosaic):
    page = associate_client.get(PAGE, {"q": "mosaic", "area_sf": "100"}).content.decode()
    assert "MOS-22" in page
    assert "sku=MOS-22" in page and "area_sf=100" in page
    assert "THIN-STD" not in page  # setting materials are not tiles


def test_an_estimate_starts_a_conversation_with_its_room_surface_and_tile(associate_client, mosaic):
    from conversations.models import ConversationLog
    from projects.models import Surface

    page = associate_client.get(PAGE, {**MOSAIC_100, "surface_type": "shower_floor"}).content.decode()
    link = re.search(r'href="(/conversations/new/\?[^"]+)"', page)[1].replace("&amp;", "&")
    start = associate_client.get(link)
    assert "From the quick estimate: MOS-22, 100 sq ft, shower floor, straight lay" in start.content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(estimate-[a-z_]+)" value="([^"]*)"', start.content.decode()))
    assert hidden == {
        "estimate-sku": "MOS-22",
        "estimate-area_sf": "100",
        "estimate-pattern_type": "straight_lay",
        "estimate-surface_type": "shower_floor",
    }
    customer = {
        "first_name": "Erin",
        "last_name": "Estimate",
        "email": "erin.estimate@example.com",
        "phone_primary": "(312) 555-0199",
        "customer_type": "diy_homeowner",
        "installation_method": "unknown",
        "interaction_type": "initial_inquiry",
    }
    response = associate_client.post(reverse("conversations:new"), {**customer, **hidden})

    assert response.status_code == 302
    conversation = ConversationLog.objects.get(project__customer__email="erin.estimate@example.com")
    surface = Surface.objects.get(room__project=conversation.project)
    assert (surface.surface_type, surface.surface_area_sf, surface.pattern_type) == (
        "shower_floor",
        D("100"),
        "straight_lay",
    )
    assert surface.waste_factor == D("0.10")
    assert [s.product_id for s in surface.selections.all()] == ["MOS-22"]


def test_an_unreadable_carried_estimate_is_simply_not_carried(associate_client):
    page = associate_client.get(reverse("conversations:new"), {"estimate-area_sf": "lots", "estimate-sku": "X"})
    assert page.status_code == 200
    assert "From the quick estimate" not in page.content.decode()
