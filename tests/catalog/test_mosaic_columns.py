"""The catalog's mosaic and nominal-size columns: the model's messages for their rules, the admin
form, and the import/export carrying them both ways."""

import csv
import io
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.imports import import_catalog, read_dataset
from catalog.models import ProductCatalog
from catalog.resources import COLUMNS
from tests.catalog.helpers import change_form_data
from tests.factories import MosaicFactory, ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal
EXPORT_URL = reverse("admin:catalog_productcatalog_export")
NEW_COLUMNS = (
    "mounting",
    "chip_length",
    "chip_width",
    "chip_shape",
    "sheet_coverage_sf",
    "nominal_length",
    "nominal_width",
    "grout_lb_per_sf",
)


def _errors(product):
    with pytest.raises(ValidationError) as excinfo:
        product.full_clean()
    return excinfo.value.message_dict


def test_the_new_columns_are_import_columns():
    assert set(NEW_COLUMNS) <= set(COLUMNS)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"chip_length": None}, "chip_length", "A sheet-mounted product needs this"),
        ({"chip_shape": None}, "chip_shape", "A sheet-mounted product needs this"),
        ({"chip_width": D("0")}, "chip_width", "Must be more than zero."),
        ({"sheet_coverage_sf": D("-1")}, "sheet_coverage_sf", "Must be more than zero."),
        ({"grout_lb_per_sf": D("0")}, "grout_lb_per_sf", "Must be more than zero."),
        ({"nominal_length": D("24")}, "nominal_width", "Give both nominal sides, or neither."),
        ({"nominal_width": D("24")}, "nominal_length", "Give both nominal sides, or neither."),
    ],
)
def test_a_mosaics_rules_are_said_next_to_the_field(changes, field, message):
    product = MosaicFactory.build(**changes)

    assert message in _errors(product)[field][0]


@pytest.mark.parametrize("field", ["chip_length", "chip_width", "sheet_coverage_sf"])
def test_chip_columns_are_only_for_sheet_mounted_products(field):
    product = ProductFactory.build(**{field: D("2")})

    assert "Only for sheet-mounted products" in _errors(product)[field][0]


def test_a_good_mosaic_and_a_metric_tile_validate():
    MosaicFactory.build().full_clean()
    ProductFactory.build(
        size_length=D("23.62"), size_width=D("23.62"), nominal_length=D("24"), nominal_width=D("24")
    ).full_clean()


def test_the_admin_form_refuses_a_sheet_without_its_chip(catalog_client):
    product = MosaicFactory()
    data = change_form_data(catalog_client, product, chip_shape="")

    response = catalog_client.post(reverse("admin:catalog_productcatalog_change", args=[product.pk]), data)

    assert response.status_code == 200
    assert "A sheet-mounted product needs this" in response.content.decode()
    assert ProductCatalog.objects.get(pk=product.pk).chip_shape == "square"


def test_the_admin_saves_a_penny_round(catalog_client):
    product = MosaicFactory()
    data = change_form_data(
        catalog_client,
        product,
        chip_shape="penny_round",
        chip_length="0.75",
        chip_width="0.75",
        grout_lb_per_sf="0.350",
    )

    response = catalog_client.post(reverse("admin:catalog_productcatalog_change", args=[product.pk]), data)

    assert response.status_code == 302
    saved = ProductCatalog.objects.get(pk=product.pk)
    assert (saved.chip_shape, saved.chip_length, saved.grout_lb_per_sf) == ("penny_round", D("0.75"), D("0.350"))


