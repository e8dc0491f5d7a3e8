from django.contrib import admin, messages
from import_export.admin import ImportExportModelAdmin
from import_export.results import RowResult

from catalog import cache as catalog_cache
from catalog.models import ProductCatalog
from catalog.resources import EXPORT_FORMATS, IMPORT_FORMATS, ProductResource
from history.admin import recent_changes_html

# How many rejected rows the message after an import lists (the preview lists them all).
REJECTIONS_IN_MESSAGE = 20
# How many rows the preview table shows (the counts and the rejected rows cover the whole file).
PREVIEW_ROWS = 200
STATUS_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "New",
    RowResult.IMPORT_TYPE_UPDATE: "Change",
    RowResult.IMPORT_TYPE_SKIP: "Unchanged",
    RowResult.IMPORT_TYPE_INVALID: "Rejected",
    RowResult.IMPORT_TYPE_ERROR: "Error",
}


@admin.register(ProductCatalog)
class ProductCatalogAdmin(ImportExportModelAdmin):
    """Catalog upkeep. Every write made here makes the cached catalog reads stale: save_model /
    delete_model call catalog_cache.invalidate(); the bulk actions, list deletes and the import
    write through ProductCatalogQuerySet methods that do."""

    list_display = (
        "sku",
        "product_name",
        "brand",
        "product_type",
        "material",
        "color",
        "size",
        "coverage_per_box",
        "price_retail",
        "price_pro",
        "in_stock",
        "discontinued",
        "special_order",
    )
    list_editable = ("price_retail", "price_pro", "in_stock", "discontinued", "special_order")
    list_filter = ("product_type", "mounting", "brand", "material", "in_stock", "discontinued", "special_order")
    search_fields = ("sku", "product_name", "brand", "color", "material")
    list_per_page = 50
    resource_classes = [ProductResource]
    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_template_name = "admin/catalog/productcatalog/import.html"
    readonly_fields = ("created_at", "updated_at", "history")
    actions = ["mark_discontinued", "mark_in_stock", "mark_out_of_stock", "special_order_on", "special_order_off"]
    fieldsets = (
        (None, {"fields": ("sku", "product_name", "product_type", "brand", "material", "color")}),
        (
            "Size and packaging",
            {
                "fields": (
                    ("size_length", "size_width", "size_thickness"),
                    ("coverage_per_box", "pieces_per_box"),
                    "unit_of_measure",
                    ("pack_weight_lb", "pack_coverage_sf", "piece_length_ft"),
                    "edge_type",
                )
            },
        ),
        (
            "Mosaics and nominal size",
            {
                "description": "A sheet-mounted mosaic is estimated by its chip, not its sheet.",
                "fields": (
                    "mounting",
                    ("chip_length", "chip_width", "chip_shape"),
                    "sheet_coverage_sf",
                    ("nominal_length", "nominal_width"),
                    "grout_lb_per_sf",
                ),
            },
        ),
        ("Prices", {"fields": ("price_retail", "price_pro")}),
        ("Availability", {"fields": ("in_stock", "discontinued", "special_order", "lead_time_days")}),
        (None, {"fields": ("created_at", "updated_at")}),
        ("History", {"fields": ("history",)}),
    )

    def get_fieldsets(self, request, obj=None):
        # The product's history: on an existing product, for whoever may read the change history.
        fieldsets = super().get_fieldsets(request, obj)
        shown = obj is not None and request.user.has_perm("history.view_change")
        return fieldsets if shown else fieldsets[:-1]

    @admin.display(description="Recent changes")
    def history(self, obj):
        # Who changed what (old → new) and when, from the change history (read-only).
        return recent_changes_html(table="product_catalog", object_id=obj.pk)

    @admin.display(description="Size (in)")
    def size(self, obj):
        if obj.size_length and obj.size_width:
            return f"{obj.size_length.normalize():f} × {obj.size_width.normalize():f}"
        return "—"

    def _flag(self, request, queryset, message, **values):
        count = queryset.update(**values)  # ProductCatalogQuerySet.update() invalidates the cache
        self.message_user(request, message.format(count=count))

    # --- writes -----------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        catalog_cache.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalog_cache.invalidate()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)  # QuerySet.delete() invalidates the cache too
        catalog_cache.invalidate()

    # --- import and export --------------------------------------------------------------------------

    def has_import_permission(self, request):
        """Importing creates and changes products: it takes both permissions, whatever
        IMPORT_EXPORT_IMPORT_PERMISSION_CODE says (unset, django-import-export lets any staff user in)."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def import_action(self, request, **kwargs):
        """The dry-run preview. Stock django-import-export offers no "Confirm" when any row is
        invalid; here the good rows may still be imported, with the rejected ones listed by row
        and column above the preview. A file-level error (unknown column, unreadable file,
        database error) still refuses the whole file."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if result is not None:
            if "confirm_form" not in context and _importable(result):
                context["confirm_form"] = self.create_confirm_form(request, import_form=context["form"])
            context["preview"] = _preview(result)
        return response

    def add_success_message(self, result, request):
        super().add_success_message(result, request)
        rejections = getattr(result, "rejections", [])
        if rejections:
            listed = "; ".join(
                f"row {r.row}" + (f", {r.column}" if r.column else "") + f": {r.message}"
                for r in rejections[:REJECTIONS_IN_MESSAGE]
            )
            more = len(rejections) - REJECTIONS_IN_MESSAGE
            rows = len({r.row for r in rejections})
            messages.warning(
                request,
                f"{rows} row(s) rejected and not imported — {listed}" + (f"; and {more} more." if more > 0 else "."),
            )

    @admin.action(description="Mark selected products discontinued", permissions=["change"])
    def mark_discontinued(self, request, queryset):
        self._flag(request, queryset, "{count} product(s) marked discontinued.", discontinued=True)

    @admin.action(description="Mark selected products in stock", permissions=["change"])
    def mark_in_stock(self, request, queryset):
        self._flag(request, queryset, "{count} product(s) marked in stock.", in_stock=True)

    @admin.action(description="Mark selected products out of stock", permissions=["change"])
    def mark_out_of_stock(self, request, queryset):
        self._flag(request, queryset, "{count} product(s) marked out of stock.", in_stock=False)

    @admin.action(description="Turn special order on", permissions=["change"])
    def special_order_on(self, request, queryset):
        self._flag(request, queryset, "{count} product(s) set to special order.", special_order=True)

    @admin.action(description="Turn special order off", permissions=["change"])
    def special_order_off(self, request, queryset):
        self._flag(request, queryset, "{count} product(s) no longer special order.", special_order=False)


