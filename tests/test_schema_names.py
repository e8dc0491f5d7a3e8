"""The database carries the seed's table, column and index names, so the seed's SQL runs unchanged.
The expected names are read out of the seed file itself; the one deliberate rename is
`sales_associate`, a foreign key to the user stored as `sales_associate_id` (DESIGN.md)."""

import re
from pathlib import Path

import pytest
from django.db import connection

SEED_NAME = "000_b723e28e391a1530.txt"
RENAMED = {"sales_associate": "sales_associate_id"}


def _seed_path():
    # CI clones the repository with shared/ beside it: <repo>/../shared/seeds/…
    repo = Path(__file__).resolve().parents[1]
    for base in (repo.parent, repo):
        candidate = base / "shared" / "seeds" / SEED_NAME
        if candidate.exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def seed_text():
    path = _seed_path()
    if path is None:
        pytest.skip(f"seed file {SEED_NAME} is not beside the repository")
    return path.read_text()


@pytest.fixture(scope="module")
def seed_tables(seed_text):
    """{table: [column, …]} from each CREATE TABLE block. A column line is indented four spaces
    and starts with a lower-case name; ENUM continuation lines are indented deeper or start with
    a quote or parenthesis."""
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\);", seed_text, flags=re.DOTALL):
        tables[name] = [RENAMED.get(column, column) for column in re.findall(r"^ {4}([a-z_0-9]+) ", body, re.M)]
    return tables


@pytest.fixture(scope="module")
def seed_indexes(seed_text):
    """[(index, table, [column, …]), …] from the "Key Indexes" section."""
    return [
        (index, table, [column.strip() for column in columns.split(",")])
        for index, table, columns in re.findall(r"CREATE INDEX (\w+) ON (\w+)\(([^)]*)\);", seed_text)
    ]


def test_seed_parses_into_eight_tables_and_thirteen_indexes(seed_tables, seed_indexes):
    assert sorted(seed_tables) == sorted(
        [
            "customers",
            "projects",
            "project_rooms",
            "surfaces",
            "selected_products",
            "conversation_log",
            "quotes",
            "product_catalog",
        ]
    )
    # Spot checks that the parser kept whole column lists, ENUMs spanning lines included.
    assert seed_tables["customers"][:2] == ["customer_id", "first_name"]
    assert seed_tables["customers"][-1] == "notes"
    assert "room_type" in seed_tables["project_rooms"]
    assert seed_tables["project_rooms"][-1] == "updated_at"
    assert "sales_associate_id" in seed_tables["projects"]
    assert len(seed_tables["conversation_log"]) == 16  # id, project, date, type, phase, 6 scores, 5 more
    assert seed_tables["conversation_log"][-1] == "next_contact_date"
    assert len(seed_tables["customers"]) == 19
    assert len(seed_indexes) == 13


def _introspected_columns(table):
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def test_every_seed_table_and_column_exists(db, seed_tables):
    existing_tables = set(connection.introspection.table_names())

    for table, columns in seed_tables.items():
        assert table in existing_tables
        missing = set(columns) - _introspected_columns(table)
        assert not missing, f"{table} lacks {sorted(missing)}"


def test_every_seed_index_exists_on_its_columns(db, seed_indexes):
    for index, table, columns in seed_indexes:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        assert index in constraints, f"{index} missing on {table}"
        assert constraints[index]["index"]
        assert constraints[index]["columns"] == columns


def test_information_schema_has_every_seed_table_and_column(postgres_only, seed_tables):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ANY(%s)",
            [list(seed_tables)],
        )
        found = {}
        for table, column in cursor.fetchall():
            found.setdefault(table, set()).add(column)

    assert set(found) == set(seed_tables)
    for table, columns in seed_tables.items():
        missing = set(columns) - found[table]
        assert not missing, f"{table} lacks {sorted(missing)}"
    for table in ("projects", "conversation_log", "quotes"):
        assert "sales_associate_id" in found[table]
        assert "sales_associate" not in found[table]


def test_pg_indexes_has_every_seed_index(postgres_only, seed_indexes):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        indexes = {name: (table, definition) for name, table, definition in cursor.fetchall()}

    for index, table, columns in seed_indexes:
        assert index in indexes, f"{index} missing"
        found_table, definition = indexes[index]
        assert found_table == table
        assert definition.endswith(f"({', '.join(columns)})")
