"""The catalog as a spreadsheet (CSV or XLSX), through django-import-export.

One row per product, keyed by SKU: a SKU already in the catalog updates that product, a new SKU
creates one, an unchanged row is skipped. Columns are the model's field names (an export is a
valid import file); a file may carry only some columns (e.g. `sku,price_retail,price_pro` for a
price update), and the columns it leaves out are not touched.

What a cell means:
- text: surrounding spaces are dropped; an empty cell clears the value (a required column, like
  product_name, then rejects the row);
- numbers: `45.88`, `1,045.88` or `$45.88`; anything else ("n/a", "12 in") rejects the row;
- flags (in_stock, discontinued, special_order): 1/0, yes/no, true/false, y/n, x; an empty cell
  leaves the flag as it is (a new product gets the default: in stock, not discontinued, not
  special order). Empty unit_of_measure likewise keeps the current unit (new: box);
- choices (product_type, unit_of_measure, edge_type, mounting, chip_shape): the value or its label,
  any letter case. Empty mounting keeps the current one (new: loose);
- mosaics: mounting `sheet` needs chip_length, chip_width and chip_shape (square, rectangle,
  hexagon, penny_round, other); a loose product leaves them and sheet_coverage_sf empty.

A row is rejected, with its row number (as the spreadsheet shows it: the header is row 1) and
the column, when: the SKU is missing, repeated in the file, or differs only in letter case from a
catalog SKU; a required value is missing; a price, size or count is negative (or zero where it
must be positive); the pro price is above retail; text stands where a number belongs; or a cell
looks like a spreadsheet formula (starts with =, +, -, @, a tab or a carriage return; a number
such as -3 is read as a number and refused as negative instead). An unknown column refuses the
whole file (a mistyped header would otherwise be silently ignored).

Rows are validated before anything is written, and the import runs in one transaction: a row is
written whole or not at all, and a database error refuses the whole file. The good rows of a
file with rejected rows are imported (the admin shows both in the preview first); the management
command's `--strict` refuses the whole file instead.

On export, a text cell that a spreadsheet would run as a formula is written with a leading
apostrophe (OWASP's CSV-injection advice); importing such a cell drops the apostrophe again, so
an export re-imports unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import CachedInstanceLoader
from import_export.results import RowResult

from catalog import cache as catalog_cache
from catalog.models import CHIP_FIELDS, ChipShape, EdgeType, Mounting, ProductCatalog
from projects.models import ProductType, UnitOfMeasure

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "sku",
    "product_name",
    "product_type",
    "brand",
    "material",
    "color",
    "size_length",
    "size_width",
    "size_thickness",
    "coverage_per_box",
    "pieces_per_box",
    "price_retail",
    "price_pro",
    "in_stock",
    "discontinued",
    "special_order",
    "unit_of_measure",
    "pack_weight_lb",
    "pack_coverage_sf",
    "piece_length_ft",
    "edge_type",
    "lead_time_days",
    "mounting",
    "chip_length",
    "chip_width",
    "chip_shape",
    "sheet_coverage_sf",
    "nominal_length",
    "nominal_width",
    "grout_lb_per_sf",
)


def is_formula_like(value) -> bool:
    """A text cell a spreadsheet would evaluate (or that starts like one)."""
    return isinstance(value, str) and (value[:1] in FORMULA_STARTS or value.lstrip()[:1] in FORMULA_STARTS)


def escape_formula(text: str) -> str:
    """A text cell for a CSV or XLSX a spreadsheet will open: one that would run as a formula gets
    a leading apostrophe, so it shows as the text it is."""
    return "'" + text if is_formula_like(text) else text


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value, width=40) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _formula_error(text: str) -> ValueError:
    return ValueError(
        f"“{_shown(text.strip())}” looks like a spreadsheet formula; formulas are not imported (type the value itself)."
    )


class TextWidget(widgets.CharWidget):
    """Text cell: stripped; formula-like refused on import and escaped on export."""

    def __init__(self, *, nullable: bool):
        super().__init__(allow_blank=not nullable)
        self.nullable = nullable

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a spreadsheet turns a color code like 1001 into 1001.0
        text = "" if value is None else str(value).strip()
        if text[:1] == "'" and is_formula_like(text[1:]):
            return text[1:]  # escaped by our own export
        if is_formula_like(text):
            raise _formula_error(text)
        if not text:
            return None if self.nullable else ""
        return text

    def render(self, value, obj=None, **kwargs):
        return escape_formula("" if value is None else str(value))


class ChoiceWidget(TextWidget):
    """A choice column: accepts the stored value or its label, in any letter case."""

    def __init__(self, choices, *, nullable: bool):
        super().__init__(nullable=nullable)
        self.allowed = [value for value, _ in choices]
        self.by_text = {}
        for value, label in choices:
            self.by_text[str(label).lower()] = value
            self.by_text[value.lower()] = value

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if not text:
            return None
        try:
            return self.by_text[text.lower()]
        except KeyError:
            raise ValueError(f"“{_shown(text)}” is not one of: {', '.join(self.allowed)}.") from None


class NumberWidget(widgets.DecimalWidget):
    """A number cell: 45.88, 1,045.88 or $45.88. `whole` for counts (pieces, days)."""

    def __init__(self, *, whole: bool = False):
        super().__init__()
        self.whole = whole

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(f"Expected a number, not {str(value).upper()}.")
        if isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))  # the shortest text for the float: 45.88, not 45.8799…
        else:
            text = str(value).strip()
            try:
                number = Decimal(text.replace(",", "").replace("$", "", 1))
            except InvalidOperation:
                if is_formula_like(text):
                    raise _formula_error(text) from None
                raise ValueError(f"“{_shown(text)}” is not a number.") from None
        if not number.is_finite():
            raise ValueError(f"“{_shown(value)}” is not a number.")
        if self.whole:
            if number != number.to_integral_value():
                raise ValueError(f"“{_shown(value)}” is not a whole number.")
            return int(number)
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        if kwargs.get("force_native_type"):
            return value  # XLSX: a real number cell
        return str(value)


class FlagWidget(widgets.BooleanWidget):
    TRUE = frozenset({"1", "true", "yes", "y", "x", "on"})
    FALSE = frozenset({"0", "false", "no", "n", "off"})

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{_shown(value)}” is not yes or no (use 1 or 0).")


def _text(column, *, nullable=True):
    return fields.Field(attribute=column, column_name=column, widget=TextWidget(nullable=nullable))


def _number(column, *, whole=False):
    return fields.Field(attribute=column, column_name=column, widget=NumberWidget(whole=whole))


def _flag(column):
    # An empty cell keeps the current value (saves_null_values=False), for a new product its default.
    return fields.Field(attribute=column, column_name=column, widget=FlagWidget(), saves_null_values=False)


def _choice(column, choices, *, nullable=True):
    return fields.Field(
        attribute=column,
        column_name=column,
        widget=ChoiceWidget(choices, nullable=nullable),
        saves_null_values=nullable,
    )


class SkuTolerantInstanceLoader(CachedInstanceLoader):
    """Loads every product the file names in one query. Unlike the stock loader, a SKU cell that
    fails to clean (e.g. a formula) does not abort the whole import: that row is simply new, and
    its validation rejects it."""

    def __init__(self, resource, dataset=None):
        self.resource = resource
        self.dataset = dataset
        self.pk_field = resource.fields["sku"]
        skus = set()
        if dataset is not None and dataset.headers and "sku" in dataset.headers:
            for cell in dataset.get_col(dataset.headers.index("sku")):
                try:
                    skus.add(self.pk_field.clean({"sku": cell}))
                except ValueError:
                    continue
        skus.discard("")
        self.all_instances = {p.sku: p for p in ProductCatalog.objects.filter(sku__in=skus)} if skus else {}

    def get_instance(self, row):
        try:
            return self.all_instances.get(self.pk_field.clean(row))
        except ValueError:
            return None


@dataclass(frozen=True)
class Rejection:
    row: int  # as the spreadsheet numbers it: the header is row 1, the first product row 2
    column: str  # a column name, or "" for a rule about the whole row
    value: str
    message: str


class ProductResource(resources.ModelResource):
    sku = _text("sku", nullable=False)
    product_name = _text("product_name", nullable=False)
    product_type = _choice("product_type", ProductType.choices)
    brand = _text("brand")
    material = _text("material")
    color = _text("color")
    size_length = _number("size_length")
    size_width = _number("size_width")
    size_thickness = _number("size_thickness")
    coverage_per_box = _number("coverage_per_box")
    pieces_per_box = _number("pieces_per_box", whole=True)
    price_retail = _number("price_retail")
    price_pro = _number("price_pro")
    in_stock = _flag("in_stock")
    discontinued = _flag("discontinued")
    special_order = _flag("special_order")
    unit_of_measure = _choice("unit_of_measure", UnitOfMeasure.choices, nullable=False)
    pack_weight_lb = _number("pack_weight_lb")
    pack_coverage_sf = _number("pack_coverage_sf")
    piece_length_ft = _number("piece_length_ft")
    edge_type = _choice("edge_type", EdgeType.choices)
    lead_time_days = _number("lead_time_days", whole=True)
    mounting = _choice("mounting", Mounting.choices, nullable=False)
    chip_length = _number("chip_length")
    chip_width = _number("chip_width")
    chip_shape = _choice("chip_shape", ChipShape.choices)
    sheet_coverage_sf = _number("sheet_coverage_sf")
    nominal_length = _number("nominal_length")
    nominal_width = _number("nominal_width")
    grout_lb_per_sf = _number("grout_lb_per_sf")

    class Meta:
        model = ProductCatalog
        name = "Product catalog"
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["sku"]
        instance_loader_class = SkuTolerantInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        use_bulk = True
        batch_size = 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rejections: list[Rejection] = []
        self._first_row_of: dict[str, int] = {}
        self._catalog_skus: dict[str, str] = {}
        self._row = 0
        self._file_refused = False

    # --- the file as a whole ------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        headers = [str(h or "").strip().lower() for h in dataset.headers or []]
        unknown = [h for h in headers if h and h not in COLUMNS]
        if unknown:
            self._file_refused = True  # the rows are not worth reading
            raise ValueError(
                f"Unknown column(s): {', '.join(unknown)}. The columns are: {', '.join(COLUMNS)}. Nothing was imported."
            )
        dataset.headers = headers
        # Every SKU in the catalog by its upper-case spelling, to refuse "abc-1" beside "ABC-1".
        self._catalog_skus = {sku.upper(): sku for sku in ProductCatalog.objects.values_list("sku", flat=True)}

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        order = {column: index for index, column in enumerate(COLUMNS)}
        result.rejections = sorted(self.rejections, key=lambda r: (r.row, order.get(r.column, -1)))
        if not kwargs.get("dry_run"):
            catalog_cache.invalidate()

    # --- one row --------------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        self._row = kwargs["row_number"] + 1
        if self._file_refused or all(_is_blank(value) for value in row.values()):
            skipped = self.get_row_result_class()()
            skipped.import_type = RowResult.IMPORT_TYPE_SKIP
            return skipped
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.validation_error is not None:
            self._reject(row, row_result.validation_error)
        elif row_result.errors:
            self.rejections.append(Rejection(self._row, "", "", str(row_result.errors[0].error)))
        return row_result

    def _reject(self, row, error: ValidationError):
        for column, messages in error.message_dict.items():
            name = "" if column == NON_FIELD_ERRORS else column
            value = "" if not name or row.get(name) is None else _shown(row.get(name))
            for message in messages:
                self.rejections.append(Rejection(self._row, name, value, message))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Field errors from the cells, the SKU rules, then the model's own validation
        (`ProductCatalog.clean()` says each CHECK constraint's rule next to its column). Database
        constraints are not queried row by row (16 queries a row); the database still has them."""
        errors = dict(import_validation_errors or {})
        if "sku" not in errors and instance.sku:
            sku = instance.sku.upper()
            first = self._first_row_of.setdefault(sku, self._row)
            known = self._catalog_skus.get(sku)
            if first != self._row:
                errors["sku"] = [f"SKU {instance.sku} is already on row {first} of this file."]
            elif known is not None and known != instance.sku:
                errors["sku"] = [f"The catalog has this SKU as {known}; use the same spelling."]
        try:
            instance.full_clean(exclude=errors.keys(), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            # A column whose cell was already refused keeps that message alone; and the chip
            # columns' rules follow the mounting, so an unreadable mounting is the one problem.
            skip = set(errors) | (set(CHIP_FIELDS) | {"sheet_coverage_sf"} if "mounting" in errors else set())
            for column, messages in error.update_error_dict({}).items():
                if column not in skip:
                    errors[column] = messages
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # bulk_update() skips auto_now; keep the seed's "ON UPDATE CURRENT_TIMESTAMP".
        instance.updated_at = timezone.now()

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), "updated_at"]

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """As django-import-export's, through `bulk_update_values` (fast on PostgreSQL)."""
        if not self.update_instances or not (using_transactions or not dry_run):
            return
        try:
            ProductCatalog.objects.bulk_update_values(
                self.update_instances, self.get_bulk_update_fields(), batch_size=batch_size or self._meta.batch_size
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()


class ProductBulkImportResource(ProductResource):
    """For the management command and large files: the same rules, without the admin preview's
    per-row deep copy and HTML diff (a third of the time at 50,000 rows). Unchanged rows are
    still skipped, by comparing the columns with a snapshot taken when the product is loaded."""

    class Meta(ProductResource.Meta):
        skip_diff = True

    def after_init_instance(self, instance, new, row, **kwargs):
        self._snapshot = None if new else [getattr(instance, column) for column in COLUMNS]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._snapshot is None:
            return False
        return [getattr(instance, column) for column in COLUMNS] == self._snapshot


class XLSX(base_formats.XLSX):
    """XLSX import that reads a formula cell as its formula (`=A2*1.1`), so the import can refuse
    it; the stock format reads the value last computed by a spreadsheet app, which hides the
    formula (and is empty for a file no spreadsheet app has opened). Blank rows are kept so row
    numbers stay those of the sheet."""

    def create_dataset(self, in_stream):
        import openpyxl

        book = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=False)
        try:
            rows = book.active.iter_rows(values_only=True)
            headers = [("" if cell is None else str(cell)) for cell in next(rows, ())]
            while headers and not headers[-1]:
                headers.pop()
            dataset = tablib.Dataset(headers=headers)
            width = len(headers)
            for cells in rows:
                cells = list(cells)[:width]
                dataset.append(cells + [None] * (width - len(cells)))
            return dataset
        finally:
            book.close()


IMPORT_FORMATS = [base_formats.CSV, XLSX]
EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
