from django.contrib import admin

from projects.models import Project, ProjectRoom, SelectedProduct, Surface


class RoomInline(admin.TabularInline):
    model = ProjectRoom
    extra = 0
    fields = ("room_type", "room_name", "room_style", "room_length_ft", "room_width_ft", "room_height_ft")
    show_change_link = True


class SurfaceInline(admin.TabularInline):
    model = Surface
    extra = 0
    fields = (
        "surface_type",
        "surface_area_sf",
        "length_ft",
        "width_ft",
        "pattern_type",
        "complexity_level",
        "waste_factor",
    )
    show_change_link = True


class SelectionInline(admin.TabularInline):
    model = SelectedProduct
    extra = 0
    fields = (
        "product",
        "product_type",
        "quantity_needed",
        "quantity_ordered",
        "unit_of_measure",
        "price_per_unit",
        "total_price",
        "selection_status",
    )
    raw_id_fields = ("product",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "customer",
        "project_status",
        "installation_method",
        "urgency_level",
        "sales_associate",
        "created_at",
    )
    list_filter = ("project_status", "installation_method", "urgency_level", "sales_associate", "lead_source")
    search_fields = (
        "project_name",
        "customer__first_name",
        "customer__last_name",
        "customer__email",
        "contractor_name",
    )
    list_select_related = ("customer", "sales_associate")
    date_hierarchy = "created_at"
    raw_id_fields = ("customer",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [RoomInline]


@admin.register(ProjectRoom)
class ProjectRoomAdmin(admin.ModelAdmin):
    list_display = ("__str__", "room_type", "project", "room_style", "room_length_ft", "room_width_ft")
    list_filter = ("room_type",)
    search_fields = ("room_name", "room_style", "project__project_name", "project__customer__last_name")
    list_select_related = ("project__customer",)
    raw_id_fields = ("project",)
    inlines = [SurfaceInline]


@admin.register(Surface)
class SurfaceAdmin(admin.ModelAdmin):
    list_display = ("surface_type", "room", "surface_area_sf", "pattern_type", "complexity_level", "waste_factor")
    list_filter = ("surface_type", "pattern_type", "complexity_level")
    search_fields = ("room__room_name", "room__project__project_name", "room__project__customer__last_name")
    list_select_related = ("room",)
    raw_id_fields = ("room",)
    inlines = [SelectionInline]


@admin.register(SelectedProduct)
class SelectedProductAdmin(admin.ModelAdmin):
    list_display = (
        "product",
        "product_name",
        "product_type",
        "quantity_ordered",
        "unit_of_measure",
        "price_per_unit",
        "total_price",
        "selection_status",
        "selection_date",
    )
    list_filter = ("selection_status", "product_type", "unit_of_measure")
    search_fields = ("product__sku", "product_name", "surface__room__project__project_name")
    list_select_related = ("product",)
    raw_id_fields = ("surface", "product")
    date_hierarchy = "selection_date"
