"""Import a catalog file (CSV or XLSX) outside the web request, e.g. a supplier's 50,000-row list."""

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from import_export.results import RowResult

from catalog.imports import import_catalog, read_dataset


class Command(BaseCommand):
    help = (
        "Import products from a CSV or XLSX file (columns as in an admin export; SKU is the key). "
        "Good rows are imported in one transaction and rejected rows are listed by row and column; "
        "--strict refuses the whole file if any row is rejected. Exit status: 0 all imported, "
        "2 some rows rejected (the rest imported), 1 nothing imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format", dest="file_format", choices=["csv", "xlsx"], help="Default: from the file name."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument("--strict", action="store_true", help="Import nothing if any row is rejected.")
        parser.add_argument("--report", type=Path, help="Also write the rejected rows to this CSV file.")

    def handle(self, *args, path, file_format, dry_run, strict, report, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        started = time.perf_counter()
        try:
            dataset = read_dataset(path, file_format=file_format)
        except Exception as error:
            raise CommandError(f"Could not read {path}: {error}") from error
        result = import_catalog(dataset, dry_run=dry_run, strict=strict, file_name=path.name)
        seconds = time.perf_counter() - started

        if result.has_errors():
            for error in result.base_errors:
                self.stderr.write(str(error.error))
            for line, errors in result.row_errors():
                for error in errors:
                    self.stderr.write(f"row {line + 1}: {error.error}")
            raise CommandError(f"{path.name} was refused; nothing was imported.")

        rejections = result.rejections
        for rejection in rejections:
            column = f", {rejection.column}" if rejection.column else ""
            value = f" “{rejection.value}”" if rejection.value and rejection.value not in rejection.message else ""
            self.stdout.write(f"row {rejection.row}{column}:{value} {rejection.message}")
        if report and rejections:
            with report.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["row", "column", "value", "problem"])
                writer.writerows((r.row, r.column, r.value, r.message) for r in rejections)

        totals = result.totals
        rejected_rows = len({r.row for r in rejections})
        written = not dry_run and not (strict and rejected_rows)
        verb = "Imported" if written else "Would import" if dry_run else "Refused (--strict): would have imported"
        self.stdout.write(
            f"{verb} {totals[RowResult.IMPORT_TYPE_NEW]} new and {totals[RowResult.IMPORT_TYPE_UPDATE]} "
            f"changed product(s); {totals[RowResult.IMPORT_TYPE_SKIP]} row(s) unchanged or blank; "
            f"{rejected_rows} row(s) rejected ({len(dataset)} rows in {seconds:.1f} s)."
        )
        if rejected_rows:
            detail = "nothing was imported" if strict else "the other rows are not affected"
            raise CommandError(
                f"{rejected_rows} row(s) rejected (listed above); {detail}.", returncode=1 if strict else 2
            )
