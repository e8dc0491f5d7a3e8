from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from quotes import services
from quotes.models import Quote, QuoteStatus


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
        "revision_of",
        "status_reason",
        "subtotal",
        "tax_rate",
        "tax_amount",
        "delivery_fee",
        "total_amount",
        "lines",
        "created_at",
        "updated_at",
    )

    actions = ["mark_sent", "mark_accepted", "mark_expired"]

    def _move(self, request, queryset, to):
        moved, refused = 0, []
        for quote in queryset:
            try:
                services.quote_transition(quote=quote, to=to)
            except ValidationError as error:
                refused.append(f"{quote.quote_number}: {' '.join(error.messages)}")
            else:
                moved += 1
        self.message_user(request, f"{moved} quote(s) marked {to}.")
        for line in refused:
            self.message_user(request, line, level=messages.WARNING)

    @admin.action(description="Mark selected quotes sent", permissions=["change"])
    def mark_sent(self, request, queryset):
        self._move(request, queryset, QuoteStatus.SENT)

    @admin.action(description="Mark selected quotes accepted", permissions=["change"])
    def mark_accepted(self, request, queryset):
        self._move(request, queryset, QuoteStatus.ACCEPTED)

    @admin.action(description="Mark selected quotes expired", permissions=["change"])
    def mark_expired(self, request, queryset):
        self._move(request, queryset, QuoteStatus.EXPIRED)

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the lifecycle actions, never by typing.
        return (*self.readonly_fields, "quote_status", "revision_of", "status_reason")

    def has_add_permission(self, request):
        # Quotes are made from a project's selections on the sales floor, never typed in here.
        return False

    @admin.display(description="Customer", ordering="project__customer__last_name")
    def customer(self, obj):
        return obj.project.customer
