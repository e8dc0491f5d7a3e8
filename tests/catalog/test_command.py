"""`manage.py import_catalog FILE`: a large file imported outside the web request, with the same
rules as the admin (catalog/resources.py)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from catalog.models import ProductCatalog
from tests.catalog.test_import import csv_text, good_row, thousand_good_and_ten_bad

pytestmark = pytest.mark.django_db

D = Decimal


def run(*args):
    out = io.StringIO()
    err = io.StringIO()
    try:
        call_command("import_catalog", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def good_and_bad(tmp_path):
    text, bad = thousand_good_and_ten_bad()
    path = tmp_path / "supplier.csv"
    path.write_text(text, encoding="utf-8")
    return path, bad


def test_the_good_rows_import_and_the_bad_are_reported_by_row_and_column(good_and_bad):
    path, bad = good_and_bad

    code, out, err = run(path)

    assert code == 2
    assert ProductCatalog.objects.count() == 1000
    assert "Imported 1000 new and 0 changed product(s); 0 row(s) unchanged or blank; 10 row(s) rejected" in out
    assert "row 52, sku: This field cannot be blank." in out
    assert "row 152, price_retail: “-1.00” Can't be negative." in out
    assert "row 452, product_name: “=cmd|' /C calc'!A0” looks like a spreadsheet formula" in out
    assert sum(line.startswith("row ") for line in out.splitlines()) == len(bad)
    assert "10 row(s) rejected (listed above); the other rows are not affected." in err


def test_strict_imports_nothing_when_a_row_is_rejected(good_and_bad):
    path, _ = good_and_bad

    code, out, err = run(path, "--strict")

    assert code == 1
    assert not ProductCatalog.objects.exists()
    assert "Refused (--strict)" in out
    assert "nothing was imported" in err


def test_dry_run_writes_nothing(good_and_bad):
    path, _ = good_and_bad

    code, out, _ = run(path, "--dry-run")

    assert code == 2
    assert "Would import 1000 new" in out
    assert not ProductCatalog.objects.exists()


def test_a_clean_file_exits_zero_and_a_second_run_changes_nothing(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(csv_text([good_row(n) for n in range(5)]))

    assert run(path)[0] == 0
    code, out, _ = run(path)

    assert code == 0
    assert "Imported 0 new and 0 changed product(s); 5 row(s) unchanged or blank; 0 row(s) rejected" in out


def test_the_rejections_can_be_written_to_a_report(good_and_bad, tmp_path):
    path, _ = good_and_bad
    report = tmp_path / "rejected.csv"

    run(path, "--report", report)

    lines = report.read_text().splitlines()
    assert lines[0] == "row,column,value,problem"
    assert lines[1] == "52,sku,,This field cannot be blank."
    assert len(lines) == 11


def test_an_xlsx_file_with_a_formula(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["sku", "product_name", "price_retail"])
    book.active.append(["XL-1", "Excel tile", 45.88])
    book.active.append(["XL-2", "Formula tile", "=B2*2"])
    path = tmp_path / "catalog.xlsx"
    book.save(path)

    code, out, _ = run(path)

    assert code == 2
    assert "row 3, price_retail: “=B2*2” looks like a spreadsheet formula" in out
    assert ProductCatalog.objects.get().price_retail == D("45.88")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("catalog.csv", "sku,name\nX-1,Tile\n", "Unknown column(s): name"),
        ("catalog.txt", "sku\nX-1\n", "Unknown file format .txt"),
        ("catalog.xlsx", "not a workbook", "Could not read"),
    ],
)
def test_an_unusable_file_is_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)

    code, _, err = run(path)

    assert code == 1
    assert message in err
    assert not ProductCatalog.objects.exists()


def test_a_missing_file(tmp_path):
    assert run(tmp_path / "nope.csv")[0] == 1
