"""The seed's two sample queries run unchanged against our tables, and the ORM reads that stand for
them (`Project.objects.customer_summary`, `Project.objects.with_selected_total`) return the same
numbers. The SQL is kept inline *and* read out of the seed file, so a test proves it is verbatim."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from customers.models import Customer
from projects.models import Project, ProjectStatus, SelectionStatus
from tests.factories import CustomerFactory, ProjectFactory, RoomFactory, SelectionFactory, SurfaceFactory

pytestmark = pytest.mark.django_db

D = Decimal
SEED_NAME = "000_b723e28e391a1530.txt"

# Copied character for character from the seed's "Sample Queries" (note the space after SELECT).
CUSTOMER_SUMMARY_SQL = (
    "SELECT \n"
    "    c.first_name, c.last_name, c.email,\n"
    "    p.project_name, p.project_status,\n"
    "    COUNT(pr.room_id) as room_count,\n"
    "    SUM(s.surface_area_sf) as total_sf,\n"
    "    p.tile_budget\n"
    "FROM customers c\n"
    "JOIN projects p ON c.customer_id = p.customer_id\n"
    "LEFT JOIN project_rooms pr ON p.project_id = pr.project_id\n"
    "LEFT JOIN surfaces s ON pr.room_id = s.room_id\n"
    "WHERE c.customer_id = ?\n"
    "GROUP BY c.customer_id, p.project_id;"
)

PROJECT_TOTAL_SQL = (
    "SELECT \n"
    "    p.project_id,\n"
    "    SUM(sp.total_price) as project_total,\n"
    "    COUNT(DISTINCT s.surface_id) as surface_count\n"
    "FROM projects p\n"
    "JOIN project_rooms pr ON p.project_id = pr.project_id\n"
    "JOIN surfaces s ON pr.room_id = s.room_id\n"
    "JOIN selected_products sp ON s.surface_id = sp.surface_id\n"
    "WHERE p.project_id = ? AND sp.selection_status = 'selected'\n"
    "GROUP BY p.project_id;"
)


def _seed_text():
    # CI clones the repository with shared/ beside it: <repo>/../shared/seeds/…
    repo = Path(__file__).resolve().parents[2]
    for base in (repo.parent, repo):
        path = base / "shared" / "seeds" / SEED_NAME
        if path.exists():
            return path.read_text()
    return None


def _seed_query(seed, title):
    match = re.search(rf"### {re.escape(title)}\n```sql\n(.*?)\n```", seed, flags=re.DOTALL)
    assert match, f"no query titled {title!r} in the seed"
    return match.group(1)


def _query(title, inline):
    """The seed's text when the seed is present (the inline copy otherwise), `?` bound as `%s`."""
    seed = _seed_text()
    sql = _seed_query(seed, title) if seed else inline
    return sql.replace("?", "%s")


def _db_id(model, pk):
    """How the database stores the UUID key: native uuid on PostgreSQL, 32 hex chars on SQLite."""
    return model._meta.pk.get_db_prep_value(pk, connection)


def _cents(value):
    """Raw SQL on SQLite returns decimal columns and their SUMs as REAL or INTEGER; PostgreSQL
    returns Decimal. Compare both as Decimal cents."""
    return None if value is None else D(str(value)).quantize(D("0.01"))


def _run_customer_summary(customer):
    with connection.cursor() as cursor:
        cursor.execute(_query("Get Customer Project Summary", CUSTOMER_SUMMARY_SQL), [_db_id(Customer, customer.pk)])
        rows = cursor.fetchall()
    # first_name, last_name, email, project_name, project_status, room_count, total_sf, tile_budget;
    # the seed has no ORDER BY, so sort by project name.
    return sorted(((*row[:6], _cents(row[6]), _cents(row[7])) for row in rows), key=lambda row: row[3])


def _run_project_total(project):
    with connection.cursor() as cursor:
        cursor.execute(_query("Calculate Project Total", PROJECT_TOTAL_SQL), [_db_id(Project, project.pk)])
        return [(uuid.UUID(str(project_id)), _cents(total), count) for project_id, total, count in cursor.fetchall()]


def _orm_customer_summary(customer):
    return [
        (
            p.customer.first_name,
            p.customer.last_name,
            p.customer.email,
            p.project_name,
            p.project_status,
            p.room_count,
            p.total_sf,
            p.tile_budget,
        )
        for p in Project.objects.customer_summary(customer.pk)
    ]


def _orm_project_total(project):
    return list(
        Project.objects.with_selected_total()
        .filter(pk=project.pk)
        .values_list("project_id", "project_total", "surface_count")
    )


@pytest.fixture
def ann():
    """Ann has two projects. "Primary bath" has room A (surfaces of 80.00 and 45.50 sq ft) and
    room B (no surfaces); "Kitchen backsplash" has no rooms yet."""
    customer = CustomerFactory(first_name="Ann", last_name="Example", email="ann@example.com")
    bath = ProjectFactory(
        customer=customer, project_name="Primary bath", project_status=ProjectStatus.QUOTED, tile_budget=D("2500.00")
    )
    kitchen = ProjectFactory(customer=customer, project_name="Kitchen backsplash", tile_budget=D("800.00"))
    # customer_summary orders by creation; make that order certain rather than a clock race.
    Project.objects.filter(pk=kitchen.pk).update(created_at=bath.created_at + timedelta(minutes=1))

    room_a = RoomFactory(project=bath, room_name="Room A")
    RoomFactory(project=bath, room_name="Room B")
    floor = SurfaceFactory(room=room_a, surface_area_sf=D("80.00"))
    walls = SurfaceFactory(room=room_a, surface_area_sf=D("45.50"))

    def line(surface, status, quantity, price, total):
        SelectionFactory(
            surface=surface,
            selection_status=status,
            quantity_ordered=D(quantity),
            price_per_unit=D(price),
            total_price=D(total),
        )

    line(floor, SelectionStatus.SELECTED, "6", "45.88", "275.28")
    line(floor, SelectionStatus.SELECTED, "2", "24.50", "49.00")
    line(floor, SelectionStatus.CONSIDERED, "10", "99.99", "999.90")
    line(floor, SelectionStatus.ORDERED, "5", "60.00", "300.00")
    line(walls, SelectionStatus.SELECTED, "3", "10.00", "30.00")
    line(walls, SelectionStatus.ORDERED, "1", "50.00", "50.00")

    # Another customer's project with its own surface and selection, which no query may pick up.
    SelectionFactory(surface=SurfaceFactory(surface_area_sf=D("999.00")), total_price=D("777.77"))
    return customer, bath, kitchen


