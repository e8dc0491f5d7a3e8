"""The database itself refuses bad catalog rows. Writes bypass model validation (`QuerySet.update`
or a raw INSERT); each refused value is paired with the boundary value beside it being accepted,
and the error must name the constraint that refused it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.models import ProductCatalog
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _refused(pk, **values):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        ProductCatalog.objects.filter(pk=pk).update(**values)
    return str(excinfo.value)


def _accepted(pk, **values):
    assert ProductCatalog.objects.filter(pk=pk).update(**values) == 1
    assert ProductCatalog.objects.values(*values).get(pk=pk) == values


POSITIVE_COLUMNS = (
    "size_length",
    "size_width",
    "size_thickness",
    "coverage_per_box",
    "pack_weight_lb",
    "pack_coverage_sf",
    "piece_length_ft",
    "grout_lb_per_sf",
)

SHEET = {
    "mounting": "sheet",
    "chip_length": D("2.00"),
    "chip_width": D("2.00"),
    "chip_shape": "square",
    "sheet_coverage_sf": D("0.96"),
}
NOMINAL = {"nominal_length": D("24.00"), "nominal_width": D("24.00")}

# (constraint, bad values, good values at the boundary). ProductFactory prices: 45.88 retail, 41.29 pro.
CASES = [
    ("product_catalog_product_type_valid", {"product_type": "lumber"}, {"product_type": "grout"}),
    ("product_catalog_product_type_valid", {"product_type": ""}, {"product_type": None}),
    ("product_catalog_unit_of_measure_valid", {"unit_of_measure": "pallet"}, {"unit_of_measure": "piece"}),
    ("product_catalog_edge_type_valid", {"edge_type": "bullnose"}, {"edge_type": "stone"}),
    ("product_catalog_edge_type_valid", {"edge_type": ""}, {"edge_type": None}),
    *[
        (f"product_catalog_{column}_positive", {column: bad}, {column: D("0.01")})
        for column in POSITIVE_COLUMNS
        for bad in (D("0.00"), D("-1.00"))
    ],
    ("product_catalog_mounting_valid", {"mounting": "glued"}, {"mounting": "loose"}),
    ("product_catalog_chip_shape_valid", {**SHEET, "chip_shape": "star"}, {**SHEET, "chip_shape": "penny_round"}),
    *[
        (f"product_catalog_{column}_positive", {**SHEET, column: bad}, {**SHEET, column: D("0.01")})
        for column in ("chip_length", "chip_width", "sheet_coverage_sf")
        for bad in (D("0.00"), D("-1.00"))
    ],
    *[
        (f"product_catalog_{column}_positive", {**NOMINAL, column: bad}, {**NOMINAL, column: D("0.01")})
        for column in ("nominal_length", "nominal_width")
        for bad in (D("0.00"), D("-1.00"))
    ],
    # A sheet needs its chip; a loose product carries none.
    ("product_catalog_chip_fields_for_sheets", {**SHEET, "chip_length": None}, SHEET),
    ("product_catalog_chip_fields_for_sheets", {**SHEET, "chip_shape": None}, SHEET),
    ("product_catalog_chip_fields_for_sheets", {"mounting": "loose", "chip_length": D("2")}, {"mounting": "loose"}),
    (
        "product_catalog_chip_fields_for_sheets",
        {"mounting": "loose", "sheet_coverage_sf": D("0.96")},
        {"mounting": "loose", "sheet_coverage_sf": None},
    ),
    (
        "product_catalog_nominal_both_or_neither",
        {"nominal_length": D("24"), "nominal_width": None},
        {"nominal_length": None, "nominal_width": None},
    ),
    ("product_catalog_pieces_per_box_positive", {"pieces_per_box": 0}, {"pieces_per_box": 1}),
    ("product_catalog_pieces_per_box_positive", {"pieces_per_box": -3}, {"pieces_per_box": None}),
    # A negative retail price with a pro price would also break pro <= retail; clear the pro price
    # so only the constraint under test can refuse the row.
    (
        "product_catalog_price_retail_non_negative",
        {"price_retail": D("-0.01"), "price_pro": None},
        {"price_retail": D("0.00"), "price_pro": None},
    ),
    ("product_catalog_price_pro_non_negative", {"price_pro": D("-0.01")}, {"price_pro": D("0.00")}),
    ("product_catalog_lead_time_days_non_negative", {"lead_time_days": -1}, {"lead_time_days": 0}),
    (
        "product_catalog_pro_le_retail",
        {"price_retail": D("45.88"), "price_pro": D("45.89")},
        {"price_retail": D("45.88"), "price_pro": D("45.88")},
    ),
]


@pytest.mark.parametrize(("constraint", "bad", "good"), CASES)
def test_catalog_constraint(constraint, bad, good):
    product = ProductFactory()

    assert constraint in _refused(product.pk, **bad)

    _accepted(product.pk, **good)


def test_pro_price_is_free_when_either_price_is_missing():
    product = ProductFactory()

    _accepted(product.pk, price_retail=None, price_pro=D("99.00"))
    _accepted(product.pk, price_retail=D("10.00"), price_pro=None)


INSERT = "INSERT INTO product_catalog (sku, product_name) VALUES (%s, %s)"


def test_blank_sku_is_refused():
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT, ["", "Blank SKU tile"])
    assert "product_catalog_sku_not_blank" in str(excinfo.value)

    with connection.cursor() as cursor:
        cursor.execute(INSERT, ["X", "One-letter SKU tile"])
    assert ProductCatalog.objects.get(pk="X").product_name == "One-letter SKU tile"
    assert not ProductCatalog.objects.filter(pk="").exists()


def test_blank_sku_is_refused_on_update_too():
    product = ProductFactory()

    assert "product_catalog_sku_not_blank" in _refused(product.pk, sku="")

    assert ProductCatalog.objects.filter(pk=product.pk).exists()


def test_sku_is_the_primary_key():
    ProductFactory(sku="TST-DUP")

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT, ["TST-DUP", "Second product, same SKU"])

    assert ProductCatalog.objects.get(pk="TST-DUP").product_name != "Second product, same SKU"


@pytest.mark.parametrize("column", ["product_name", "unit_of_measure"])
def test_not_null_columns_refuse_null(column):
    product = ProductFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProductCatalog.objects.filter(pk=product.pk).update(**{column: None})

    assert ProductCatalog.objects.values_list(column, flat=True).get(pk=product.pk)


def test_every_catalog_constraint_is_covered():
    covered = {case[0] for case in CASES} | {"product_catalog_sku_not_blank"}

    assert {constraint.name for constraint in ProductCatalog._meta.constraints} == covered
