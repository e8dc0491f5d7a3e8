from django.contrib import admin

from catalog.models import ProductCatalog


@admin.register(ProductCatalog)
class ProductCatalogAdmin(admin.ModelAdmin):
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
    list_filter = ("product_type", "brand", "material", "in_stock", "discontinued", "special_order")
    search_fields = ("sku", "product_name", "brand", "color", "material")
    list_per_page = 50
    readonly_fields = ("created_at", "updated_at")
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
        ("Prices", {"fields": ("price_retail", "price_pro")}),
        ("Availability", {"fields": ("in_stock", "discontinued", "special_order", "lead_time_days")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description="Size (in)")
    def size(self, obj):
        if obj.size_length and obj.size_width:
            return f"{obj.size_length.normalize():f} × {obj.size_width.normalize():f}"
        return "—"

    def _flag(self, request, queryset, message, **values):
        count = queryset.update(**values)
        self.message_user(request, message.format(count=count))

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