def _csv(rows, headers=COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(headers), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return tablib.Dataset().load(out.getvalue(), format="csv")


def test_a_mosaic_imports_with_its_chip_and_a_label_for_the_shape():
    rows = [
        {
            "sku": "IMP-HEX-1",
            "product_name": "Imported hex",
            "product_type": "tile",
            "size_length": "11.81",
            "size_width": "10.24",
            "size_thickness": "0.38",
            "coverage_per_box": "8.40",
            "mounting": "Sheet",
            "chip_length": "2.31",
            "chip_width": "2.00",
            "chip_shape": "Hexagon",
            "sheet_coverage_sf": "0.84",
            "grout_lb_per_sf": "0.14",
        },
        {
            "sku": "IMP-600-1",
            "product_name": "Imported 600x600",
            "product_type": "tile",
            "size_length": "23.62",
            "size_width": "23.62",
            "nominal_length": "24",
            "nominal_width": "24",
        },
    ]

    result = import_catalog(_csv(rows, headers=rows[0].keys() | rows[1].keys()))

    assert result.rejections == []
    hexagon = ProductCatalog.objects.get(pk="IMP-HEX-1")
    assert (hexagon.mounting, hexagon.chip_shape, hexagon.chip_width, hexagon.grout_lb_per_sf) == (
        "sheet",
        "hexagon",
        D("2.00"),
        D("0.140"),
    )
    metric = ProductCatalog.objects.get(pk="IMP-600-1")
    assert (metric.mounting, metric.nominal_length, metric.nominal_width) == ("loose", D("24.00"), D("24.00"))


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"mounting": "sheet", "chip_length": ""}, "chip_length", "A sheet-mounted product needs this"),
        ({"chip_shape": "star"}, "chip_shape", "“star” is not one of: square, rectangle, hexagon, penny_round"),
        ({"mounting": "glued"}, "mounting", "“glued” is not one of: loose, sheet"),
        ({"mounting": "loose"}, ("chip_length", "chip_width", "chip_shape"), "Only for sheet-mounted products"),
        ({"nominal_length": "24"}, "nominal_width", "Give both nominal sides, or neither."),
    ],
)
def test_a_bad_mosaic_row_is_rejected_by_column(overrides, column, message):
    row = {
        "sku": "IMP-MOS-1",
        "product_name": "Imported mosaic",
        "mounting": "sheet",
        "chip_length": "2",
        "chip_width": "2",
        "chip_shape": "square",
    } | overrides

    result = import_catalog(_csv([row], headers=[*row.keys(), "nominal_width"]))

    columns = column if isinstance(column, tuple) else (column,)
    assert [(r.column, message in r.message) for r in result.rejections] == [(c, True) for c in columns]
    assert not ProductCatalog.objects.filter(pk="IMP-MOS-1").exists()


@pytest.mark.parametrize("file_format", ["0", "1"])
def test_mosaic_columns_export_and_import_back_unchanged(catalog_client, file_format, tmp_path):
    MosaicFactory(sku="MOS-22", grout_lb_per_sf=D("0.125"))
    MosaicFactory(sku="MOS-PNY", chip_shape="penny_round", chip_length=D("0.75"), chip_width=D("0.75"))
    ProductFactory(sku="POR-600", nominal_length=D("24"), nominal_width=D("24"))
    page = catalog_client.get(EXPORT_URL)
    data = {name: "on" for name in page.context["form"].fields if name.startswith("productresource_")}
    response = catalog_client.post(EXPORT_URL, data | {"format": file_format, "resource": "0"})
    path = tmp_path / ("catalog.csv" if file_format == "0" else "catalog.xlsx")
    path.write_bytes(response.content)
    if file_format == "0":
        exported = {row["sku"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
        assert exported["MOS-PNY"]["chip_shape"] == "penny_round"
        assert exported["MOS-22"]["grout_lb_per_sf"] == "0.125"
        assert exported["POR-600"]["mounting"] == "loose"
        assert exported["POR-600"]["nominal_length"] == "24.00"

    ProductCatalog.objects.filter(pk="MOS-22").update(grout_lb_per_sf=D("0.200"), chip_width=D("1.90"))
    result = import_catalog(read_dataset(path))

    assert result.rejections == []
    assert (result.totals["update"], result.totals["skip"]) == (1, 2)
    restored = ProductCatalog.objects.get(pk="MOS-22")
    assert (restored.grout_lb_per_sf, restored.chip_width) == (D("0.125"), D("2.00"))
