from django.contrib import admin

from customers.models import Customer
from projects.models import Project


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = ("project_name", "project_status", "installation_method", "sales_associate", "tile_budget")
    show_change_link = True
    raw_id_fields = ("sales_associate",)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "customer_type", "email", "phone_primary", "city", "created_at")
    list_display_links = ("last_name", "first_name")
    list_filter = ("customer_type", "preferred_contact_method", "marketing_opt_in", "state")
    search_fields = ("first_name", "last_name", "email", "phone_digits", "pro_account_number")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "updated_at")
    inlines = [ProjectInline]
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "customer_type", "pro_account_number")}),
        (
            "Contact",
            {"fields": ("email", "phone_primary", "phone_secondary", "preferred_contact_method", "marketing_opt_in")},
        ),
        (
            "Address",
            {"fields": ("address_line1", "address_line2", "city", "state", "zip_code", "country")},
        ),
        (None, {"fields": ("notes", "created_at", "updated_at")}),
    )
