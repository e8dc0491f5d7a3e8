"""Estimating in the browser (issue: tile estimating) and a closed conversation turned into a quote
whose total is the seed's "Calculate Project Total" plus tax and delivery, with a PDF that shows it."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from projects.models import SelectedProduct, SelectionStatus, Surface
from quotes.models import Quote
from tests.browser.conftest import login
from tests.factories import ConversationFactory, ProductFactory, ProjectFactory, RoomFactory, SelectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_TILE = {"size_length": None, "size_width": None, "size_thickness": None, "coverage_per_box": None}

SEED_PROJECT_TOTAL = """
SELECT
    p.project_id,
    SUM(sp.total_price) as project_total,
    COUNT(DISTINCT s.surface_id) as surface_count
FROM projects p
JOIN project_rooms pr ON p.project_id = pr.project_id
JOIN surfaces s ON pr.room_id = s.room_id
JOIN selected_products sp ON s.surface_id = sp.surface_id
WHERE p.project_id = %s AND sp.selection_status = 'selected'
GROUP BY p.project_id
"""


def settled(page):
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")).to_have_count(0)


@pytest.fixture
def products(db):
    return {
        "tile": ProductFactory(
            sku="POR-1212-WGR",
            product_name="Porcelain 12x12, Warm Gray",
            size_length=Decimal("12"),
            size_width=Decimal("12"),
            size_thickness=Decimal("0.38"),
            coverage_per_box=Decimal("15.00"),
            edge_type="rectified",
            color="warm gray",
            price_retail=Decimal("30.00"),
            price_pro=Decimal("27.00"),
        ),
        "thinset": ProductFactory(
            sku="THIN-MOD-G50",
            product_name="Modified Thinset, Gray, 50 lb",
            product_type="adhesive",
            unit_of_measure="bag",
            pack_weight_lb=Decimal("50"),
            pack_coverage_sf=Decimal("75"),
            price_retail=Decimal("24.98"),
            price_pro=Decimal("22.00"),
            color="gray",
            **NO_TILE,
        ),
        "grout": ProductFactory(
            sku="GR-U10-WGR",
            product_name="Unsanded Grout, Warm Gray, 10 lb",
            product_type="grout",
            unit_of_measure="bag",
            pack_weight_lb=Decimal("10"),
            price_retail=Decimal("13.98"),
            price_pro=Decimal("12.10"),
            color="warm gray",
            **NO_TILE,
        ),
    }


def test_herringbone_floor_default_waste_then_tile_and_kit(page, screenshot, associate, products):
    project = ProjectFactory(
        sales_associate=associate,
        customer__customer_type="contractor",
        customer__pro_account_number="PRO-55501",
    )
    conversation = ConversationFactory(project=project, aos_phase="needs_assessment")
    RoomFactory(project=project, room_name="Hall")
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/needs/")

    card = page.get_by_test_id("room-card").filter(has_text="Hall")
    form = card.get_by_test_id("add-surface")
    form.get_by_label("Surface").select_option(label="Floor")
    form.get_by_label("Length (ft)").fill("10")
    form.get_by_label("Width (ft)").fill("10")
    form.get_by_label("Pattern").select_option(label="Herringbone")
    settled(page)
    expect(form.get_by_label("Waste %")).to_have_value("20")  # the pattern's default, shown
    form.get_by_role("button", name="Add surface").click()
    expect(card.get_by_test_id("surface-row")).to_have_count(1)
    surface = Surface.objects.get(room__project=project)
    assert (surface.surface_area_sf, surface.waste_factor) == (Decimal("100.00"), Decimal("0.20"))

    page.goto(f"/conversations/{conversation.pk}/design/")
    page.get_by_label("Search the catalog").fill("POR-12")
    page.get_by_role("button", name="Add POR-1212-WGR").click()
    row = page.get_by_test_id("selection-row").filter(has_text="POR-1212-WGR")
    # 100 sq ft × 1.20 = 120 sq ft → 8 boxes of 15 sq ft at the pro price 27.00
    expect(row.get_by_test_id("effective-waste")).to_contain_text("8 boxes = 120 sq ft")
    expect(row).to_contain_text("$216.00")
    kit = page.get_by_test_id("kit")
    expect(kit.locator("[data-role=grout]")).to_contain_text("6.5 lb unsanded for 1/8 in joints")
    screenshot("estimating-kit")
    page.evaluate("window.__marker = 'kept'")
    kit.get_by_role("button", name="Add the ticked setting materials").click()
    expect(page.get_by_test_id("selection-row")).to_have_count(3)
    assert page.evaluate("window.__marker") == "kept"
    added = {
        s.product_id: (s.quantity_ordered, s.price_per_unit, s.total_price)
        for s in SelectedProduct.objects.filter(surface=surface).exclude(product_id="POR-1212-WGR")
    }
    # thinset: 12 in tile → 1/4 x 3/8 trowel, 75 sq ft a bag → 2 bags; grout 7.2 lb with loss → 1 bag
    assert added == {
        "THIN-MOD-G50": (Decimal("2.00"), Decimal("22.00"), Decimal("44.00")),
        "GR-U10-WGR": (Decimal("1.00"), Decimal("12.10"), Decimal("12.10")),
    }


def test_closed_conversation_becomes_a_quote_matching_the_seed_total(page, screenshot, associate, products):
    project = ProjectFactory(sales_associate=associate, customer__first_name="Imani", customer__last_name="Okoro")
    conversation = ConversationFactory(project=project, aos_phase="close")
    room = RoomFactory(project=project, room_name="Primary bath")
    from tests.factories import SurfaceFactory

    floor = SurfaceFactory(room=room, surface_area_sf=Decimal("100"))
    SelectionFactory(
        surface=floor, product=products["tile"], quantity_ordered=Decimal("8"), price_per_unit=Decimal("30.00")
    )
    SelectionFactory(
        surface=floor,
        product=products["grout"],
        product_type="grout",
        unit_of_measure="bag",
        quantity_ordered=Decimal("1"),
        price_per_unit=Decimal("13.98"),
    )
    SelectionFactory(
        surface=floor,
        product=products["thinset"],
        product_type="adhesive",
        unit_of_measure="bag",
        quantity_ordered=Decimal("2"),
        price_per_unit=Decimal("24.98"),
        selection_status=SelectionStatus.CONSIDERED,
    )
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/close/")
    page.get_by_label("Outcome").select_option(label="Quote requested")
    page.get_by_label("Next action").fill("Email the quote tonight")
    page.get_by_label("Next contact date").fill((timezone.localdate() + timezone.timedelta(days=3)).isoformat())
    page.get_by_test_id("score-aos_score_overall").get_by_text("3", exact=True).click()
    page.get_by_role("button", name="Close conversation ✓").click()
    expect(page).to_have_url(re.compile(rf"/quotes/new/{project.pk}/$"))
    page.get_by_label("Tax rate (%)").fill("8.25")
    page.get_by_label("Delivery fee ($)").fill("75")
    page.get_by_role("button", name="Create quote").click()
    expect(page.get_by_test_id("quote-document")).to_be_visible()
    screenshot("quote-page")

    quote = Quote.objects.get(project=project)
    with connection.cursor() as cursor:
        cursor.execute(SEED_PROJECT_TOTAL, [project.pk.hex if connection.vendor == "sqlite" else project.pk])
        seed_total = Decimal(str(cursor.fetchone()[1])).quantize(Decimal("0.01"))
    assert seed_total == Decimal("253.98")  # 8 × 30.00 + 13.98; the considered thinset is left out
    assert quote.tax_amount == Decimal("20.95")  # 253.98 × 8.25 % = 20.953 → 20.95
    assert quote.total_amount == seed_total + quote.tax_amount + quote.delivery_fee == Decimal("349.93")
    expect(page.get_by_test_id("quote-total")).to_have_text("$349.93")

    pdf = page.request.get(f"/quotes/{quote.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert quote.quote_number in text and "Imani Okoro" in text and "$349.93" in text