def test_inline_queries_are_the_seed_text_verbatim():
    seed = _seed_text()
    if seed is None:
        pytest.skip(f"seed file {SEED_NAME} is not beside the repository")

    assert _seed_query(seed, "Get Customer Project Summary") == CUSTOMER_SUMMARY_SQL
    assert _seed_query(seed, "Calculate Project Total") == PROJECT_TOTAL_SQL


def test_seed_customer_summary_returns_hand_computed_rows(ann):
    customer, _bath, _kitchen = ann

    assert _run_customer_summary(customer) == [
        # No rooms: the LEFT JOINs give one row with NULL room and surface.
        ("Ann", "Example", "ann@example.com", "Kitchen backsplash", "inquiry", 0, None, D("800.00")),
        # Rows (A, floor), (A, walls), (B, NULL): COUNT(pr.room_id) = 3 — the seed counts
        # room×surface rows, not rooms — and SUM = 80.00 + 45.50 = 125.50.
        ("Ann", "Example", "ann@example.com", "Primary bath", "quoted", 3, D("125.50"), D("2500.00")),
    ]


def test_orm_customer_summary_matches_the_seed_sql_row_for_row(ann):
    customer, bath, kitchen = ann

    orm_rows = _orm_customer_summary(customer)

    assert [row[3] for row in orm_rows] == [bath.project_name, kitchen.project_name]  # oldest first
    assert sorted(orm_rows, key=lambda row: row[3]) == _run_customer_summary(customer)


def test_seed_project_total_returns_hand_computed_row(ann):
    _customer, bath, _kitchen = ann

    # Selected lines only: 275.28 + 49.00 (floor) + 30.00 (walls) = 354.28, on 2 distinct
    # surfaces (3 selected lines). Considered 999.90 and ordered 300.00 + 50.00 are left out.
    assert _run_project_total(bath) == [(bath.pk, D("354.28"), 2)]


def test_orm_project_total_matches_the_seed_sql(ann):
    _customer, bath, _kitchen = ann

    assert _orm_project_total(bath) == _run_project_total(bath) == [(bath.pk, D("354.28"), 2)]


def test_project_without_selected_lines_has_no_seed_row_and_an_empty_orm_total(ann):
    _customer, _bath, kitchen = ann
    considered_only = SelectionFactory(selection_status=SelectionStatus.CONSIDERED).surface.room.project

    for project in (kitchen, considered_only):
        # The seed's inner joins drop the project; the ORM keeps it with no total and no surfaces.
        assert _run_project_total(project) == []
        assert _orm_project_total(project) == [(project.pk, None, 0)]


def test_customer_summary_is_one_query_however_many_rows(ann, django_assert_num_queries):
    customer, bath, kitchen = ann

    with django_assert_num_queries(1):
        before = _orm_customer_summary(customer)
    assert [(row[5], row[6]) for row in before] == [(3, D("125.50")), (0, None)]

    # Three rooms of two 10.00 sq ft surfaces on the kitchen, and a third project with one room.
    for _ in range(3):
        room = RoomFactory(project=kitchen)
        SurfaceFactory.create_batch(2, room=room, surface_area_sf=D("10.00"))
    patio = ProjectFactory(customer=customer, project_name="Patio", tile_budget=None)
    Project.objects.filter(pk=patio.pk).update(created_at=bath.created_at + timedelta(minutes=2))
    RoomFactory(project=patio, room_type="outdoor")

    with django_assert_num_queries(1):
        after = _orm_customer_summary(customer)
    assert [(row[3], row[5], row[6]) for row in after] == [
        ("Primary bath", 3, D("125.50")),
        ("Kitchen backsplash", 6, D("60.00")),  # 3 rooms × 2 surfaces, 6 × 10.00
        ("Patio", 1, None),  # one room, no surfaces
    ]
    assert sorted(after, key=lambda row: row[3]) == _run_customer_summary(customer)


def test_selected_total_is_one_query_however_many_lines(ann, django_assert_num_queries):
    _customer, bath, _kitchen = ann

    with django_assert_num_queries(1):
        assert _orm_project_total(bath) == [(bath.pk, D("354.28"), 2)]

    new_surface = SurfaceFactory(room=RoomFactory(project=bath))
    SelectionFactory.create_batch(
        4, surface=new_surface, quantity_ordered=D("1"), price_per_unit=D("2.50"), total_price=D("2.50")
    )

    with django_assert_num_queries(1):
        # 354.28 + 4 × 2.50 = 364.28 on 3 distinct surfaces.
        assert _orm_project_total(bath) == [(bath.pk, D("364.28"), 3)]
    assert _run_project_total(bath) == [(bath.pk, D("364.28"), 3)]
