from django.contrib import admin
from django.db import connection
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from history import selectors
from history.models import Change

ADMIN_RECENT = 10


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The change history, read-only: nobody may add, change or delete a row, whatever their
    permissions (the model only has a view permission)."""

    list_display = ("changed_at", "table_name", "object_id", "operation", "user", "summary")
    list_filter = ("table_name", "operation")
    search_fields = ("=object_id",)
    list_select_related = ("user",)
    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = None
    fields = ("changed_at", "table_name", "object_id", "project_id", "operation", "user", "url", "context_id", "detail")
    readonly_fields = fields

    def get_queryset(self, request):
        # Catalog staff read the catalog's history here; a customer's details, a quote or an
        # associate's scores are for managers, on the app's History panels.
        changes = super().get_queryset(request)
        if request.user.is_superuser:
            return changes
        return changes.filter(table_name="product_catalog")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="What changed")
    def summary(self, obj):
        return "; ".join(f"{f.label}: {f.old} → {f.new}" for f in selectors.field_changes(obj)[:4])

    @admin.display(description="Old → new")
    def detail(self, obj):
        return _fields_html(obj)


def _fields_html(change):
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "", "<li>{}: {} → {}</li>", ((f.label, f.old, f.new) for f in selectors.field_changes(change))
        ),
    )


def recent_changes_html(*, table: str, object_id) -> str:
    """The newest changes of one row, for a read-only field on its admin page (who, when, old →
    new), with a link to all of them in the change history's list."""
    if connection.vendor != "postgresql":
        return "Changes are recorded on PostgreSQL only."
    changes = list(Change.objects.for_panel().of_object(table, object_id)[:ADMIN_RECENT])
    if not changes:
        return "No changes recorded yet."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                change.changed_at.strftime("%Y-%m-%d %H:%M"),
                selectors.who(change),
                change.get_operation_display(),
                _fields_html(change),
            )
            for change in changes
        ),
    )
    link = reverse("admin:history_change_changelist") + f"?table_name={table}&q={object_id}"
    return format_html(
        '<table data-testid="admin-history"><thead><tr>'
        "<th>When</th><th>Who</th><th>What</th><th>Old → new</th></tr></thead><tbody>"
        '{}</tbody></table><p><a href="{}">Every change of this row</a></p>',
        rows,
        link,
    )
