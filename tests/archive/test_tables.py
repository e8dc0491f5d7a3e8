"""The archive tables have the live tables' shape: same names, same columns, same types and
null-ness. A column added to a live table without its archive twin fails here."""

import pytest
from django.db import connection, transaction

from archive import tables
from archive.models import TWIN_OF
from conversations.models import ConversationLog
from projects.models import ProjectRoom, SelectedProduct, Surface
from quotes.models import Quote

pytestmark = pytest.mark.django_db

LIVE = [ProjectRoom, Surface, SelectedProduct, Quote, ConversationLog]


def _archive_columns(table: str) -> dict:
    return tables.columns_of(connection, table, schema=tables.SCHEMA)


@pytest.mark.parametrize("model", LIVE, ids=lambda m: m._meta.db_table)
def test_each_archive_table_has_the_live_tables_columns_and_types(model):
    table = model._meta.db_table
    live = tables.columns_of(connection, table)
    assert live, f"no live table {table}"
    assert _archive_columns(table) == live
    # The read model reads exactly those columns.
    assert {f.column for f in TWIN_OF[model]._meta.concrete_fields} == set(live)


def test_a_column_added_to_a_live_table_only_is_caught():
    with transaction.atomic():
        sid = transaction.savepoint()
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE project_rooms ADD COLUMN tile_lead_days integer")
        live = tables.columns_of(connection, "project_rooms")
        assert "tile_lead_days" in live
        assert _archive_columns("project_rooms") != live
        transaction.savepoint_rollback(sid)
    assert "tile_lead_days" not in tables.columns_of(connection, "project_rooms")


def test_a_changed_type_is_caught():
    with transaction.atomic():
        sid = transaction.savepoint()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE archive.project_rooms ALTER COLUMN room_name TYPE varchar(50)")
            else:  # SQLite cannot change a type: a twin with one column of another type stands in
                cursor.execute("DROP TABLE archive_project_rooms")
                cursor.execute(
                    "CREATE TABLE archive_project_rooms (room_id char(32) NOT NULL PRIMARY KEY, room_name text)"
                )
        assert _archive_columns("project_rooms") != tables.columns_of(connection, "project_rooms")
        transaction.savepoint_rollback(sid)
    assert _archive_columns("project_rooms") == tables.columns_of(connection, "project_rooms")


@pytest.mark.postgres
def test_on_postgresql_the_twins_live_in_the_archive_schema_under_the_live_names(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'archive' ORDER BY table_name"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names == sorted(m._meta.db_table for m in LIVE)
    assert TWIN_OF[Quote]._meta.db_table == 'archive"."quotes'


def test_on_sqlite_the_twins_are_archive_tables_beside_the_live_ones():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite naming")
    existing = set(connection.introspection.table_names())
    assert {f"archive_{m._meta.db_table}" for m in LIVE} <= existing
