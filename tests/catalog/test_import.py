"""Importing the catalog (catalog/resources.py): what a cell may hold, which rows are rejected and
why (by row and column), and that a file is imported in one transaction. Through the admin's
preview → confirm, and straight through the resource."""

import csv
import io
from decimal import Decimal

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from catalog.imports import import_catalog
from catalog.models import ProductCatalog, ProductCatalogQuerySet
from catalog.resources import COLUMNS
from tests.catalog.helpers import CHANGELIST, visible
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
IMPORT_URL = reverse("admin:catalog_productcatalog_import")
PROCESS_URL = reverse("admin:catalog_productcatalog_process_import")


def good_row(n: int, **overrides) -> dict:
    row = {
        "sku": f"IMP-{n:05d}",
        "product_name": f"Imported porcelain {n}",
        "product_type": "tile",
        "brand": "Importa",
        "material": "porcelain",
        "color": "gray",
        "size_length": "23.62",
        "size_width": "11.81",
        "size_thickness": "0.35",
        "coverage_per_box": "15.50",
        "pieces_per_box": "8",
        "price_retail": "45.88",
        "price_pro": "41.29",
        "in_stock": "1",
        "discontinued": "0",
        "special_order": "0",
        "unit_of_measure": "box",
        "pack_weight_lb": "",
        "pack_coverage_sf": "",
        "piece_length_ft": "",
        "edge_type": "rectified",
        "lead_time_days": "",
    }
    return row | overrides


