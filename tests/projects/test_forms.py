"""projects/forms.py: the needs and design phase forms. The surface's area is typed or computed, the
waste factor is typed as a percent and kept as a fraction; bad input gets a message at the field."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from projects.forms import NeedsForm, RoomForm, SelectionAddForm, SelectionUpdateForm, SurfaceForm
from projects.models import SelectionStatus
from tests.factories import ProductFactory, SurfaceFactory

D = Decimal

AREA_NEEDED = "Enter the area, or the length and width."
AREA_POSITIVE = "The area must be more than zero square feet."
FEET_POSITIVE = "Must be more than zero feet."


def surface_form(**fields):
    data = {"surface_type": "floor", "pattern_type": "straight_lay", "complexity_level": "simple"}
    data.update({k: v for k, v in fields.items() if v is not None})
    return SurfaceForm(data=data)


# --- SurfaceForm: area ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "area"),
    [
        # typed area
        ({"surface_area_sf": "42.5"}, D("42.50")),
        ({"surface_area_sf": "0.01"}, D("0.01")),
        # a typed area wins over the dimensions
        ({"surface_area_sf": "50", "length_ft": "10", "width_ft": "8"}, D("50.00")),
        # floor: length × width
        ({"length_ft": "10", "width_ft": "8.5"}, D("85.00")),
        ({"length_ft": "3.33", "width_ft": "3.33"}, D("11.09")),
        # walls: width × height, even with a length given
        ({"surface_type": "shower_walls", "width_ft": "5", "height_ft": "8"}, D("40.00")),
        ({"surface_type": "backsplash", "length_ft": "12", "width_ft": "10", "height_ft": "1.5"}, D("15.00")),
        ({"surface_type": "accent_wall", "width_ft": "11", "height_ft": "9"}, D("99.00")),
        ({"surface_type": "tub_surround", "width_ft": "5", "height_ft": "6"}, D("30.00")),
        # a wall without a height falls back to length × width
        ({"surface_type": "backsplash", "length_ft": "12", "width_ft": "1.5"}, D("18.00")),
        # a floor given only width × height still gets an area
        ({"width_ft": "4", "height_ft": "2"}, D("8.00")),
    ],
)
def test_surface_area_typed_or_computed(fields, area):
    form = surface_form(**fields)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["surface_area_sf"] == area


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "surface_area_sf", AREA_NEEDED),
        ({"length_ft": "10"}, "surface_area_sf", AREA_NEEDED),
        ({"width_ft": "10"}, "surface_area_sf", AREA_NEEDED),
        ({"surface_type": "shower_walls", "height_ft": "8"}, "surface_area_sf", AREA_NEEDED),
        ({"surface_area_sf": "0"}, "surface_area_sf", AREA_POSITIVE),
        ({"surface_area_sf": "-5"}, "surface_area_sf", AREA_POSITIVE),
        ({"surface_area_sf": "-0.01"}, "surface_area_sf", AREA_POSITIVE),
        ({"length_ft": "0", "width_ft": "8"}, "length_ft", FEET_POSITIVE),
        ({"length_ft": "10", "width_ft": "0"}, "width_ft", FEET_POSITIVE),
        ({"length_ft": "-10", "width_ft": "8"}, "length_ft", FEET_POSITIVE),
        ({"surface_type": "shower_walls", "width_ft": "5", "height_ft": "0"}, "height_ft", FEET_POSITIVE),
    ],
)
def test_surface_area_missing_zero_or_negative_gets_a_message_at_the_field(fields, field, message):
    form = surface_form(**fields)
    assert not form.is_valid()
    assert message in form.errors[field]


def test_surface_type_is_required():
    form = SurfaceForm(data={"surface_area_sf": "10"})
    assert not form.is_valid()
    assert "surface_type" in form.errors


# --- SurfaceForm: waste ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10", D("0.10")),
        ("15", D("0.15")),
        ("20", D("0.20")),
        ("0", D("0.00")),
        ("7.00", D("0.07")),
        ("99", D("0.99")),
        ("", None),
    ],
)
def test_waste_percent_is_stored_as_a_fraction_and_blank_is_none(typed, stored):
    form = surface_form(surface_area_sf="50", waste_factor=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["waste_factor"] == stored


@pytest.mark.parametrize("typed", ["12.5", "0.5", "10.25"])
def test_waste_percent_with_decimals_is_refused_or_kept(typed):
    form = surface_form(surface_area_sf="50", waste_factor=typed)
    if form.is_valid():
        assert form.cleaned_data["waste_factor"] * 100 >= D(typed)
    else:
        assert form.errors["waste_factor"]


@pytest.mark.parametrize("typed", ["-1", "100", "150", "abc"])
def test_waste_percent_out_of_range_is_refused(typed):
    form = surface_form(surface_area_sf="50", waste_factor=typed)
    assert not form.is_valid()
    assert "waste_factor" in form.errors


def test_existing_surface_shows_its_waste_as_a_percent(db):
    surface = SurfaceFactory(waste_factor=D("0.15"))
    form = SurfaceForm(instance=surface)
    assert D(form.initial["waste_factor"]) == D("15")
    assert 'value="15"' in str(form["waste_factor"])


@pytest.mark.parametrize(("typed", "stored"), [("", 0), ("3", 3)])
def test_obstacles_blank_is_zero(typed, stored):
    form = surface_form(surface_area_sf="50", obstacles_count=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["obstacles_count"] == stored


def test_negative_obstacles_are_refused():
    form = surface_form(surface_area_sf="50", obstacles_count="-1")
    assert not form.is_valid()
    assert form.errors["obstacles_count"] == ["Cannot be negative."]


# --- RoomForm (its model validation runs the database CHECKs) ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["room_length_ft", "room_width_ft", "room_height_ft"])
@pytest.mark.parametrize("value", ["0", "-3"])
def test_room_dimensions_must_be_positive(field, value):
    form = RoomForm(data={"room_type": "kitchen", field: value})
    assert not form.is_valid()
    assert form.errors[field] == [FEET_POSITIVE]


@pytest.mark.django_db
def test_room_needs_only_a_type():
    form = RoomForm(data={"room_type": "kitchen"})
    assert form.is_valid(), form.errors
    assert not RoomForm(data={"room_name": "Kitchen"}).is_valid()


# --- NeedsForm ---------------------------------------------------------------------------------


def needs_form(**fields):
    return NeedsForm(data={"installation_method": "diy", **fields})


@pytest.mark.parametrize(
    ("low", "high", "ok"),
    [
        ("5000", "9000", True),
        ("5000", "5000", True),
        ("5000", "", True),
        ("", "9000", True),
        ("9000", "5000", False),
        ("5000.01", "5000", False),
    ],
)
def test_budget_min_may_not_exceed_max(low, high, ok):
    form = needs_form(total_budget_min=low, total_budget_max=high)
    assert form.is_valid() is ok
    if not ok:
        assert form.errors["total_budget_max"] == ["The budget's upper end must be at least its lower end."]


@pytest.mark.parametrize("field", ["total_budget_min", "total_budget_max", "tile_budget"])
def test_negative_budgets_are_refused(field):
    form = needs_form(**{field: "-1"})
    assert not form.is_valid()
    assert "Cannot be negative." in form.errors[field]


@pytest.mark.parametrize(
    ("start_offset", "end_offset", "ok"),
    [
        (10, 40, True),
        (10, 10, True),
        (10, None, True),
        (None, 40, True),
        (40, 10, False),
        (11, 10, False),
    ],
)
def test_completion_may_not_precede_start(start_offset, end_offset, ok):
    today = date.today()
    fields = {}
    if start_offset is not None:
        fields["project_start_date"] = (today + timedelta(days=start_offset)).isoformat()
    if end_offset is not None:
        fields["project_completion_date"] = (today + timedelta(days=end_offset)).isoformat()
    form = needs_form(**fields)
    assert form.is_valid() is ok
    if not ok:
        assert form.errors["project_completion_date"] == ["The completion date cannot be before the start date."]


def test_needs_form_requires_who_installs_and_cleans_the_rest():
    assert "installation_method" in NeedsForm(data={}).errors
    form = needs_form(
        contractor_name="Ruiz Tile LLC",
        total_budget_min="4000",
        total_budget_max="6500.50",
        tile_budget="1800",
        urgency_level="high",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["total_budget_max"] == D("6500.50")
    assert form.cleaned_data["contractor_name"] == "Ruiz Tile LLC"


# --- SelectionAddForm / SelectionUpdateForm ----------------------------------------------------


@pytest.mark.django_db
def test_selection_add_form_finds_the_product_by_sku_any_case():
    product = ProductFactory(sku="POR-1224-GRY")
    form = SelectionAddForm(data={"product_sku": "  por-1224-gry "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["product"] == product
    assert form.cleaned_data["product_sku"] == "POR-1224-GRY"
    assert form.cleaned_data["selection_status"] == SelectionStatus.CONSIDERED
    assert form.cleaned_data["quantity_ordered"] is None


@pytest.mark.django_db
def test_selection_add_form_refuses_unknown_and_discontinued_skus():
    ProductFactory(sku="OLD-1", discontinued=True)
    unknown = SelectionAddForm(data={"product_sku": "NOPE-404"})
    assert not unknown.is_valid()
    assert unknown.errors["product_sku"] == ["No product with SKU “NOPE-404” in the catalog."]
    old = SelectionAddForm(data={"product_sku": "OLD-1"})
    assert not old.is_valid()
    assert old.errors["product_sku"] == ["OLD-1 is discontinued and can't be newly selected."]


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", ["0", "-2"])
def test_selection_add_form_refuses_a_quantity_below_one_cent(quantity):
    ProductFactory(sku="POR-1")
    form = SelectionAddForm(data={"product_sku": "POR-1", "quantity_ordered": quantity})
    assert not form.is_valid()
    assert "quantity_ordered" in form.errors


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ({"quantity_ordered": "0"}, True),
        ({"quantity_ordered": "7"}, True),
        ({"selection_status": "ordered"}, True),
        ({"quantity_ordered": "-1"}, False),
        ({"selection_status": "bought"}, False),
    ],
)
def test_selection_update_form(data, ok):
    assert SelectionUpdateForm(data=data).is_valid() is ok


# --- openings on walls -----------------------------------------------------------------------------


def _wall(**data):
    base = {"surface_type": "shower_walls", "width_ft": "10", "height_ft": "8", "pattern_type": "straight_lay"}
    return SurfaceForm(data={**base, **data})


@pytest.mark.parametrize(
    ("openings", "area", "openings_sf"),
    [
        ("", Decimal("80.00"), None),
        ("36x80", Decimal("60.00"), Decimal("20.00")),  # a door: 36 x 80 / 144 = 20 sq ft
        ("36x80, 24 x 36", Decimal("54.00"), Decimal("26.00")),  # and a window
        ("12x24; 14 1/2 by 25", Decimal("75.48"), Decimal("4.52")),  # a niche and a fraction
    ],
)
def test_openings_are_taken_off_a_walls_width_by_height(openings, area, openings_sf):
    form = _wall(openings=openings)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["surface_area_sf"] == area
    assert form.cleaned_data["openings_sf"] == openings_sf


def test_a_typed_area_is_the_tiled_area_and_keeps_the_openings_for_the_record():
    form = _wall(openings="36x80", surface_area_sf="55")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["surface_area_sf"], form.cleaned_data["openings_sf"]) == (Decimal("55"), Decimal("20.00"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"openings": "36"}, "write each opening as width x height in inches"),
        ({"openings": "door"}, "write each opening as width x height in inches"),
        ({"openings": "36x0"}, "must be more than zero"),
        ({"openings": "120x96, 1x1"}, "The openings cover the whole wall"),
        ({"openings": "36x80", "surface_type": "floor", "length_ft": "10", "width_ft": "8"}, "walls only"),
        (
            {"openings": "36x80", "width_ft": "", "height_ft": "", "surface_area_sf": ""},
            "Give the wall's width and height",
        ),
    ],
)
def test_bad_openings_get_a_message_next_to_the_field(data, message):
    form = _wall(**data)
    assert not form.is_valid()
    assert any(message in error for errors in form.errors.values() for error in errors)
