"""The wizard's product search: `ProductCatalog.objects.search(query)[:8]` (conversations/views.py).
A SKU prefix, or every word in the name, brand, color or material; in stock first, discontinued
last (listed, flagged, not selectable)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import SEARCH_MAX_RESULTS, ProductCatalog, ProductSearch
from projects.models import ProductType
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def skus(results):
    return [product.sku for product in results]


@pytest.fixture
def catalog():
    ProductFactory(
        sku="POR-1224-GRY", product_name="Stonefield 12x24", brand="Northline", color="gray", material="porcelain"
    )
    ProductFactory(
        sku="POR-1224-WHT", product_name="Stonefield 12x24", brand="Northline", color="white", material="porcelain"
    )
    ProductFactory(
        sku="CER-0312-GRY", product_name="Metro subway 3x12", brand="Cerama", color="dove gray", material="ceramic"
    )
    ProductFactory(
        sku="CER-0312-BLU",
        product_name="Metro subway 3x12",
        brand="Cerama",
        color="blue",
        material="ceramic",
        in_stock=False,
    )
    ProductFactory(sku="MAR-HEX-2", product_name="Carrara hex mosaic", brand="Marmo", color="white", material="marble")
    ProductFactory(
        sku="POR-0848-GRY", product_name="Driftwood plank 8x48", brand="Northline", color="gray", discontinued=True
    )


def test_a_sku_prefix_finds_its_products(catalog):
    assert skus(ProductCatalog.objects.search("POR-1224")[:8]) == ["POR-1224-GRY", "POR-1224-WHT"]


def test_the_sku_prefix_ignores_letter_case_and_spaces(catalog):
    assert skus(ProductCatalog.objects.search("  por-1224-g ")[:8]) == ["POR-1224-GRY"]


def test_a_sku_matches_from_its_start_only(catalog):
    assert skus(ProductCatalog.objects.search("1224-GRY")[:8]) == []


def test_a_color_word_finds_products_in_stock_first_and_discontinued_last(catalog):
    assert skus(ProductCatalog.objects.search("gray")[:8]) == ["CER-0312-GRY", "POR-1224-GRY", "POR-0848-GRY"]


def test_out_of_stock_comes_after_in_stock(catalog):
    assert skus(ProductCatalog.objects.search("metro")[:8]) == ["CER-0312-GRY", "CER-0312-BLU"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("northline white", ["POR-1224-WHT"]),  # brand + color
        ("WHITE porcelain", ["POR-1224-WHT"]),  # color + material, any case
        ("subway blue", ["CER-0312-BLU"]),  # name + color
        ("marble hex", ["MAR-HEX-2"]),  # material + name
        ("dove", ["CER-0312-GRY"]),  # part of a color
        ("gray marble", []),  # every word must match
        ("stone", ["POR-1224-GRY", "POR-1224-WHT"]),  # part of a word ("Stonefield"), as the associate types
    ],
)
def test_every_word_must_match_the_name_brand_color_or_material(catalog, query, expected):
    assert skus(ProductCatalog.objects.search(query)[:8]) == expected


def test_like_wildcards_are_searched_for_literally(catalog):
    ProductFactory(sku="TST-PCT", product_name="Sale 100% porcelain")

    assert skus(ProductCatalog.objects.search("100%")[:8]) == ["TST-PCT"]
    assert skus(ProductCatalog.objects.search("_")[:8]) == []


@pytest.mark.parametrize("query", ["", "   ", None])
def test_an_empty_query_finds_nothing_without_a_query(catalog, query, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ProductCatalog.objects.search(query)[:8] == []


def test_search_is_lazy_and_slicing_asks_for_that_many(catalog, django_assert_num_queries):
    with django_assert_num_queries(0):
        search = ProductCatalog.objects.search("northline")
    assert isinstance(search, ProductSearch)

    with django_assert_num_queries(1):
        first = search[:2]
    assert isinstance(first, list)
    assert skus(first) == ["POR-1224-GRY", "POR-1224-WHT"]
    assert skus(search) == ["POR-1224-GRY", "POR-1224-WHT", "POR-0848-GRY"]
    assert len(search) == 3
    assert search[1].sku == "POR-1224-WHT"
    assert skus(search[1:]) == ["POR-1224-WHT", "POR-0848-GRY"]


def test_iterating_a_search_reads_at_most_the_maximum():
    ProductFactory.create_batch(SEARCH_MAX_RESULTS + 5, color="sand")

    assert len(list(ProductCatalog.objects.search("sand"))) == SEARCH_MAX_RESULTS
    assert len(ProductCatalog.objects.search("sand", limit=SEARCH_MAX_RESULTS + 5)) == SEARCH_MAX_RESULTS + 5


def test_matching_is_the_uncached_queryset(catalog):
    queryset = ProductCatalog.objects.matching("gray")

    assert queryset.count() == 3
    assert skus(queryset.filter(discontinued=False)) == ["CER-0312-GRY", "POR-1224-GRY"]


def test_a_search_is_one_query_then_none(catalog):
    with CaptureQueriesContext(connection) as queries:
        ProductCatalog.objects.search("gray")[:8]
        ProductCatalog.objects.search("GRAY ")[:8]
        ProductCatalog.objects.search("gray")[:8]

    assert len(queries) == 1


def test_lookup_finds_a_sku_in_any_case_and_caches_misses(catalog, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert ProductCatalog.objects.lookup(" mar-hex-2 ").sku == "MAR-HEX-2"
        assert ProductCatalog.objects.lookup("NOPE-1") is None
    with django_assert_num_queries(0):
        assert ProductCatalog.objects.lookup("MAR-HEX-2").price_retail == Decimal("45.88")
        assert ProductCatalog.objects.lookup("nope-1") is None
        assert ProductCatalog.objects.lookup("") is None


def test_kit_candidates_are_sellable_products_of_the_types_in_stock_first(django_assert_num_queries):
    ProductFactory(sku="GRT-B", product_type="grout", in_stock=False)
    ProductFactory(sku="GRT-A", product_type="grout")
    ProductFactory(sku="GRT-OLD", product_type="grout", discontinued=True)
    ProductFactory(sku="THN-1", product_type="adhesive")
    ProductFactory(sku="TILE-1", product_type="tile")

    with django_assert_num_queries(1):
        assert skus(ProductCatalog.objects.kit_candidates(["grout", "adhesive"])) == ["GRT-A", "THN-1", "GRT-B"]
        assert skus(ProductCatalog.objects.kit_candidates(("adhesive", "grout"))) == ["GRT-A", "THN-1", "GRT-B"]
        assert skus(ProductCatalog.objects.kit_candidates([ProductType.GROUT, ProductType.ADHESIVE])) == [
            "GRT-A",
            "THN-1",
            "GRT-B",
        ]


# --- PostgreSQL: the indexes that serve the search ---------------------------------------------------


def _plan(sql, params, *, hide=()):
    """EXPLAIN with sequential scans off; on a test's few rows the planner may just as well walk the
    ORDER BY index with a filter, so `hide` drops competing indexes inside the test's transaction
    (rolled back after) to show the one under test can serve the query."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for name in hide:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_search_indexes_exist_on_postgresql(postgres_only):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'product_catalog'")
        indexes = dict(cursor.fetchall())
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)

    assert "USING gin" in indexes["idx_catalog_search_trgm"]
    assert "gin_trgm_ops" in indexes["idx_catalog_search_trgm"]
    assert "text_pattern_ops" in indexes["idx_catalog_sku_upper"]


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("gray", "idx_catalog_search_trgm"),
        ("northline gray", "idx_catalog_search_trgm"),
        ("POR-12", "idx_catalog_sku_upper"),
    ],
)
def test_the_search_query_can_use_its_indexes_on_postgresql(postgres_only, catalog, query, index):
    sql, params = ProductCatalog.objects.matching(query)[:8].query.sql_with_params()

    assert index in _plan(sql, params, hide=("idx_catalog_search_order",))


def test_no_search_index_on_sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'product_catalog'")
        names = {row[0] for row in cursor.fetchall()}

    assert not names & {"idx_catalog_search_trgm", "idx_catalog_sku_upper"}
