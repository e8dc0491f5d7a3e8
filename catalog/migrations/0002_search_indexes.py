"""Indexes for the wizard's product search, on PostgreSQL only (a no-op on SQLite).

- `idx_catalog_search_trgm`: GIN trigram index (pg_trgm) on the expression that
  `catalog.models.SearchText` renders, so `LIKE '%WORD%'` for each typed word is served by the
  index (a bitmap AND across words). The expression is written out here, frozen: if SearchText
  ever changes, a new migration must rebuild this index with the new expression.
- `idx_catalog_sku_upper`: B-tree on UPPER(sku) with text_pattern_ops, for the case-insensitive
  SKU prefix (`sku__istartswith` → `UPPER(sku::text) LIKE 'ABC%'`) and exact SKU lookups.
- `idx_catalog_search_order` (every database, in Meta.indexes): the search's ORDER BY, so a common
  word's first matches are read in order instead of sorting thousands of rows.

Neither index is in the model's Meta.indexes: SQLite could not build them, and SQLite remakes the
table (with every Meta index) whenever a later migration alters a column.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

SEARCH_TEXT = (
    "UPPER(COALESCE(product_name, '') || ' ' || COALESCE(brand, '') || ' ' || "
    "COALESCE(color, '') || ' ' || COALESCE(material, ''))"
)

CREATE = [
    f"CREATE INDEX IF NOT EXISTS idx_catalog_search_trgm ON product_catalog USING gin (({SEARCH_TEXT}) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS idx_catalog_sku_upper ON product_catalog (UPPER(sku::text) text_pattern_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS idx_catalog_sku_upper",
    "DROP INDEX IF EXISTS idx_catalog_search_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        # CreateExtension (TrigramExtension) does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(_run(CREATE), _run(DROP), elidable=False),
        migrations.AddIndex(
            model_name="productcatalog",
            index=models.Index(fields=["discontinued", "-in_stock", "sku"], name="idx_catalog_search_order"),
        ),
    ]
