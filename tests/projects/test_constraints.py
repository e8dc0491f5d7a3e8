"""The database itself refuses bad projects, rooms, surfaces and product selections. Every write
bypasses model validation (`QuerySet.update`), so only the schema's constraints stand in the way;
each refused value is paired with the boundary value beside it being accepted, so a constraint
that refused everything would fail too. The error must name the constraint, so a row refused for
some other reason does not count."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

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
START = date(2026, 5, 4)


def _refused(model, pk, **values):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        model.objects.filter(pk=pk).update(**values)
    return str(excinfo.value)


def _accepted(model, pk, **values):
    assert model.objects.filter(pk=pk).update(**values) == 1
    assert model.objects.values(*values).get(pk=pk) == values


def _covered(cases):
    return {case[0] for case in cases}


# (constraint, bad values, good values at the boundary). ProjectFactory's budget is 5000–9000.
PROJECT_CASES = [
    ("projects_project_status_valid", {"project_status": "on_hold"}, {"project_status": "cancelled"}),
    ("projects_project_status_valid", {"project_status": ""}, {"project_status": None}),
    ("projects_installation_method_valid", {"installation_method": "robot"}, {"installation_method": "unknown"}),
    ("projects_urgency_level_valid", {"urgency_level": "asap"}, {"urgency_level": "rush"}),
    (
        "projects_total_budget_min_non_negative",
        {"total_budget_min": D("-0.01")},
        {"total_budget_min": D("0.00")},
    ),
    (
        "projects_total_budget_max_non_negative",
        {"total_budget_min": None, "total_budget_max": D("-0.01")},
        {"total_budget_min": None, "total_budget_max": D("0.00")},
    ),
    ("projects_tile_budget_non_negative", {"tile_budget": D("-0.01")}, {"tile_budget": D("0.00")}),
    (
        "projects_budget_min_le_max",
        {"total_budget_min": D("9000.01"), "total_budget_max": D("9000.00")},
        {"total_budget_min": D("9000.00"), "total_budget_max": D("9000.00")},
    ),
    (
        "projects_completion_after_start",
        {"project_start_date": START, "project_completion_date": START - timedelta(days=1)},
        {"project_start_date": START, "project_completion_date": START},
    ),
]

ROOM_CASES = [
    ("project_rooms_room_type_valid", {"room_type": "garage"}, {"room_type": "other"}),
    *[
        (f"project_rooms_{column}_positive", {column: bad}, {column: D("0.01")})
        for column in ("room_length_ft", "room_width_ft", "room_height_ft")
        for bad in (D("0.00"), D("-1.00"))
    ],
]

SURFACE_CASES = [
    ("surfaces_surface_type_valid", {"surface_type": "roof"}, {"surface_type": "exterior_wall"}),
    ("surfaces_pattern_type_valid", {"pattern_type": "spiral"}, {"pattern_type": "versailles"}),
    ("surfaces_complexity_level_valid", {"complexity_level": "extreme"}, {"complexity_level": "complex"}),
    ("surfaces_surface_area_sf_positive", {"surface_area_sf": D("0.00")}, {"surface_area_sf": D("0.01")}),
    ("surfaces_surface_area_sf_positive", {"surface_area_sf": D("-5.00")}, {"surface_area_sf": D("0.01")}),
    *[
        (f"surfaces_{column}_positive", {column: bad}, {column: D("0.01")})
        for column in ("length_ft", "width_ft", "height_ft")
        for bad in (D("0.00"), D("-1.00"))
    ],
    ("surfaces_waste_factor_range", {"waste_factor": D("-0.01")}, {"waste_factor": D("0.00")}),
    ("surfaces_waste_factor_range", {"waste_factor": D("1.00")}, {"waste_factor": D("0.99")}),
    ("surfaces_waste_factor_range", {"waste_factor": D("1.50")}, {"waste_factor": None}),
    ("surfaces_grout_joint_in_range", {"grout_joint_in": D("0")}, {"grout_joint_in": D("0.0625")}),
    ("surfaces_grout_joint_in_range", {"grout_joint_in": D("1.0001")}, {"grout_joint_in": D("1")}),
    ("surfaces_trim_linear_ft_non_negative", {"trim_linear_ft": D("-0.01")}, {"trim_linear_ft": D("0.00")}),
    ("surfaces_bond_offset_pct_range", {"bond_offset_pct": D("-1")}, {"bond_offset_pct": D("0")}),
    ("surfaces_bond_offset_pct_range", {"bond_offset_pct": D("100.01")}, {"bond_offset_pct": D("100")}),
    ("surfaces_obstacles_count_non_negative", {"obstacles_count": -1}, {"obstacles_count": 0}),
    ("surfaces_openings_sf_non_negative", {"openings_sf": D("-0.01")}, {"openings_sf": D("0.00")}),
]

SELECTION_CASES = [
    ("selected_products_product_type_valid", {"product_type": "lumber"}, {"product_type": "accessories"}),
    ("selected_products_unit_of_measure_valid", {"unit_of_measure": "pallet"}, {"unit_of_measure": "gallon"}),
    ("selected_products_selection_status_valid", {"selection_status": "wished"}, {"selection_status": "delivered"}),
    *[
        (f"selected_products_{column}_non_negative", {column: D("-0.01")}, {column: D("0.00")})
        for column in ("quantity_needed", "quantity_ordered", "price_per_unit", "total_price")
    ],
    ("selected_products_box_coverage_sf_positive", {"box_coverage_sf": D("0.00")}, {"box_coverage_sf": D("0.01")}),
    ("selected_products_box_coverage_sf_positive", {"box_coverage_sf": D("-1.00")}, {"box_coverage_sf": None}),
]


@pytest.mark.parametrize(("constraint", "bad", "good"), PROJECT_CASES)
def test_project_constraint(constraint, bad, good):
    project = ProjectFactory()

    assert constraint in _refused(Project, project.pk, **bad)

    _accepted(Project, project.pk, **good)


@pytest.mark.parametrize(("constraint", "bad", "good"), ROOM_CASES)
def test_room_constraint(constraint, bad, good):
    room = RoomFactory()

    assert constraint in _refused(ProjectRoom, room.pk, **bad)

    _accepted(ProjectRoom, room.pk, **good)


@pytest.mark.parametrize(("constraint", "bad", "good"), SURFACE_CASES)
def test_surface_constraint(constraint, bad, good):
    surface = SurfaceFactory()

    assert constraint in _refused(Surface, surface.pk, **bad)

    _accepted(Surface, surface.pk, **good)


@pytest.mark.parametrize(("constraint", "bad", "good"), SELECTION_CASES)
def test_selection_constraint(constraint, bad, good):
    selection = SelectionFactory()

    assert constraint in _refused(SelectedProduct, selection.pk, **bad)

    _accepted(SelectedProduct, selection.pk, **good)


def test_either_budget_or_date_may_be_missing():
    project = ProjectFactory()

    _accepted(Project, project.pk, total_budget_min=D("9999.00"), total_budget_max=None)
    _accepted(Project, project.pk, total_budget_min=None, total_budget_max=D("1.00"))
    _accepted(Project, project.pk, project_start_date=None, project_completion_date=START)


# Foreign keys are DEFERRABLE INITIALLY DEFERRED on both databases (Django's default), so the
# check runs at commit. The test transaction never commits: `check_constraints` forces the check
# now (SET CONSTRAINTS ALL IMMEDIATE on PostgreSQL, PRAGMA foreign_key_check on SQLite).
def _fk_refused(model, pk, **values):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        model.objects.filter(pk=pk).update(**values)
        connection.check_constraints(table_names=[model._meta.db_table])
    return str(excinfo.value)


def _fk_accepted(model, pk, **values):
    assert model.objects.filter(pk=pk).update(**values) == 1
    connection.check_constraints(table_names=[model._meta.db_table])
    assert model.objects.values(*values).get(pk=pk) == values


def test_unknown_product_sku_on_a_selection_is_refused():
    selection = SelectionFactory()
    ProductFactory(sku="TST-KNOWN")

    assert "product_sku" in _fk_refused(SelectedProduct, selection.pk, product_id="NO-SUCH-SKU")

    _fk_accepted(SelectedProduct, selection.pk, product_id="TST-KNOWN")


@pytest.mark.parametrize(
    ("factory", "model", "column", "parent_factory"),
    [
        (ProjectFactory, Project, "customer_id", CustomerFactory),
        (RoomFactory, ProjectRoom, "project_id", ProjectFactory),
        (SurfaceFactory, Surface, "room_id", RoomFactory),
        (SelectionFactory, SelectedProduct, "surface_id", SurfaceFactory),
    ],
)
def test_parent_foreign_key_refuses_unknown_parent(factory, model, column, parent_factory):
    row = factory()
    parent = parent_factory()

    assert column in _fk_refused(model, row.pk, **{column: uuid.uuid4()})

    _fk_accepted(model, row.pk, **{column: parent.pk})


@pytest.mark.parametrize(
    ("factory", "model", "column"),
    [
        (ProjectFactory, Project, "installation_method"),
        (RoomFactory, ProjectRoom, "room_type"),
        (SurfaceFactory, Surface, "surface_type"),
        (SurfaceFactory, Surface, "surface_area_sf"),
        (SelectionFactory, SelectedProduct, "product_type"),
        (SelectionFactory, SelectedProduct, "unit_of_measure"),
    ],
)
def test_seed_not_null_columns_refuse_null(factory, model, column):
    row = factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{column: None})

    assert model.objects.values_list(column, flat=True).get(pk=row.pk) is not None


@pytest.mark.parametrize(
    ("model", "cases"),
    [(Project, PROJECT_CASES), (ProjectRoom, ROOM_CASES), (Surface, SURFACE_CASES), (SelectedProduct, SELECTION_CASES)],
)
def test_every_constraint_is_covered(model, cases):
    assert {constraint.name for constraint in model._meta.constraints} == _covered(cases)