def csv_text(rows, headers=COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(headers), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def dataset(rows, headers=COLUMNS):
    return tablib.Dataset().load(csv_text(rows, headers), format="csv")


# --- bad rows, one rule each ------------------------------------------------------------------------

BAD_ROWS = [
    ("missing SKU", {"sku": ""}, "sku", "This field cannot be blank."),
    ("blank SKU", {"sku": "   "}, "sku", "This field cannot be blank."),
    ("SKU too long", {"sku": "X" * 51}, "sku", "Ensure this value has at most 50 characters (it has 51)."),
    ("missing name", {"product_name": ""}, "product_name", "This field cannot be blank."),
    ("negative retail price", {"price_retail": "-5.00", "price_pro": ""}, "price_retail", "Can't be negative."),
    ("negative pro price", {"price_pro": "-0.01"}, "price_pro", "Can't be negative."),
    ("pro above retail", {"price_pro": "45.89"}, "price_pro", "The pro price cannot be above the retail price."),
    ("text in a price", {"price_retail": "call us"}, "price_retail", "“call us” is not a number."),
    ("text in a size", {"size_length": "12 in"}, "size_length", "“12 in” is not a number."),
    ("fraction of a piece", {"pieces_per_box": "8.5"}, "pieces_per_box", "“8.5” is not a whole number."),
    (
        "too many decimals",
        {"price_retail": "45.889"},
        "price_retail",
        "Ensure that there are no more than 2 decimal places.",
    ),
    ("zero coverage", {"coverage_per_box": "0"}, "coverage_per_box", "Must be more than zero."),
    ("negative lead time", {"lead_time_days": "-3"}, "lead_time_days", "Can't be negative."),
    ("unknown type", {"product_type": "lumber"}, "product_type", "“lumber” is not one of: tile, trim, grout"),
    ("unknown unit", {"unit_of_measure": "pallet"}, "unit_of_measure", "“pallet” is not one of: sf, box"),
    ("unclear flag", {"in_stock": "maybe"}, "in_stock", "“maybe” is not yes or no (use 1 or 0)."),
    (
        "formula in a name",
        {"product_name": '=HYPERLINK("http://x.test","Click")'},
        "product_name",
        "looks like a spreadsheet formula",
    ),
    ("plus formula", {"color": "+1+1"}, "color", "looks like a spreadsheet formula"),
    ("minus formula", {"brand": "-2+3"}, "brand", "looks like a spreadsheet formula"),
    ("at formula", {"material": "@SUM(A1:A2)"}, "material", "looks like a spreadsheet formula"),
    ("tab formula", {"color": "\t=1"}, "color", "looks like a spreadsheet formula"),
    ("formula in a price", {"price_retail": "=40+5.88"}, "price_retail", "looks like a spreadsheet formula"),
    ("formula in a SKU", {"sku": "=A1"}, "sku", "looks like a spreadsheet formula"),
]


@pytest.mark.parametrize(("label", "overrides", "column", "message"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_a_bad_row_is_rejected_by_row_and_column_and_the_good_rows_import(label, overrides, column, message):
    rows = [good_row(1), good_row(2, **overrides), good_row(3)]

    result = import_catalog(dataset(rows))

    assert not result.has_errors()
    [rejection] = result.rejections
    assert (rejection.row, rejection.column) == (3, column)  # the header is row 1
    assert message in rejection.message
    assert sorted(ProductCatalog.objects.values_list("sku", flat=True)) == ["IMP-00001", "IMP-00003"]


def test_a_row_with_several_problems_lists_each_column():
    rows = [good_row(1, price_retail="abc", color="=1", pieces_per_box="0")]

    result = import_catalog(dataset(rows))

    assert {(r.row, r.column) for r in result.rejections} == {(2, "price_retail"), (2, "color"), (2, "pieces_per_box")}
    assert [r.value for r in result.rejections if r.column == "price_retail"] == ["abc"]


def test_a_sku_repeated_in_the_file_is_rejected_where_it_repeats():
    result = import_catalog(dataset([good_row(1), good_row(2), good_row(1, price_retail="99.00")]))

    [rejection] = result.rejections
    assert (rejection.row, rejection.column, rejection.message) == (
        4,
        "sku",
        "SKU IMP-00001 is already on row 2 of this file.",
    )
    assert ProductCatalog.objects.get(pk="IMP-00001").price_retail == D("45.88")


def test_a_sku_differing_from_the_catalog_only_in_case_is_rejected():
    ProductFactory(sku="ABC-1")

    result = import_catalog(dataset([good_row(1, sku="abc-1")]))

    assert [r.message for r in result.rejections] == ["The catalog has this SKU as ABC-1; use the same spelling."]
    assert list(ProductCatalog.objects.values_list("sku", flat=True)) == ["ABC-1"]


def test_strict_refuses_the_whole_file_when_a_row_is_rejected():
    result = import_catalog(dataset([good_row(1), good_row(2, price_retail="x")]), strict=True)

    assert len(result.rejections) == 1
    assert not ProductCatalog.objects.exists()


def test_an_unknown_column_refuses_the_whole_file():
    rows = [{"sku": "IMP-1", "product_name": "Tile", "price_retial": "4.00"}]

    result = import_catalog(dataset(rows, headers=["sku", "product_name", "price_retial"]))

    assert result.has_errors()
    assert "Unknown column(s): price_retial" in str(result.base_errors[0].error)
    assert not ProductCatalog.objects.exists()


def test_a_file_without_a_sku_column_is_refused():
    result = import_catalog(dataset([{"product_name": "Tile"}], headers=["product_name"]))

    assert result.has_errors()
    assert not ProductCatalog.objects.exists()


def test_a_database_error_part_way_leaves_nothing_imported(monkeypatch):
    """1,500 rows are two bulk batches; the second fails in the database after the first was
    written: the transaction takes the first back too."""
    real_bulk_create = ProductCatalogQuerySet.bulk_create
    calls = []

    def failing_second_batch(self, objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise IntegrityError("simulated failure in the second batch")
        return real_bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(ProductCatalogQuerySet, "bulk_create", failing_second_batch)

    result = import_catalog(dataset([good_row(n) for n in range(1500)]))

    assert calls == [1000, 500]
    assert result.has_errors()
    assert ProductCatalog.objects.count() == 0


# --- good cells -------------------------------------------------------------------------------------


def test_cells_are_read_leniently_where_the_meaning_is_clear():
    row = good_row(
        1,
        sku="  IMP-1  ",
        price_retail="$1,045.88",
        price_pro="999",
        product_type="Adhesive / thinset",
        unit_of_measure="BAG",
        edge_type="",
        in_stock="no",
        special_order="X",
        lead_time_days="14",
    )

    result = import_catalog(dataset([row]))

    assert result.rejections == []
    product = ProductCatalog.objects.get(pk="IMP-1")
    assert (product.price_retail, product.price_pro, product.product_type, product.unit_of_measure) == (
        D("1045.88"),
        D("999"),
        "adhesive",
        "bag",
    )
    assert (product.edge_type, product.in_stock, product.special_order, product.lead_time_days) == (
        None,
        False,
        True,
        14,
    )


def test_an_existing_product_is_updated_and_an_unchanged_one_skipped():
    ProductFactory(**_model_values(good_row(1)))
    ProductFactory(**_model_values(good_row(2)))

    result = import_catalog(dataset([good_row(1), good_row(2, price_retail="49.00")]))

    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 1, 1)
    assert ProductCatalog.objects.get(pk="IMP-00002").price_retail == D("49.00")


def test_a_file_with_some_columns_changes_only_those():
    product = ProductFactory(sku="IMP-1", color="gray", discontinued=True, special_order=True, lead_time_days=21)

    import_catalog(
        dataset([{"sku": "IMP-1", "price_retail": "50.00", "price_pro": "44.00"}], ["sku", "price_retail", "price_pro"])
    )

    product.refresh_from_db()
    assert (product.price_retail, product.price_pro, product.color, product.discontinued, product.lead_time_days) == (
        D("50.00"),
        D("44.00"),
        "gray",
        True,
        21,
    )


def test_an_empty_flag_cell_keeps_the_flag_and_a_new_product_gets_the_default():
    ProductFactory(sku="IMP-00001", in_stock=False, discontinued=True)

    import_catalog(
        dataset(
            [
                good_row(1, in_stock="", discontinued="", unit_of_measure=""),
                good_row(2, in_stock="", discontinued="", unit_of_measure=""),
            ]
        )
    )

    assert list(ProductCatalog.objects.values_list("sku", "in_stock", "discontinued", "unit_of_measure")) == [
        ("IMP-00001", False, True, "box"),
        ("IMP-00002", True, False, "box"),
    ]


def test_an_empty_text_cell_clears_the_value():
    ProductFactory(sku="IMP-00001", color="gray")

    import_catalog(dataset([good_row(1, color="")]))

    assert ProductCatalog.objects.get(pk="IMP-00001").color is None


def test_a_text_cell_escaped_by_our_export_is_read_back_as_text():
    import_catalog(dataset([good_row(1, product_name="'=Clearance tile", color="'-gray-")]))

    product = ProductCatalog.objects.get(pk="IMP-00001")
    assert (product.product_name, product.color) == ("=Clearance tile", "-gray-")


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet():
    blank = dict.fromkeys(COLUMNS, "")

    result = import_catalog(dataset([good_row(1), blank, good_row(3, price_retail="oops")]))

    assert [(r.row, r.column) for r in result.rejections] == [(4, "price_retail")]
    assert list(ProductCatalog.objects.values_list("sku", flat=True)) == ["IMP-00001"]


def test_updated_at_moves_on_an_update():
    product = ProductFactory(**_model_values(good_row(1)))
    before = product.updated_at

    import_catalog(dataset([good_row(1, price_retail="50.00")]))

    product.refresh_from_db()
    assert product.updated_at > before


def _model_values(row: dict) -> dict:
    """A CSV row as model values (what the catalog would hold after importing it)."""
    from catalog.resources import ProductResource

    resource = ProductResource()
    values = {}
    for column, cell in row.items():
        value = resource.fields[column].clean({column: cell})
        if value is not None or resource.fields[column].saves_null_values:
            values[column] = value
    return values


# --- the admin: upload, preview, confirm ------------------------------------------------------------


def upload(client, text: str, name="catalog.csv", file_format="0"):
    return client.post(
        IMPORT_URL,
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, text.encode(), "text/csv")},
    )


def thousand_good_and_ten_bad() -> tuple[str, dict[int, str]]:
    """1,010 rows: every 100th (from row 51) is bad in a different way; returns the file and
    {spreadsheet row: column} for the bad ones."""
    faults = [
        {"sku": ""},
        {"price_retail": "-1.00", "price_pro": ""},
        {"price_pro": "99.99"},
        {"pieces_per_box": "eight"},
        {"product_name": "=cmd|' /C calc'!A0"},
        {"color": "@SUM(1,2)"},
        {"coverage_per_box": "0"},
        {"in_stock": "perhaps"},
        {"product_type": "lumber"},
        {"size_width": "wide"},
    ]
    rows, bad = [], {}
    good = 0
    for index in range(1010):
        if index % 100 == 50:
            fault = faults[len(bad)]
            rows.append(good_row(90000 + index, **fault))
            bad[index + 2] = next(iter(fault))
        else:
            rows.append(good_row(good))
            good += 1
    return csv_text(rows), bad


@pytest.fixture
def staff(catalog_staff):
    client = Client()
    client.force_login(catalog_staff)
    return client


def test_the_preview_shows_each_row_and_the_rejected_ones_then_confirm_imports_the_good_ones(staff):
    text, bad = thousand_good_and_ten_bad()

    preview = upload(staff, text)

    assert preview.status_code == 200
    assert not ProductCatalog.objects.exists()  # the preview is a dry run
    page = preview.content.decode()
    summary = preview.context["preview"]
    assert (summary["new"], summary["update"], summary["rejected_rows"]) == (1000, 0, 10)
    assert {(r.row, r.column) for r in summary["rejections"]} == set(bad.items())
    assert "Rejected rows" in page
    shown = visible(page)
    assert "52 sku This field cannot be blank." in shown
    assert "152 price_retail -1.00 Can't be negative." in shown
    assert "352 pieces_per_box eight “eight” is not a number." in shown
    assert "Confirming imports 1000 new and 0 changed products" in shown
    assert "The 10 rejected rows listed below will not be imported" in shown
    assert summary["rows"][0] == {**summary["rows"][0], "number": 2, "label": "New"}
    assert summary["rows"][50]["label"] == "Rejected"
    assert summary["rows"][50]["number"] == 52

    confirm = preview.context["confirm_form"]
    response = staff.post(PROCESS_URL, {**confirm.initial, "confirm": "Confirm import"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert ProductCatalog.objects.count() == 1000
    assert not ProductCatalog.objects.filter(sku__startswith="IMP-9").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert "Import finished: 1000 new, 0 updated, 0 deleted and 0 skipped product catalog." in messages
    [rejected] = [m for m in messages if "rejected" in m]
    assert rejected.startswith(
        "10 row(s) rejected and not imported — row 52, sku: This field cannot be blank.; row 152, price_retail"
    )


def test_a_preview_of_an_update_shows_the_change(staff):
    ProductFactory(**_model_values(good_row(1)))

    preview = upload(staff, csv_text([good_row(1, price_retail="47.00")]))

    row = preview.context["preview"]["rows"][0]
    assert row["label"] == "Change"
    price = row["cells"][COLUMNS.index("price_retail")]
    assert "<del" in price and "<ins" in price and "7.00" in price


def test_a_file_with_only_bad_rows_has_nothing_to_confirm(staff):
    preview = upload(staff, csv_text([good_row(1, price_retail="x"), good_row(2, sku="")]))

    assert "confirm_form" not in preview.context
    assert preview.context["preview"]["rejected_rows"] == 2


def test_an_unknown_column_refuses_the_file_in_the_admin(staff):
    preview = upload(staff, "sku,product_name,colour\nIMP-1,Tile,gray\n")

    assert "confirm_form" not in preview.context
    assert "The file was refused; nothing was imported" in visible(preview.content.decode())
    assert "Unknown column(s): colour" in visible(preview.content.decode())


def test_an_xlsx_file_imports_through_the_admin_and_its_formulas_are_refused(staff):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["sku", "product_name", "price_retail", "price_pro"])
    sheet.append(["XL-1", "Excel tile", 45.88, 41.29])
    sheet.append(["XL-2", "Formula tile", "=B2*2", 10])
    sheet.append(["XL-3", "=CONCAT(A1,A2)", 12, 10])
    data = io.BytesIO()
    book.save(data)
    xlsx = SimpleUploadedFile("catalog.xlsx", data.getvalue(), "application/vnd.ms-excel")

    preview = staff.post(IMPORT_URL, {"resource": "0", "format": "1", "import_file": xlsx})

    summary = preview.context["preview"]
    assert [(r.row, r.column) for r in summary["rejections"]] == [(3, "price_retail"), (4, "product_name")]
    staff.post(PROCESS_URL, {**preview.context["confirm_form"].initial, "confirm": "Confirm import"})
    assert ProductCatalog.objects.get().price_retail == D("45.88")


# --- who may import -----------------------------------------------------------------------------------


def test_catalog_staff_see_the_import_and_export_buttons(staff):
    page = staff.get(reverse(CHANGELIST)).content.decode()

    assert IMPORT_URL in page
    assert reverse("admin:catalog_productcatalog_export") in page


def test_a_staff_user_who_may_only_view_the_catalog_may_export_but_not_import(client):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_productcatalog"))
    client.force_login(viewer)

    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, csv_text([good_row(1)])).status_code == 403
    assert (
        client.post(PROCESS_URL, {"import_file_name": "x", "original_file_name": "x.csv", "format": "0"}).status_code
        == 403
    )
    assert client.get(reverse("admin:catalog_productcatalog_export")).status_code == 200
    assert not ProductCatalog.objects.exists()


def test_an_associate_cannot_reach_the_import(associate_client):
    response = associate_client.get(IMPORT_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "storage", ["import_export.tmp_storages.TempFolderStorage", "import_export.tmp_storages.CacheStorage"]
)
def test_preview_then_confirm_with_either_temporary_storage(staff, settings, storage):
    """The upload waits between preview and confirm; production keeps it in the shared cache
    (docs/catalog.md) so any web host can confirm."""
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = storage

    preview = upload(staff, csv_text([good_row(1), good_row(2, sku="")]))
    staff.post(PROCESS_URL, {**preview.context["confirm_form"].initial, "confirm": "Confirm import"})

    assert list(ProductCatalog.objects.values_list("sku", flat=True)) == ["IMP-00001"]
