"""Reads of archived projects: their rows come from the archive tables (archive.models), the
project row itself stays live (`projects.archived_at` set)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import BooleanField, Count, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from archive.models import ArchivedConversation, ArchivedQuote, ArchivedRoom, ArchivedSelection, ArchivedSurface
from projects.models import Project, SelectionStatus


def rooms(project) -> list:
    """Rooms → surfaces → selections (with their products), as the live project page reads them."""
    selections = ArchivedSelection.objects.select_related("product").order_by("selection_date", "selection_id")
    surfaces = ArchivedSurface.objects.prefetch_related(Prefetch("selections", queryset=selections)).order_by(
        "created_at", "surface_id"
    )
    return list(
        ArchivedRoom.objects.filter(project_id=project.pk)
        .prefetch_related(Prefetch("surfaces", queryset=surfaces))
        .order_by("created_at", "room_id")
    )


def quotes(project) -> QuerySet:
    """The project's archived quotes, newest first, as the live project page lists them."""
    return (
        ArchivedQuote.objects.filter(project_id=project.pk)
        .select_related("sales_associate")
        .order_by("-created_at", "-quote_id")
    )


def selected_total(project) -> dict:
    """The seed's "Calculate Project Total" over the archived rows: `project_total`, `surface_count`."""
    return ArchivedSelection.objects.filter(
        surface__room__project_id=project.pk, selection_status=SelectionStatus.SELECTED
    ).aggregate(project_total=Sum("total_price"), surface_count=Count("surface_id", distinct=True))


def notes(log_ids) -> dict:
    """log_id → the archived copy of the conversation (its `conversation_summary`, `next_action`)."""
    ids = list(log_ids)
    if not ids:
        return {}
    return {
        row.log_id: row
        for row in ArchivedConversation.objects.filter(log_id__in=ids).only(
            "log_id", "project_id", "conversation_summary", "next_action"
        )
    }


def attach_notes(conversations) -> None:
    """Puts the archived notes back on conversations of archived projects (one query), as
    `archived_summary` / `archived_next_action`, for the pages that list them."""
    archived = [c for c in conversations if c.project.archived_at]
    found = notes(c.pk for c in archived)
    for conversation in archived:
        row = found.get(conversation.pk)
        conversation.archived_summary = row.conversation_summary if row else None
        conversation.archived_next_action = row.next_action if row else None


def figures(project_ids) -> dict:
    """project_id → (distinct rooms, total sq ft) from the archive, for the customer page's table."""
    ids = list(project_ids)
    if not ids:
        return {}
    rooms_ = dict(
        ArchivedRoom.objects.filter(project_id__in=ids)
        .order_by()
        .values("project_id")
        .annotate(n=Count("room_id"))
        .values_list("project_id", "n")
    )
    area = dict(
        ArchivedSurface.objects.filter(room__project_id__in=ids)
        .order_by()
        .values("room__project_id")
        .annotate(total=Sum("surface_area_sf"))
        .values_list("room__project_id", "total")
    )
    return {pk: (rooms_.get(pk, 0), area.get(pk) or Decimal("0")) for pk in ids}


def with_archive_flags(customers: QuerySet) -> QuerySet:
    """Customers with `has_archived` (some project archived) and `has_live` (some not): the
    search's "archived" badge is for a customer whose every project is archived.

    Each flag is a scalar subquery (the first such project's `true`, or false), not `EXISTS`:
    PostgreSQL may answer an `EXISTS` from a hash of every project in the store when it expects
    many customers (11 ms at 42k projects, for a page of eight), where a scalar subquery always
    reads the few projects of each customer shown through `idx_projects_customer`."""

    def any_project(archived: bool) -> Coalesce:
        mine = Project.objects.filter(customer=OuterRef("pk"), archived_at__isnull=not archived)
        first = mine.order_by().values(found=Value(True, output_field=BooleanField()))[:1]
        return Coalesce(Subquery(first), Value(False))

    return customers.annotate(has_archived=any_project(True), has_live=any_project(False))
