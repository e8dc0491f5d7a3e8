"""Browser tests of the AOS conversation wizard (DESIGN.md, "The AOS wizard").

An associate runs a whole conversation with a new customer; after every phase the test reads the
database and checks the rows the seed's "Data Collection Integration Points" say that phase writes.
htmx partial swaps are proven by a `window.__marker` that a full-page reload would wipe."""

import re
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import ProductCatalog
from conversations.models import ConversationLog
from customers.models import Customer
from projects.models import Project, ProjectRoom, SelectedProduct, Surface
from tests.browser.conftest import login
from tests.factories import (
    ConversationFactory,
    ProductFactory,
    ProjectFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CENT = Decimal("0.01")
SOFT_TIMEOUT = 500  # ms: soft checks run once htmx has settled, so there is nothing left to wait for


# --- helpers ---------------------------------------------------------------------------------


def mark(page):
    """Sets a marker that only survives if the page is not reloaded."""
    page.evaluate("window.__marker = 'no-reload'")


def assert_not_reloaded(page):
    settled(page)
    assert page.evaluate("window.__marker") == "no-reload", "the page was reloaded instead of swapped by htmx"


def settled(page):
    """Waits until htmx finished its request, swap and settle. New content gets its htmx behaviour
    only when it settles (20 ms after the swap): a robot acting faster would bypass htmx."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")).to_have_count(0)


def boxes(area, waste, coverage):
    """TILE_MATH.md: whole boxes for area × (1 + waste)."""
    sf_to_buy = (Decimal(area) * (1 + Decimal(waste))).quantize(CENT, rounding=ROUND_CEILING)
    return sf_to_buy, (sf_to_buy / Decimal(coverage)).to_integral_value(rounding=ROUND_CEILING)


def money(value):
    return f"${value.quantize(CENT):,}"


class Soft:
    """Collects failed checks so one run of the long flow reports every bug, then fails at the end."""

    def __init__(self):
        self.failures = []

    def check(self, what, assertion):
        try:
            assertion()
        except AssertionError as error:
            text = str(error)
            actual = text.split("Actual value:", 1)[1].split("Call log:", 1)[0] if "Actual value:" in text else ""
            self.failures.append(f"{what}: {text.splitlines()[0]} — actual: {' '.join(actual.split())}")

    def assert_all(self):
        assert not self.failures, "\n".join(self.failures)


def conversation_id(page):
    match = re.search(r"/conversations/([0-9a-f-]{36})/", page.url)
    assert match, page.url
    return match.group(1)


def room_card(page, name):
    return page.get_by_test_id("room-card").filter(has=page.locator(".card-header", has_text=name))


def checklist_item(page, label):
    return page.get_by_test_id("checklist").get_by_role("listitem").filter(has_text=label)


def stepper_step(page, label):
    return page.get_by_test_id("stepper").get_by_role("listitem").filter(has_text=label)


def design_surface(page, heading):
    return page.get_by_test_id("design-surface").filter(has=page.get_by_role("heading", name=heading))


def add_room(page, room_type, name, style="", length="", width=""):
    form = page.get_by_test_id("add-room")
    form.get_by_label("Room type").select_option(label=room_type)
    form.get_by_label("Name").fill(name)
    if style:
        form.get_by_label("Style").fill(style)
    if length:
        form.get_by_label("Length (ft)").fill(length)
    if width:
        form.get_by_label("Width (ft)").fill(width)
    mark(page)
    form.get_by_role("button", name="Add room").click()
    expect(room_card(page, name)).to_be_visible()
    assert_not_reloaded(page)


def open_add_surface(page, room_name):
    card = room_card(page, room_name)
    form = card.get_by_test_id("add-surface")
    if not form.is_visible():
        card.get_by_text(f"Add a surface to {room_name}").click()
    expect(form).to_be_visible()
    return form


def start_conversation(page, first="Marisol", last="Okafor", phone="(217) 555-0199"):
    page.goto("/conversations/new/")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Phone", exact=True).fill(phone)
    page.get_by_label("Customer type").select_option(label="DIY homeowner")
    page.get_by_label("Who installs").select_option(label="DIY (customer installs)")
    page.get_by_role("button", name="Start conversation").click()
    expect(page).to_have_url(re.compile(r"/conversations/[0-9a-f-]{36}/needs/$"))
    return conversation_id(page)


def conversation_at(phase_slug, associate, *, rooms=True):
    """A conversation made with factories, standing on `phase_slug`, for the focused tests."""
    aos = {"needs": "needs_assessment", "design": "design_details", "close": "close"}[phase_slug]
    project = ProjectFactory(
        sales_associate=associate,
        customer__first_name="Dana",
        customer__last_name="Reyes",
        total_budget_min=None,
        total_budget_max=None,
        tile_budget=None,
        project_start_date=None,
    )
    conversation = ConversationFactory(project=project, aos_phase=aos)
    if rooms:
        room = RoomFactory(project=project, room_name="Hall bath")
        SurfaceFactory(room=room)
    return conversation


@pytest.fixture
def catalog(db):
    """Four products: a herringbone plank, a sage zellige, a white subway and a bag of grout."""
    return {
        "plank": ProductFactory(
            sku="HBW-OAK-0624",
            product_name="Oakline Wood-Look Porcelain Plank 6x24",
            color="natural oak",
            size_length=Decimal("24.00"),
            size_width=Decimal("6.00"),
            coverage_per_box=Decimal("10.65"),
            price_retail=Decimal("52.40"),
            price_pro=Decimal("47.16"),
        ),
        "zellige": ProductFactory(
            sku="ZEL-0303",
            product_name="Glazed Zellige Wall Tile 3x3",
            material="ceramic",
            color="sage",
            size_length=Decimal("3.00"),
            size_width=Decimal("3.00"),
            coverage_per_box=Decimal("5.38"),
            price_retail=Decimal("64.99"),
            price_pro=Decimal("58.49"),
        ),
        "subway": ProductFactory(
            sku="SUB-0306-WHT",
            product_name="Classic Subway 3x6",
            material="ceramic",
            color="bright white",
            size_length=Decimal("6.00"),
            size_width=Decimal("3.00"),
            coverage_per_box=Decimal("12.50"),
            price_retail=Decimal("18.75"),
            price_pro=Decimal("16.88"),
        ),
        "grout": ProductFactory(
            sku="GRT-SAND-25",
            product_name="Sanded Grout 25 lb",
            product_type="grout",
            material="cement",
            color="warm gray",
            size_length=None,
            size_width=None,
            size_thickness=None,
            coverage_per_box=None,
            pieces_per_box=None,
            unit_of_measure="bag",
            price_retail=Decimal("24.98"),
            price_pro=Decimal("22.48"),
        ),
    }


# --- 1. the whole conversation -------------------------------------------------------------


def test_whole_conversation_for_a_new_customer(page, screenshot, associate, catalog):
    soft = Soft()
    page.emulate_media(reduced_motion="reduce")  # steady screenshots: no button transitions
    today = timezone.localdate()
    start_date = today + timedelta(days=45)
    next_contact = today + timedelta(days=3)
    login(page, "associate")

    # Phase 1 · Greeting & credibility: nobody on file yet, so a new customer.
    page.goto("/conversations/new/")
    mark(page)
    page.get_by_label("Phone, email or name").fill("217 555 0199")
    expect(page.get_by_test_id("customer-results")).to_contain_text("No customer matches")
    assert_not_reloaded(page)
    page.get_by_label("First name").fill("Marisol")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Phone", exact=True).fill("(217) 555-0199")
    page.get_by_label("Email", exact=True).fill("marisol.okafor@example.com")
    page.get_by_label("Customer type").select_option(label="DIY homeowner")
    page.get_by_label("Prefers").select_option(label="Phone")
    page.get_by_label("Who installs").select_option(label="DIY (customer installs)")
    page.get_by_label("This conversation is").select_option(label="Initial inquiry")
    screenshot("wizard-1-greeting")
    page.get_by_role("button", name="Start conversation").click()
    expect(page).to_have_url(re.compile(r"/conversations/[0-9a-f-]{36}/needs/$"))
    log_id = conversation_id(page)

    customer = Customer.objects.get(phone_primary="+12175550199")  # typed (217) 555-0199, kept as E.164
    assert (customer.first_name, customer.last_name, customer.customer_type) == ("Marisol", "Okafor", "diy_homeowner")
    assert customer.email == "marisol.okafor@example.com"
    project = Project.objects.get(customer=customer)
    assert project.installation_method == "diy"
    assert project.sales_associate == associate
    conversation = ConversationLog.objects.get(pk=log_id)
    assert conversation.project == project
    assert conversation.sales_associate == associate
    assert conversation.interaction_type == "initial_inquiry"
    assert conversation.aos_phase == "needs_assessment"
    assert conversation.closed_at is None

    # Phase 2 · Needs assessment: two rooms, three surfaces, who/when/how much.
    expect(page.get_by_test_id("stepper").locator("[aria-current=step]")).to_contain_text("Needs assessment")
    add_room(page, "Primary bathroom", "Primary bath", style="modern", length="10", width="8")

    form = open_add_surface(page, "Primary bath")
    form.get_by_label("Surface").select_option(label="Floor")
    form.get_by_label("Length (ft)").fill("10")
    form.get_by_label("Width (ft)").fill("8")
    mark(page)
    form.get_by_label("Pattern").select_option(label="Herringbone")
    settled(page)  # the pattern's default waste is suggested in the field (htmx)
    assert_not_reloaded(page)
    soft.check(
        "picking herringbone suggests 20 (%) in the Waste % field",
        lambda: expect(form.get_by_label("Waste %")).to_have_value(re.compile(r"^20(\.0+)?$"), timeout=SOFT_TIMEOUT),
    )
    form.get_by_label("Waste %").fill("")  # left blank: the pattern's default applies
    form.get_by_role("button", name="Add surface").click()
    saved = room_card(page, "Primary bath").get_by_test_id("surface-row")
    expect(saved).to_have_count(1)
    assert_not_reloaded(page)
    soft.check(
        "the saved herringbone floor shows its default waste as 20 (%)",
        lambda: expect(saved).to_contain_text("waste 20 %", timeout=SOFT_TIMEOUT),
    )
    expect(saved).to_contain_text("80 sq ft")

    form = open_add_surface(page, "Primary bath")
    form.get_by_label("Surface").select_option(label="Shower walls")
    form.get_by_label("Width (ft)").fill("5")
    form.get_by_label("Height (ft)").fill("8")
    mark(page)
    form.get_by_role("button", name="Add surface").click()
    expect(saved).to_have_count(2)
    assert_not_reloaded(page)
    expect(saved.nth(1)).to_contain_text("40 sq ft")
    # A saved surface reads as one line; Edit swaps its form in (htmx), Save swaps the line back.
    saved.nth(1).get_by_role("link", name="Edit").click()
    editing = room_card(page, "Primary bath").get_by_test_id("surface-form")
    expect(editing).to_have_count(1)
    expect(editing.get_by_label("Area (sq ft)")).to_have_value(re.compile(r"^40(\.0+)?$"))
    editing.get_by_label("Obstacles", exact=True).fill("1")
    editing.get_by_role("button", name="Save surface").click()
    expect(editing).to_have_count(0)
    expect(saved.nth(1)).to_contain_text("40 sq ft")
    expect(saved.nth(1)).to_contain_text("1 obstacle")
    assert_not_reloaded(page)

    add_room(page, "Kitchen", "Kitchen", style="farmhouse")
    form = open_add_surface(page, "Kitchen")
    form.get_by_label("Surface").select_option(label="Backsplash")
    form.get_by_label("Area (sq ft)").fill("30")
    form.get_by_label("Pattern").select_option(label="Brick (running bond)")
    settled(page)
    form.get_by_label("Obstacles", exact=True).fill("3")
    form.get_by_label("Obstacles (what)").fill("outlets, window sill")
    mark(page)
    form.get_by_role("button", name="Add surface").click()
    expect(room_card(page, "Kitchen").get_by_test_id("surface-row")).to_have_count(1)
    assert_not_reloaded(page)
    # Rooms, surfaces with area and pattern, installer known: 4 of the 6 needs items.
    soft.check(
        "the needs checklist ticks 'At least one room' once rooms were added",
        lambda: expect(checklist_item(page, "At least one room")).to_contain_text("✓", timeout=SOFT_TIMEOUT),
    )
    soft.check(
        "the stepper's needs step follows the rooms and surfaces added (4 of 6 captured)",
        lambda: expect(stepper_step(page, "Needs assessment")).to_contain_text("67 % captured", timeout=SOFT_TIMEOUT),
    )

    needs = page.locator("#phase-form")
    expect(needs.get_by_label("Who installs")).to_have_value("diy")  # carried over from the greeting
    needs.get_by_label("Start date").fill(start_date.isoformat())
    needs.get_by_label("Budget from ($)").fill("4000")
    needs.get_by_label("Budget up to ($)").fill("7500")
    needs.get_by_label("Tile budget ($)").fill("2500")
    screenshot("wizard-2-needs")
    needs.get_by_role("button", name=re.compile("Save and continue to Design")).click()
    expect(page).to_have_url(re.compile(rf"/conversations/{log_id}/design/$"))

    rooms = {room.room_name: room for room in ProjectRoom.objects.filter(project=project)}
    assert set(rooms) == {"Primary bath", "Kitchen"}
    assert (rooms["Primary bath"].room_type, rooms["Primary bath"].room_style) == ("master_bathroom", "modern")
    assert (rooms["Primary bath"].room_length_ft, rooms["Primary bath"].room_width_ft) == (Decimal(10), Decimal(8))
    assert (rooms["Kitchen"].room_type, rooms["Kitchen"].room_style) == ("kitchen", "farmhouse")
    surfaces = {s.surface_type: s for s in Surface.objects.filter(room__project=project)}
    assert set(surfaces) == {"floor", "shower_walls", "backsplash"}
    floor, walls, backsplash = surfaces["floor"], surfaces["shower_walls"], surfaces["backsplash"]
    assert floor.room == rooms["Primary bath"] and walls.room == rooms["Primary bath"]
    assert backsplash.room == rooms["Kitchen"]
    assert (floor.surface_area_sf, floor.pattern_type, floor.waste_factor) == (
        Decimal("80.00"),
        "herringbone",
        Decimal("0.20"),
    )
    assert (walls.surface_area_sf, walls.width_ft, walls.height_ft) == (Decimal("40.00"), Decimal(5), Decimal(8))
    assert walls.obstacles_count == 1  # edited after it was saved
    assert (walls.pattern_type, walls.waste_factor) == ("straight_lay", Decimal("0.10"))
    assert (backsplash.surface_area_sf, backsplash.pattern_type) == (Decimal("30.00"), "brick_pattern")
    assert (backsplash.obstacles_count, backsplash.obstacles_description) == (3, "outlets, window sill")
    project.refresh_from_db()
    assert project.project_start_date == start_date
    assert (project.total_budget_min, project.total_budget_max) == (Decimal("4000.00"), Decimal("7500.00"))
    assert project.tile_budget == Decimal("2500.00")
    assert project.installation_method == "diy"
    assert ConversationLog.objects.get(pk=log_id).aos_phase == "design_details"

    # Phase 3 · Design & details: four products, one quantity changed.
    floor_box = design_surface(page, re.compile(r"^Floor · 80 sq ft"))
    walls_box = design_surface(page, re.compile(r"^Shower walls · 40 sq ft"))
    backsplash_box = design_surface(page, re.compile(r"^Backsplash · 30 sq ft"))
    expect(floor_box.get_by_role("heading")).to_contain_text("Herringbone · waste 20 %")

    mark(page)
    floor_box.get_by_label("Search the catalog").fill("HBW")  # a SKU prefix
    results = floor_box.get_by_test_id("product-results")
    expect(results).to_contain_text("Oakline Wood-Look Porcelain Plank")
    expect(results).not_to_contain_text("ZEL-0303")
    assert_not_reloaded(page)
    floor_box.get_by_role("button", name="Add HBW-OAK-0624").click()
    expect(floor_box.locator("[data-testid=selection-row][data-sku='HBW-OAK-0624']")).to_be_visible()
    assert_not_reloaded(page)

    walls_box.get_by_label("Search the catalog").fill("sage")  # a color word
    results = walls_box.get_by_test_id("product-results")
    expect(results).to_contain_text("ZEL-0303")
    expect(results.get_by_role("listitem")).to_have_count(1)
    walls_box.get_by_role("button", name="Add ZEL-0303").click()
    expect(walls_box.locator("[data-testid=selection-row][data-sku='ZEL-0303']")).to_be_visible()
    assert_not_reloaded(page)

    add_form = backsplash_box.get_by_test_id("add-by-sku")
    add_form.get_by_label("SKU").fill("sub-0306-wht")  # typed, in any case
    add_form.get_by_role("button", name="Add SKU").click()
    expect(backsplash_box.locator("[data-testid=selection-row][data-sku='SUB-0306-WHT']")).to_be_visible()
    assert_not_reloaded(page)

    add_form = floor_box.get_by_test_id("add-by-sku")
    add_form.get_by_label("SKU").fill("GRT-SAND-25")
    add_form.get_by_label("Quantity").fill("2")
    add_form.get_by_role("button", name="Add SKU").click()
    expect(floor_box.locator("[data-testid=selection-row][data-sku='GRT-SAND-25']")).to_be_visible()
    assert_not_reloaded(page)

    plank_sf, plank_boxes = boxes(80, "0.20", "10.65")
    zellige_sf, zellige_boxes = boxes(40, "0.10", "5.38")
    subway_sf, subway_boxes = boxes(30, "0.10", "12.50")
    assert (plank_boxes, zellige_boxes, subway_boxes) == (10, 9, 3)
    plank_row = floor_box.locator("[data-testid=selection-row][data-sku='HBW-OAK-0624']")
    expect(plank_row.get_by_test_id("selection-ordered")).to_contain_text(f"{plank_boxes} box")
    expect(plank_row.get_by_label("Quantity ordered")).to_have_count(0)  # a saved line reads as one row

    plank_row.get_by_role("link", name="Edit HBW-OAK-0624").click()
    expect(plank_row.get_by_label("Quantity ordered")).to_have_value(str(plank_boxes))
    plank_row.get_by_label("Quantity ordered").fill(str(plank_boxes + 1))  # a spare box
    plank_row.get_by_role("button", name="Save").click()
    expect(plank_row.get_by_test_id("selection-ordered")).to_contain_text(f"{plank_boxes + 1} box")
    expect(plank_row).to_contain_text(money((plank_boxes + 1) * Decimal("52.40")))
    assert_not_reloaded(page)
    expected_total = (
        (plank_boxes + 1) * Decimal("52.40")
        + zellige_boxes * Decimal("64.99")
        + subway_boxes * Decimal("18.75")
        + 2 * Decimal("24.98")
    )
    expect(page.get_by_test_id("selected-total")).to_have_text(money(expected_total))
    soft.check(
        "the stepper's design step is complete once every surface has a tile, quantities and grout",
        lambda: expect(stepper_step(page, "Design & details")).to_contain_text("complete", timeout=SOFT_TIMEOUT),
    )
    purchased = (plank_boxes + 1) * Decimal("10.65")  # 11 boxes × 10.65 sq ft = 117.15 sq ft
    soft.check(
        "the plank row says how many square feet 11 boxes are (117.15)",
        lambda: expect(plank_row.get_by_test_id("effective-waste")).to_contain_text(
            re.compile(rf"11 boxes = {purchased:.2f}|11 boxes = {purchased:.0f} sq ft"), timeout=SOFT_TIMEOUT
        ),
    )
    thinset = floor_box.get_by_test_id("kit-line").and_(page.locator("[data-role=thinset]"))
    soft.check(
        "the kit's thinset line for 80 sq ft of plank asks for at least one bag",
        lambda: expect(thinset).to_contain_text(re.compile(r"(^|\D)[1-9]\d* × 50 lb bag"), timeout=SOFT_TIMEOUT),
    )
    screenshot("wizard-3-design")

    selections = {s.product_id: s for s in SelectedProduct.objects.filter(surface__room__project=project)}
    assert set(selections) == {"HBW-OAK-0624", "ZEL-0303", "SUB-0306-WHT", "GRT-SAND-25"}
    expected = {
        # sku: (surface, type, needed, ordered, unit price)
        "HBW-OAK-0624": (floor, "tile", plank_sf, plank_boxes + 1, Decimal("52.40")),
        "ZEL-0303": (walls, "tile", zellige_sf, zellige_boxes, Decimal("64.99")),
        "SUB-0306-WHT": (backsplash, "tile", subway_sf, subway_boxes, Decimal("18.75")),
        "GRT-SAND-25": (floor, "grout", Decimal(2), Decimal(2), Decimal("24.98")),
    }
    for sku, (surface, product_type, needed, ordered, price) in expected.items():
        row = selections[sku]
        assert row.surface_id == surface.pk, sku
        assert row.product_type == product_type, sku
        assert row.quantity_needed == needed, sku
        assert row.quantity_ordered == ordered, sku
        assert row.price_per_unit == price, sku
        assert row.total_price == (ordered * price).quantize(CENT), sku
        assert row.selection_status in ("considered", "selected"), sku
        assert row.product_name == ProductCatalog.objects.get(pk=sku).product_name
    assert selections["HBW-OAK-0624"].unit_of_measure == "box"
    assert selections["HBW-OAK-0624"].box_coverage_sf == Decimal("10.65")

    page.get_by_role("button", name="Continue to Close & follow-up").click()
    expect(page).to_have_url(re.compile(rf"/conversations/{log_id}/close/$"))
    assert ConversationLog.objects.get(pk=log_id).aos_phase == "close"

    # Phase 4 · Close & follow-up.
    expect(page.get_by_test_id("close-total")).to_have_text(money(expected_total))
    page.get_by_label("Outcome").select_option("quote_requested")
    page.get_by_label("Summary").fill("Loves the oak herringbone; wants the sage zellige for the shower.")
    page.get_by_label("Next action").fill("Email the quote and the herringbone layout")
    page.get_by_label("Next contact date").fill(next_contact.isoformat())
    scores = {
        "aos_score_greeting": 4,
        "aos_score_needs": 3,
        "aos_score_design": 4,
        "aos_score_close": 2,
        "aos_score_objection": 1,
        "aos_score_overall": 3,
    }
    for field, score in scores.items():
        page.get_by_test_id(f"score-{field}").get_by_text(str(score), exact=True).click()
        expect(page.get_by_test_id(f"score-{field}").get_by_label(str(score), exact=True)).to_be_checked()
    screenshot("wizard-4-close")
    page.get_by_role("button", name="Close conversation").click()
    # A requested quote is made next (DESIGN.md: phase 4 produces a quote); otherwise the summary.
    expect(page).to_have_url(re.compile(rf"/conversations/{log_id}/summary/$|/quotes/new/{project.pk}/$"))
    expect(page.get_by_role("alert").filter(has_text="Conversation closed")).to_be_visible()
    if "/quotes/new/" in page.url:
        screenshot("wizard-5-quote")
        page.goto(f"/conversations/{log_id}/summary/")
    expect(page.get_by_test_id("outcome")).to_have_text("Quote requested")
    expect(page.get_by_test_id("summary-total")).to_have_text(money(expected_total))
    screenshot("wizard-5-summary")

    conversation = ConversationLog.objects.get(pk=log_id)
    assert conversation.outcome == "quote_requested"
    assert conversation.aos_phase == "close"
    assert conversation.next_action == "Email the quote and the herringbone layout"
    assert conversation.next_contact_date == next_contact
    assert conversation.conversation_summary.startswith("Loves the oak herringbone")
    assert {field: getattr(conversation, field) for field in scores} == scores
    assert conversation.closed_at is not None
    project.refresh_from_db()
    assert project.project_status == "quoted"
    assert ConversationLog.objects.filter(project=project).count() == 1
    soft.assert_all()


# --- 2. resume after the browser is closed -------------------------------------------------


def test_resume_after_the_browser_is_closed(browser, live_server, associate):
    def new_page():
        context = browser.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url)
        context.set_default_timeout(10_000)
        return context, context.new_page()

    context, page = new_page()
    login(page, "associate")
    log_id = start_conversation(page, first="Tobias", last="Lindqvist", phone="(217) 555-0123")
    add_room(page, "Guest bathroom", "Guest bath", style="coastal")
    context.close()  # the tablet's battery died

    context, page = new_page()
    try:
        page.goto(f"/conversations/{log_id}/needs/")
        assert "/accounts/login/" in page.url  # a new browser is a new session
        login(page, "associate")
        page.goto("/conversations/")
        expect(page.get_by_role("heading", name="My open conversations")).to_be_visible()
        page.get_by_role("link", name=re.compile("Tobias Lindqvist")).click()
        expect(page).to_have_url(re.compile(rf"/conversations/{log_id}/needs/$"))
        expect(page.get_by_test_id("stepper").locator("[aria-current=step]")).to_contain_text("Needs assessment")
        expect(room_card(page, "Guest bath")).to_be_visible()
        expect(room_card(page, "Guest bath").get_by_test_id("room-summary")).to_contain_text("coastal")
        room_card(page, "Guest bath").get_by_role("link", name="Edit room").click()
        expect(room_card(page, "Guest bath").get_by_label("Style")).to_have_value("coastal")
    finally:
        context.close()


# --- 3. invalid input: messages next to the fields, values kept ----------------------------


def test_surface_with_zero_area_shows_a_message_and_keeps_the_values(page, associate):
    conversation = conversation_at("needs", associate, rooms=False)
    room = RoomFactory(project=conversation.project, room_name="Hall bath")
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/needs/")

    form = open_add_surface(page, "Hall bath")
    form.get_by_label("Surface").select_option(label="Floor")
    form.get_by_label("Area (sq ft)").fill("0")
    form.get_by_label("Pattern").select_option(label="Diagonal")
    form.get_by_label("Obstacles", exact=True).fill("2")
    form.get_by_label("Obstacles (what)").fill("toilet flange, floor vent")
    form.get_by_label("Prep work").fill("remove vinyl")
    mark(page)
    form.get_by_role("button", name="Add surface").click()

    form = room_card(page, "Hall bath").get_by_test_id("add-surface")
    area = form.get_by_label("Area (sq ft)")
    expect(area).to_have_attribute("aria-invalid", "true")
    expect(area).to_have_accessible_description(re.compile("more than zero square feet"))
    expect(form.get_by_text("The area must be more than zero square feet.")).to_be_visible()
    assert_not_reloaded(page)
    expect(area).to_have_value("0")
    expect(form.get_by_label("Surface")).to_have_value("floor")
    expect(form.get_by_label("Pattern")).to_have_value("diagonal")
    expect(form.get_by_label("Obstacles", exact=True)).to_have_value("2")
    expect(form.get_by_label("Obstacles (what)")).to_have_value("toilet flange, floor vent")
    expect(form.get_by_label("Prep work")).to_have_value("remove vinyl")
    assert not Surface.objects.filter(room=room).exists()


def test_budget_min_above_max_shows_a_message_and_keeps_the_values(page, associate):
    conversation = conversation_at("needs", associate)
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/needs/")

    needs = page.locator("#phase-form")
    needs.get_by_label("Contractor name").fill("Ace Tile & Stone")
    needs.get_by_label("Budget from ($)").fill("9000")
    needs.get_by_label("Budget up to ($)").fill("5000")
    needs.get_by_role("button", name=re.compile("Save and continue to Design")).click()

    high = page.locator("#phase-form").get_by_label("Budget up to ($)")
    expect(high).to_have_attribute("aria-invalid", "true")
    expect(high).to_have_accessible_description(re.compile("upper end must be at least its lower end"))
    expect(page).to_have_url(re.compile(rf"/conversations/{conversation.pk}/needs/$"))
    expect(high).to_have_value("5000")
    expect(page.locator("#phase-form").get_by_label("Budget from ($)")).to_have_value("9000")
    expect(page.locator("#phase-form").get_by_label("Contractor name")).to_have_value("Ace Tile & Stone")
    project = Project.objects.get(pk=conversation.project_id)
    assert (project.total_budget_min, project.total_budget_max, project.contractor_name) == (None, None, None)
    assert ConversationLog.objects.get(pk=conversation.pk).aos_phase == "needs_assessment"


def test_follow_up_with_a_past_date_shows_a_message(page, associate):
    conversation = conversation_at("close", associate)
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/close/")

    page.get_by_label("Outcome").select_option("follow_up_scheduled")
    page.get_by_label("Next action").fill("Call back after the contractor measures")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Next contact date").fill(yesterday.isoformat())
    page.get_by_role("button", name="Close conversation").click()

    date_input = page.get_by_label("Next contact date")
    expect(date_input).to_have_attribute("aria-invalid", "true")
    expect(date_input).to_have_accessible_description(re.compile("cannot be in the past"))
    expect(page).to_have_url(re.compile(rf"/conversations/{conversation.pk}/close/$"))
    expect(date_input).to_have_value(yesterday.isoformat())
    expect(page.get_by_label("Outcome")).to_have_value("follow_up_scheduled")
    expect(page.get_by_label("Next action")).to_have_value("Call back after the contractor measures")
    conversation.refresh_from_db()
    assert conversation.closed_at is None
    assert conversation.outcome is None


def test_unknown_sku_shows_a_message_at_the_sku_field(page, associate, catalog):
    conversation = conversation_at("design", associate)
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/design/")

    add_form = page.get_by_test_id("add-by-sku")
    add_form.get_by_label("SKU").fill("NOPE-123")
    add_form.get_by_label("Quantity").fill("4")
    mark(page)
    add_form.get_by_role("button", name="Add SKU").click()

    sku = page.get_by_test_id("add-by-sku").get_by_label("SKU")
    expect(sku).to_have_attribute("aria-invalid", "true")
    expect(sku).to_have_accessible_description(re.compile("No product with SKU “NOPE-123”"))
    assert_not_reloaded(page)
    expect(sku).to_have_value("NOPE-123")
    expect(page.get_by_test_id("add-by-sku").get_by_label("Quantity")).to_have_value("4")
    assert not SelectedProduct.objects.exists()


def test_negative_quantity_on_a_selection_shows_a_message(page, associate, catalog):
    conversation = conversation_at("design", associate)
    surface = Surface.objects.get(room__project=conversation.project)  # 80 sq ft, 10 % waste
    SelectionFactory(
        surface=surface,
        product=catalog["plank"],
        quantity_needed=Decimal("88.00"),
        quantity_ordered=Decimal(9),
        box_coverage_sf=Decimal("10.65"),
        price_per_unit=Decimal("52.40"),
    )
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/design/")

    mark(page)
    page.get_by_test_id("selection-row").get_by_role("link", name="Edit").click()
    quantity = page.get_by_test_id("selection-row").get_by_label("Quantity ordered")
    quantity.fill("-2")
    page.get_by_test_id("selection-row").get_by_role("button", name="Save").click()

    settled(page)
    expect(page.locator("#design-panel")).to_contain_text(
        re.compile(r"(greater than or equal to|at least) 0|negative"), timeout=2000
    )
    assert_not_reloaded(page)
    expect(page.get_by_test_id("selection-row").get_by_label("Quantity ordered")).to_have_value("-2")
    assert SelectedProduct.objects.get().quantity_ordered == Decimal(9)


# --- 4. the stepper saves before it jumps --------------------------------------------------


def test_stepper_jump_keeps_the_typed_start_date(page, associate):
    conversation = conversation_at("needs", associate)
    start_date = timezone.localdate() + timedelta(days=60)
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/needs/")
    stepper = page.get_by_test_id("stepper")

    page.locator("#phase-form").get_by_label("Start date").fill(start_date.isoformat())
    mark(page)
    stepper.get_by_role("button", name=re.compile("Design & details")).click()
    expect(page).to_have_url(re.compile(rf"/conversations/{conversation.pk}/design/$"))
    expect(stepper.locator("[aria-current=step]")).to_contain_text("Design & details")
    assert_not_reloaded(page)  # the phase panel is swapped and the URL pushed
    assert Project.objects.get(pk=conversation.project_id).project_start_date == start_date
    assert ConversationLog.objects.get(pk=conversation.pk).aos_phase == "design_details"

    stepper.get_by_role("button", name=re.compile("Needs assessment")).click()
    expect(page).to_have_url(re.compile(rf"/conversations/{conversation.pk}/needs/$"))
    expect(page.locator("#phase-form").get_by_label("Start date")).to_have_value(start_date.isoformat())
    page.reload()  # and it is really stored, not only kept by the browser
    expect(page.locator("#phase-form").get_by_label("Start date")).to_have_value(start_date.isoformat())


def test_stepper_jump_from_the_close_page_keeps_the_draft(page, associate):
    conversation = conversation_at("close", associate)
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/close/")
    stepper = page.get_by_test_id("stepper")

    page.get_by_label("Next action").fill("Bring samples of the sage zellige")
    page.get_by_test_id("score-aos_score_needs").get_by_text("3", exact=True).click()
    stepper.get_by_role("button", name=re.compile("Needs assessment")).click()
    expect(page).to_have_url(re.compile(rf"/conversations/{conversation.pk}/needs/$"))
    conversation.refresh_from_db()
    assert (conversation.next_action, conversation.aos_score_needs, conversation.closed_at) == (
        "Bring samples of the sage zellige",
        3,
        None,
    )

    stepper.get_by_role("button", name=re.compile("Close & follow-up")).click()
    expect(page).to_have_url(re.compile(rf"/conversations/{conversation.pk}/close/$"))
    expect(page.get_by_label("Next action")).to_have_value("Bring samples of the sage zellige")
    expect(page.get_by_test_id("score-aos_score_needs").get_by_label("3", exact=True)).to_be_checked()


# --- nothing typed is lost by a neighbouring partial swap ------------------------------------


def test_half_typed_surface_survives_adding_another_room(page, associate):
    """DESIGN.md: "Nothing typed is lost". Adding a room re-renders the rooms panel, and with it
    the surface form the associate was filling in for another room."""
    conversation = conversation_at("needs", associate, rooms=False)
    RoomFactory(project=conversation.project, room_name="Hall bath")
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/needs/")

    form = open_add_surface(page, "Hall bath")
    form.get_by_label("Surface").select_option(label="Floor")
    form.get_by_label("Length (ft)").fill("9")
    form.get_by_label("Obstacles (what)").fill("toilet flange")
    add_room(page, "Laundry room", "Laundry")  # "oh, and the laundry room too"

    form = open_add_surface(page, "Hall bath")
    expect(form.get_by_label("Length (ft)")).to_have_value("9", timeout=2000)
    expect(form.get_by_label("Obstacles (what)")).to_have_value("toilet flange")


def test_editing_a_saved_surface_and_adding_another_work_without_javascript(browser, live_server, associate):
    conversation = conversation_at("needs", associate)
    surface = Surface.objects.get(room__project=conversation.project)
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, "associate")
        page.goto(f"/conversations/{conversation.pk}/needs/")
        card = room_card(page, "Hall bath")
        expect(card.get_by_test_id("surface-form")).to_have_count(0)
        card.get_by_test_id("surface-row").get_by_role("link", name="Edit").click()
        assert f"edit=surface-{surface.pk}" in page.url
        form = room_card(page, "Hall bath").get_by_test_id("surface-form")
        form.get_by_label("Area (sq ft)").fill("64")
        form.get_by_label("Length (ft)").fill("")
        form.get_by_label("Width (ft)").fill("")
        form.get_by_role("button", name="Save surface").click()
        assert "edit=" not in page.url
        expect(room_card(page, "Hall bath").get_by_test_id("surface-row")).to_contain_text("64 sq ft")
        expect(page.get_by_text("Surface saved.")).to_be_visible()

        room_card(page, "Hall bath").get_by_role("link", name="Add a surface to Hall bath").click()
        form = room_card(page, "Hall bath").get_by_test_id("add-surface")
        form.get_by_label("Surface").select_option(label="Backsplash")
        form.get_by_label("Area (sq ft)").fill("12")
        form.get_by_role("button", name="Add surface").click()
        expect(room_card(page, "Hall bath").get_by_test_id("surface-row")).to_have_count(2)
        surface.refresh_from_db()
        assert surface.surface_area_sf == Decimal("64.00")
    finally:
        context.close()
