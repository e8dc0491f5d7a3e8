from django.contrib import admin

from quotes.models import Quote


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = (
        "quote_number",
        "customer",
        "project",
        "quote_date",
        "expiration_date",
        "total_amount",
        "quote_status",
    )
    list_filter = ("quote_status", "quote_date", "expiration_date")
    search_fields = (
        "quote_number",
        "project__customer__first_name",
        "project__customer__last_name",
        "project__customer__email",
    )
    list_select_related = ("project__customer",)
    date_hierarchy = "quote_date"
    readonly_fields = (
        "quote_number",
        "project",
        "subtotal",
        "tax_rate",
        "tax_amount",
        "delivery_fee",
        "total_amount",
        "lines",
        "created_at",
        "updated_at",
    )
    fields = (
        "quote_number",
        "project",
        "quote_date",
        "expiration_date",
        "quote_status",
        "sales_associate",
        "special_instructions",
        "subtotal",
        "tax_rate",
        "tax_amount",
        "delivery_fee",
        "total_amount",
        "lines",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        # Quotes are made from a project's selections on the sales floor, never typed in here.
        return False

    @admin.display(description="Customer", ordering="project__customer__last_name")
    def customer(self, obj):
        return obj.project.customer
