"""The customer search by name and email, from an index on PostgreSQL (a no-op on SQLite).

`idx_customers_search_trgm`: GIN trigram index (pg_trgm) on the expression that
`customers.models.SearchText` renders inside Django's `icontains` lookup, `UPPER((…)::text)`, so
`LIKE UPPER('%WORD%')` for each typed word is served by the index (a bitmap AND across words, a
bitmap OR with the phone digits' trigram index when the query holds digits too). A trigram index on
a plain column would not be used: `icontains` compares the column's UPPER(). The expression is
written out here, frozen: if SearchText ever changes, a new migration must rebuild this index with
the new expression (tests/customers/test_search.py EXPLAINs the search's real SQL to notice).

Not in the model's Meta.indexes, as catalog 0002 explains: SQLite could not build it, and SQLite
remakes the table (with every Meta index) whenever a later migration alters a column.

Building it takes ≈ 15 s at a million customers and holds writes to `customers` meanwhile
(docs/performance.md); run the migration outside opening hours on a large store.
"""

from django.db import migrations

SEARCH_TEXT = "UPPER((COALESCE(first_name, '') || ' ' || COALESCE(last_name, '') || ' ' || COALESCE(email, ''))::text)"
CREATE = f"CREATE INDEX IF NOT EXISTS idx_customers_search_trgm ON customers USING gin (({SEARCH_TEXT}) gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS idx_customers_search_trgm"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_merge_lists_and_rules"),
    ]

    # pg_trgm comes from 0002 (TrigramExtension): not repeated here, because reversing it would try to
    # drop the extension that the phone and catalog trigram indexes still use.
    operations = [
        migrations.RunPython(_run(CREATE), _run(DROP), elidable=False),
    ]
