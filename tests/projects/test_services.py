"""projects/services.py: rooms, surfaces and product selections of the needs and design phases.
Quantities and prices come from the estimating module (TILE_MATH.md): boxes are whole, square feet to
buy round up to 0.01, money rounds half-up to cents, pro price only for trade customers with an
account."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Project, ProjectRoom, SelectedProduct, Surface
from tests.factories import (
    CustomerFactory,
    ProductFactory,
    ProjectFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def tile(**overrides):
    """A 12×24 porcelain, 15.50 sq ft a box, $45.88 retail / $41.29 pro."""
    return ProductFactory(**overrides)


def grout(**overrides):
    values = {
        "product_name": "Sanded grout, 25 lb",
        "product_type": "grout",
        "unit_of_measure": "bag",
        "coverage_per_box": None,
        "pieces_per_box": None,
        "size_length": None,
        "size_width": None,
        "size_thickness": None,
        "edge_type": None,
        "price_retail": D("24.98"),
        "price_pro": D("22.48"),
        "pack_weight_lb": D("25"),
    }
    values.update(overrides)
    return ProductFactory(**values)


def surface_for(customer_type="diy_homeowner", pro_account_number=None, **surface):
    customer = CustomerFactory(customer_type=customer_type, pro_account_number=pro_account_number)
    return SurfaceFactory(room__project__customer=customer, **surface)


# --- selections --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer_type", "pro_account", "price", "total"),
    [
        ("diy_homeowner", None, D("45.88"), D("275.28")),
        # pro price only with a pro account, and only for trade customers
        ("contractor", "PRO-1", D("41.29"), D("247.74")),
        ("designer", "PRO-2", D("41.29"), D("247.74")),
        ("builder", "PRO-3", D("41.29"), D("247.74")),
        ("contractor", None, D("45.88"), D("275.28")),
        ("contractor", "", D("45.88"), D("275.28")),
        ("diy_homeowner", "PRO-9", D("45.88"), D("275.28")),
    ],
)
def test_selection_add_tile_boxes_and_price_pro_or_retail(customer_type, pro_account, price, total):
    surface = surface_for(customer_type, pro_account, surface_area_sf=D("80"), waste_factor=D("0.10"))
    product = tile(sku="POR-1224")
    selection = services.selection_add(surface=surface, product=product, selection_status="selected")
    selection = SelectedProduct.objects.get(pk=selection.pk)
    # 80 × 1.10 = 88.00 sq ft; 88 / 15.5 = 5.68 → 6 boxes
    assert selection.quantity_needed == D("88.00")
    assert selection.quantity_ordered == D("6")
    assert selection.box_coverage_sf == D("15.50")
    assert selection.price_per_unit == price
    assert selection.total_price == total
    assert (selection.product_id, selection.product_name, selection.product_type, selection.unit_of_measure) == (
        "POR-1224",
        product.product_name,
        "tile",
        "box",
    )
    assert selection.selection_status == "selected"


def test_pro_customer_pays_retail_when_the_product_has_no_pro_price():
    surface = surface_for("contractor", "PRO-1", surface_area_sf=D("80"), waste_factor=D("0.10"))
    selection = services.selection_add(surface=surface, product=tile(price_pro=None))
    assert selection.price_per_unit == D("45.88")


@pytest.mark.parametrize(
    ("area", "waste", "coverage", "needed", "boxes"),
    [
        (D("80"), D("0.10"), D("15.50"), D("88.00"), 6),
        # 33.33 × 1.15 = 38.3295 → rounds UP to 38.33; 38.33 / 15.5 = 2.47 → 3
        (D("33.33"), D("0.15"), D("15.50"), D("38.33"), 3),
        # 10.01 × 1.13 = 11.3113 → 11.32
        (D("10.01"), D("0.13"), D("10.00"), D("11.32"), 2),
        # exactly whole boxes: no extra box
        (D("31"), D("0"), D("15.50"), D("31.00"), 2),
        (D("100"), D("0.20"), D("10.00"), D("120.00"), 12),
        (D("120"), D("0.20"), D("12.00"), D("144.00"), 12),
    ],
)
def test_selection_add_quantity_needed_rounds_up_and_boxes_are_whole(area, waste, coverage, needed, boxes):
    surface = surface_for(surface_area_sf=area, waste_factor=waste)
    selection = services.selection_add(surface=surface, product=tile(coverage_per_box=coverage))
    assert selection.quantity_needed == needed
    assert selection.quantity_ordered == D(boxes)
    assert selection.total_price == (D(boxes) * D("45.88")).quantize(D("0.01"))


def test_selection_add_with_a_quantity_overrides_the_boxes():
    surface = surface_for(surface_area_sf=D("80"), waste_factor=D("0.10"))
    selection = services.selection_add(surface=surface, product=tile(), quantity=D("10"))
    assert selection.quantity_needed == D("88.00")
    assert selection.quantity_ordered == D("10")
    assert selection.total_price == D("458.80")


@pytest.mark.parametrize(
    ("quantity", "price", "total"),
    [
        (None, D("24.98"), D("24.98")),  # one unit when none is given
        (D("3"), D("24.98"), D("74.94")),
        (D("2.5"), D("1.01"), D("2.53")),  # 2.525 → half-up
        (D("1.5"), D("0.33"), D("0.50")),  # 0.495 → half-up
        (D("3"), D("0.35"), D("1.05")),
    ],
)
def test_selection_add_non_tile_is_priced_per_unit_half_up(quantity, price, total):
    surface = surface_for()
    product = grout(price_retail=price, price_pro=None)
    selection = services.selection_add(surface=surface, product=product, quantity=quantity)
    selection = SelectedProduct.objects.get(pk=selection.pk)
    assert selection.quantity_ordered == (quantity or D("1"))
    assert selection.quantity_needed == selection.quantity_ordered
    assert selection.unit_of_measure == "bag"
    assert selection.box_coverage_sf is None
    assert selection.price_per_unit == price
    assert selection.total_price == total


def test_selection_add_refuses_a_discontinued_product():
    surface = surface_for()
    with pytest.raises(ValueError, match="discontinued"):
        services.selection_add(surface=surface, product=tile(sku="OLD-1", discontinued=True))
    assert not SelectedProduct.objects.exists()


def test_selection_update_changes_status_and_quantity_and_the_total_follows():
    selection = SelectionFactory(quantity_ordered=D("6"), price_per_unit=D("45.88"), selection_status="considered")
    services.selection_update(selection=selection, selection_status="selected", quantity_ordered=D("7"))
    selection.refresh_from_db()
    assert (selection.selection_status, selection.quantity_ordered, selection.total_price) == (
        "selected",
        D("7"),
        D("321.16"),
    )
    services.selection_update(selection=selection, quantity_ordered=D("0"))
    selection.refresh_from_db()
    assert (selection.selection_status, selection.total_price) == ("selected", D("0.00"))


def test_selection_delete_removes_only_that_line():
    keep = SelectionFactory()
    gone = SelectionFactory(surface=keep.surface)
    services.selection_delete(selection=gone)
    assert list(SelectedProduct.objects.all()) == [keep]


# --- surfaces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "complexity", "waste"),
    [
        ("straight_lay", "simple", D("0.10")),
        ("straight_lay", "moderate", D("0.13")),
        ("straight_lay", "complex", D("0.15")),
        ("diagonal", "simple", D("0.15")),
        ("diagonal", "moderate", D("0.18")),
        ("herringbone", "simple", D("0.20")),
        ("herringbone", "moderate", D("0.23")),
        ("herringbone", "complex", D("0.25")),
        ("brick_pattern", "simple", D("0.10")),
        ("chevron", "complex", D("0.25")),
        (None, None, D("0.10")),
    ],
)
def test_surface_add_blank_waste_defaults_from_pattern_and_complexity(pattern, complexity, waste):
    room = RoomFactory()
    surface = services.surface_add(
        room=room,
        data={
            "surface_type": "floor",
            "surface_area_sf": D("50"),
            "pattern_type": pattern,
            "complexity_level": complexity,
            "waste_factor": None,
        },
    )
    assert Surface.objects.get(pk=surface.pk).waste_factor == waste


def test_surface_add_keeps_a_typed_waste_factor():
    surface = services.surface_add(
        room=RoomFactory(),
        data={
            "surface_type": "floor",
            "surface_area_sf": D("50"),
            "pattern_type": "herringbone",
            "waste_factor": D("0.07"),
        },
    )
    assert Surface.objects.get(pk=surface.pk).waste_factor == D("0.07")


@pytest.mark.parametrize(
    "data",
    [
        {"surface_type": "floor", "surface_area_sf": D("0")},
        {"surface_type": "floor", "surface_area_sf": D("-5")},
        {"surface_type": "floor", "surface_area_sf": D("50"), "waste_factor": D("1.00")},
        {"surface_type": "roof", "surface_area_sf": D("50")},
    ],
)
def test_surface_add_refuses_invalid_rows(data):
    room = RoomFactory()
    with pytest.raises(ValidationError):
        services.surface_add(room=room, data=data)
    assert not Surface.objects.exists()


def test_surface_update_recomputes_tile_boxes_when_the_area_changes():
    surface = surface_for(surface_area_sf=D("80"), waste_factor=D("0.10"))
    tile_line = services.selection_add(surface=surface, product=tile(), selection_status="selected")
    grout_line = services.selection_add(surface=surface, product=grout(), quantity=D("2"))
    assert tile_line.quantity_ordered == D("6")

    services.surface_update(surface=surface, data={"surface_area_sf": D("160.00"), "waste_factor": D("0.10")})
    tile_line.refresh_from_db()
    grout_line.refresh_from_db()
    # 160 × 1.10 = 176.00 sq ft; 176 / 15.5 = 11.35 → 12 boxes × 45.88
    assert tile_line.quantity_needed == D("176.00")
    assert tile_line.quantity_ordered == D("12")
    assert tile_line.total_price == D("550.56")
    # a grout line is not a box of tile: unchanged
    assert (grout_line.quantity_ordered, grout_line.total_price) == (D("2"), D("49.96"))


def test_surface_update_recomputes_when_the_waste_changes_and_blank_waste_takes_the_default():
    surface = surface_for(surface_area_sf=D("100"), waste_factor=D("0.10"), pattern_type="straight_lay")
    line = services.selection_add(surface=surface, product=tile(coverage_per_box=D("10")))
    assert line.quantity_ordered == D("11")
    services.surface_update(
        surface=surface, data={"pattern_type": "herringbone", "complexity_level": "complex", "waste_factor": None}
    )
    surface.refresh_from_db()
    line.refresh_from_db()
    assert surface.waste_factor == D("0.25")
    assert (line.quantity_needed, line.quantity_ordered) == (D("125.00"), D("13"))


def test_surface_update_prices_at_the_customers_level():
    surface = surface_for("contractor", "PRO-1", surface_area_sf=D("80"), waste_factor=D("0.10"))
    line = services.selection_add(surface=surface, product=tile())
    services.surface_update(surface=surface, data={"surface_area_sf": D("40")})
    line.refresh_from_db()
    # 44.00 sq ft → 3 boxes × 41.29
    assert (line.quantity_ordered, line.price_per_unit, line.total_price) == (D("3"), D("41.29"), D("123.87"))


def test_surface_update_refused_leaves_surface_and_selections_unchanged():
    surface = surface_for(surface_area_sf=D("80"), waste_factor=D("0.10"))
    line = services.selection_add(surface=surface, product=tile())
    with pytest.raises(ValidationError):
        services.surface_update(surface=surface, data={"surface_area_sf": D("-1")})
    assert Surface.objects.get(pk=surface.pk).surface_area_sf == D("80.00")
    assert SelectedProduct.objects.get(pk=line.pk).quantity_ordered == D("6")


def test_surface_delete_removes_its_selections():
    selection = SelectionFactory()
    other = SelectionFactory()
    services.surface_delete(surface=selection.surface)
    assert not Surface.objects.filter(pk=selection.surface_id).exists()
    assert list(SelectedProduct.objects.all()) == [other]


# --- rooms -------------------------------------------------------------------------------------


def test_room_add_and_update():
    project = ProjectFactory()
    room = services.room_add(
        project=project, data={"room_type": "kitchen", "room_name": "Kitchen", "room_style": "farmhouse"}
    )
    row = ProjectRoom.objects.get(pk=room.pk)
    assert (row.project_id, row.room_type, row.room_name, row.room_style) == (
        project.pk,
        "kitchen",
        "Kitchen",
        "farmhouse",
    )
    services.room_update(room=row, data={"room_name": "Main kitchen", "room_length_ft": D("14.5")})
    row.refresh_from_db()
    assert (row.room_name, row.room_length_ft, row.room_type) == ("Main kitchen", D("14.50"), "kitchen")


def test_room_add_refuses_an_unknown_type():
    with pytest.raises(ValidationError):
        services.room_add(project=ProjectFactory(), data={"room_type": "garage"})
    assert not ProjectRoom.objects.exists()


def test_room_delete_removes_its_surfaces_and_selections_only():
    room = RoomFactory()
    for _ in range(2):
        SelectionFactory.create_batch(2, surface=SurfaceFactory(room=room))
    other = SelectionFactory(surface__room__project=room.project)
    assert SelectedProduct.objects.count() == 5
    services.room_delete(room=room)
    assert not ProjectRoom.objects.filter(pk=room.pk).exists()
    assert not Surface.objects.filter(room_id=room.pk).exists()
    assert list(SelectedProduct.objects.all()) == [other]
    assert Project.objects.filter(pk=room.project_id).exists()


# --- the project's who, when and how much ------------------------------------------------------


def test_project_update_needs_writes_the_seed_columns():
    project = ProjectFactory(installation_method="unknown", total_budget_min=None, total_budget_max=None)
    start = date.today() + timedelta(days=14)
    services.project_update_needs(
        project=project,
        data={
            "installation_method": "contractor",
            "contractor_name": "Ruiz Tile LLC",
            "project_start_date": start,
            "total_budget_min": D("4000"),
            "total_budget_max": D("6500"),
        },
    )
    project.refresh_from_db()
    assert (
        project.installation_method,
        project.contractor_name,
        project.project_start_date,
        project.total_budget_min,
        project.total_budget_max,
    ) == ("contractor", "Ruiz Tile LLC", start, D("4000.00"), D("6500.00"))


def test_project_update_needs_refused_leaves_the_row_unchanged():
    project = ProjectFactory(total_budget_min=D("5000"), total_budget_max=D("9000"))
    with pytest.raises(ValidationError):
        services.project_update_needs(
            project=project, data={"total_budget_min": D("9500"), "total_budget_max": D("100")}
        )
    row = Project.objects.get(pk=project.pk)
    assert (row.total_budget_min, row.total_budget_max) == (D("5000.00"), D("9000.00"))
