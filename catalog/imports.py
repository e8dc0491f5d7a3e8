"""Reading a catalog file and importing it outside the admin (the management command, the
benchmark). The rules for each cell and row are in catalog/resources.py."""

from __future__ import annotations

from pathlib import Path

from import_export.formats import base_formats

from catalog.resources import XLSX, ProductBulkImportResource

FORMATS = {".csv": base_formats.CSV, ".xlsx": XLSX}


def read_dataset(path: Path, *, file_format: str | None = None):
    """The file as a tablib Dataset; the format from `file_format` ("csv"/"xlsx") or the suffix."""
    suffix = f".{file_format.lower()}" if file_format else path.suffix.lower()
    try:
        format_class = FORMATS[suffix]
    except KeyError:
        raise ValueError(f"Unknown file format {suffix or '(none)'}: use .csv or .xlsx.") from None
    input_format = format_class(encoding="utf-8-sig") if format_class is base_formats.CSV else format_class()
    data = path.read_bytes()
    if not input_format.is_binary():
        data = data.decode("utf-8-sig")
    return input_format.create_dataset(data)


def import_catalog(dataset, *, dry_run: bool = False, strict: bool = False, file_name: str | None = None):
    """Imports `dataset` in one transaction and returns the django-import-export Result, with
    `result.rejections` (row, column, value, message). Good rows are written and rejected ones
    skipped; with `strict`, any rejected row rolls the whole file back."""
    resource = ProductBulkImportResource()
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=strict,
        file_name=file_name,
    )
