"""At 50,000 products: the wizard's search still finds a product by a SKU prefix and by a color
word, in stock first; and the benchmark command runs (on a small catalog here)."""

import io

import pytest
from django.core.management import call_command

from catalog.bench import RARE_COLOR, SKU_PREFIX, synthetic_products
from catalog.models import ProductCatalog
from tests.catalog.helpers import Floor

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty_thousand():
    ProductCatalog.objects.bulk_create(synthetic_products(50_000), batch_size=2000)
    assert ProductCatalog.objects.count() == 50_000


def test_the_wizard_finds_a_product_by_sku_prefix_and_by_color_word_at_50k(fifty_thousand):
    floor = Floor()
    sku = ProductCatalog.objects.order_by("-sku").values_list("sku", flat=True)[1234]
    rare = sorted(ProductCatalog.objects.filter(color=RARE_COLOR).values_list("sku", flat=True))
    assert 1 <= len(rare) <= 8

    by_sku = floor.search(sku.lower())
    by_color = floor.search(RARE_COLOR)

    assert sku in by_sku
    assert all(s in by_color for s in rare)
    found = ProductCatalog.objects.search("gray")[:8]
    assert len(found) == 8
    assert all(p.in_stock and not p.discontinued for p in found)
    assert all("GRAY" in p.color.upper() or "GRAY" in p.product_name.upper() for p in found)


def test_the_benchmark_command_runs(db):
    out = io.StringIO()

    call_command("bench_catalog", rows=300, runs=5, stdout=out)

    report = out.getvalue()
    assert "new products" in report
    assert "new 300" in report
    assert "every product changed" in report
    assert "cached median" in report
    assert not ProductCatalog.objects.filter(sku__startswith=SKU_PREFIX).exists()
