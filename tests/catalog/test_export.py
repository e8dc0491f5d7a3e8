"""Exporting the catalog from the admin: the current filter, as CSV or XLSX, formulas escaped, and
an export that imports back unchanged."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from catalog.imports import import_catalog, read_dataset
from catalog.resources import COLUMNS
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal
EXPORT_URL = reverse("admin:catalog_productcatalog_export")
CSV_FORMAT, XLSX_FORMAT = "0", "1"


@pytest.fixture
def staff(catalog_staff):
    client = Client()
    client.force_login(catalog_staff)
    return client


@pytest.fixture
def catalog():
    ProductFactory(sku="MAR-HEX-2", product_name="Carrara hex", brand="Marmo", color="white", price_retail=D("45.88"))
    ProductFactory(sku="MAR-HEX-3", product_name='=HYPERLINK("http://evil.test","Click")', brand="Marmo", color="+1")
    ProductFactory(sku="POR-1224-GRY", product_name="Stonefield", brand="Northline", color="gray")


def export(client, file_format, query=""):
    """Posts the export form as the page offers it (every column ticked) for the changelist filter in `query`."""
    page = client.get(EXPORT_URL + query)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: "on" for name in form.fields if name.startswith("productresource_")}
    data |= {"format": file_format, "resource": "0"}
    response = client.post(EXPORT_URL + query, data)
    assert response.status_code == 200
    return response


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_export_has_every_column_and_only_the_filtered_products(staff, catalog):
    response = export(staff, CSV_FORMAT, "?brand__exact=Marmo")

    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == list(COLUMNS)
    assert [row[0] for row in rows[1:]] == ["MAR-HEX-2", "MAR-HEX-3"]


def test_the_export_follows_the_changelist_search_too(staff, catalog):
    rows = csv_rows(export(staff, CSV_FORMAT, "?q=stonefield"))

    assert [row[0] for row in rows[1:]] == ["POR-1224-GRY"]


def test_csv_export_escapes_formulas_and_keeps_numbers(staff, catalog):
    rows = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in csv_rows(export(staff, CSV_FORMAT))[1:]}

    assert rows["MAR-HEX-3"]["product_name"] == '\'=HYPERLINK("http://evil.test","Click")'
    assert rows["MAR-HEX-3"]["color"] == "'+1"
    assert rows["MAR-HEX-2"]["product_name"] == "Carrara hex"
    assert (rows["MAR-HEX-2"]["price_retail"], rows["MAR-HEX-2"]["in_stock"], rows["MAR-HEX-2"]["pack_weight_lb"]) == (
        "45.88",
        "1",
        "",
    )


def test_xlsx_export_escapes_formulas_and_writes_real_numbers(staff, catalog):
    response = export(staff, XLSX_FORMAT)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: dict(zip(COLUMNS, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    name = rows["MAR-HEX-3"]["product_name"]
    assert name.value == '\'=HYPERLINK("http://evil.test","Click")'
    assert name.data_type == "s"  # text, not a formula
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert rows["MAR-HEX-2"]["price_retail"].value == 45.88
    assert rows["MAR-HEX-2"]["price_retail"].data_type == "n"


@pytest.mark.parametrize(("file_format", "suffix"), [(CSV_FORMAT, "csv"), (XLSX_FORMAT, "xlsx")])
def test_an_export_imports_back_unchanged(staff, catalog, file_format, suffix, tmp_path):
    path = tmp_path / f"catalog.{suffix}"
    path.write_bytes(export(staff, file_format).content)

    result = import_catalog(read_dataset(path))

    assert result.rejections == []
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 3)


def test_an_associate_cannot_export(associate_client, catalog):
    response = associate_client.get(EXPORT_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