def _importable(result) -> bool:
    """No file-level error, and at least one row that would be created or changed."""
    if result.has_errors():
        return False
    return any(row.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE) for row in result.rows)


def _preview(result) -> dict:
    """What the preview page shows: counts, every rejected cell, and the first rows of the file,
    each with its spreadsheet row number (the header is row 1; every row, blank or unchanged
    ones too, is in `result.rows`, in file order)."""
    rejected = {}
    for rejection in getattr(result, "rejections", []):
        rejected.setdefault(rejection.row, []).append(rejection)
    rows = []
    for index, row in enumerate(result.rows[:PREVIEW_ROWS]):
        number = index + 2
        rows.append(
            {
                "number": number,
                "status": row.import_type,
                "label": "Blank"
                if row.import_type == RowResult.IMPORT_TYPE_SKIP and not row.diff
                else STATUS_LABELS.get(row.import_type, row.import_type),
                "cells": row.diff or [],
                "problems": rejected.get(number, []),
            }
        )
    totals = result.totals
    return {
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "update": totals[RowResult.IMPORT_TYPE_UPDATE],
        "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
        "rejected_rows": len(rejected),
        "rejections": getattr(result, "rejections", []),
        "rows": rows,
        "shown": len(rows),
        "total_rows": len(result.rows),
        "headers": result.diff_headers,
    }
