"""ProductCatalog.clean() says every CHECK constraint's rule next to its column, before the
database refuses the row (admin forms, import rows)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import NON_NEGATIVE_FIELDS, POSITIVE_FIELDS, ProductCatalog
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal


def test_clean_lists_match_the_check_constraints():
    names = {c.name for c in ProductCatalog._meta.constraints}

    assert {
        n.removeprefix("product_catalog_").removesuffix("_positive") for n in names if n.endswith("_positive")
    } == set(POSITIVE_FIELDS)
    assert {
        n.removeprefix("product_catalog_").removesuffix("_non_negative") for n in names if n.endswith("_non_negative")
    } == set(NON_NEGATIVE_FIELDS)


CLEAN_CASES = [
    ({"price_retail": D("-0.01"), "price_pro": None}, {"price_retail": ["Can't be negative."]}),
    ({"price_pro": D("-1.00")}, {"price_pro": ["Can't be negative."]}),
    ({"lead_time_days": -1}, {"lead_time_days": ["Can't be negative."]}),
    ({"coverage_per_box": D("0.00")}, {"coverage_per_box": ["Must be more than zero."]}),
    ({"pieces_per_box": 0}, {"pieces_per_box": ["Must be more than zero."]}),
    ({"piece_length_ft": D("-2.00")}, {"piece_length_ft": ["Must be more than zero."]}),
    (
        {"price_retail": D("45.88"), "price_pro": D("45.89")},
        {"price_pro": ["The pro price cannot be above the retail price."]},
    ),
]


@pytest.mark.parametrize(("values", "errors"), CLEAN_CASES)
def test_full_clean_puts_each_rule_at_its_field(values, errors):
    product = ProductFactory.build(sku="TST-CLEAN", **values)

    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()

    assert excinfo.value.message_dict == errors


@pytest.mark.parametrize(
    "values",
    [
        {"price_retail": D("0.00"), "price_pro": D("0.00")},
        {"price_retail": D("45.88"), "price_pro": D("45.88")},
        {"price_retail": None, "price_pro": D("99.00")},
        {"lead_time_days": 0, "coverage_per_box": D("0.01")},
    ],
)
def test_full_clean_accepts_the_boundaries(values):
    ProductFactory.build(sku="TST-OK", **values).full_clean()


def test_price_for_uses_the_pro_price_for_pro_accounts_when_there_is_one():
    product = ProductFactory.build(price_retail=D("45.88"), price_pro=D("41.29"))

    assert product.price_for(pro=True) == D("41.29")
    assert product.price_for(pro=False) == D("45.88")
    product.price_pro = None
    assert product.price_for(pro=True) == D("45.88")


def test_bulk_update_values_writes_every_kind_of_value_and_invalidates():
    from django.utils import timezone

    from catalog import cache as catalog_cache

    first = ProductFactory(sku="TST-A", lead_time_days=5, color="gray")
    second = ProductFactory(sku="TST-B", price_pro=None)
    version = catalog_cache.current_version()
    now = timezone.now()
    first.price_retail, first.lead_time_days, first.color, first.in_stock, first.updated_at = (
        D("50.10"),
        None,
        None,
        False,
        now,
    )
    second.price_pro, second.product_name, second.edge_type, second.updated_at = D("40.00"), "It's “new”", "stone", now
    fields = [
        "price_retail",
        "price_pro",
        "lead_time_days",
        "color",
        "in_stock",
        "product_name",
        "edge_type",
        "updated_at",
    ]

    assert ProductCatalog.objects.bulk_update_values([first, second], fields, batch_size=1) == 2

    assert catalog_cache.current_version() > version
    assert list(ProductCatalog.objects.values_list("sku", *fields)) == [
        ("TST-A", D("50.10"), D("41.29"), None, None, False, first.product_name, "rectified", now),
        ("TST-B", D("45.88"), D("40.00"), None, "gray", True, "It's “new”", "stone", now),
    ]
