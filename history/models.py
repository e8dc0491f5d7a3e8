"""The change history: one row per write of a tracked row, written by a PostgreSQL trigger
(history.triggers) whoever writes — a service, the admin, a bulk `QuerySet.update()` or raw SQL.
The app only reads it; nothing in the app creates, changes or deletes a row (docs/schema.md)."""

from django.conf import settings
from django.db import models


class Operation(models.TextChoices):
    INSERT = "insert", "created"
    UPDATE = "update", "changed"
    DELETE = "delete", "removed"


class ChangeQuerySet(models.QuerySet):
    def for_panel(self):
        """What a History panel shows of each change: who did it in the same query."""
        return self.select_related("user").only(
            "change_id",
            "changed_at",
            "table_name",
            "object_id",
            "operation",
            "changes",
            "user__username",
            "user__first_name",
            "user__last_name",
        )

    def of_object(self, table_name: str, object_id):
        return self.filter(table_name=table_name, object_id=str(object_id))

    def of_project(self, project_id):
        """The project's own changes and those of its rooms, surfaces, selections, conversations
        and quotes (the trigger writes the project's key on each)."""
        return self.filter(project_id=project_id)


class Change(models.Model):
    change_id = models.BigAutoField(primary_key=True)
    changed_at = models.DateTimeField(db_index=False)
    table_name = models.CharField(max_length=63)
    object_id = models.CharField(max_length=64)
    # The project the row belongs to (rooms, surfaces, selections, conversations, quotes and the
    # project itself), so a project's page reads its history through one index.
    project_id = models.UUIDField(blank=True, null=True)
    operation = models.CharField(max_length=6, choices=Operation.choices)
    # {column: [old, new]} for the columns whose value changed (null on the side that has no row).
    changes = models.JSONField(default=dict)
    # Who: the app user of the request (history.context); empty for a write outside any request,
    # e.g. a cron command. No database foreign key, so a history row never blocks anything.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        blank=True,
        null=True,
        related_name="+",
    )
    # The request's path; every change of one request shares its `context_id`.
    url = models.CharField(max_length=255, blank=True, default="")
    context_id = models.UUIDField(blank=True, null=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        db_table = "history_change"
        ordering = ["-change_id"]
        verbose_name = "change"
        default_permissions = ("view",)
        permissions = [("view_history", "Can view the History panel of customers, projects, quotes and conversations")]
        indexes = [
            models.Index(fields=["table_name", "object_id", "-change_id"], name="idx_history_object"),
            models.Index(fields=["project_id", "-change_id"], name="idx_history_project"),
        ]

    def __str__(self):
        return f"{self.get_operation_display()} {self.table_name} {self.object_id}"
