"""Reads for the wizard: the conversation with its project tree, and what each phase captured."""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from conversations import phases
from conversations.models import SCORE_FIELDS, ConversationLog, PhaseMove, ScoredAs, ScoreRecord
from projects.models import (
    InstallationMethod,
    ProductType,
    Project,
    ProjectRoom,
    SelectedProduct,
    SelectionStatus,
    Surface,
)
from quotes.models import Quote

_ZERO = Decimal("0.00")


def open_conversations(user):
    """The associate's open conversations, newest first, for `/conversations/` and the home page.
    Ordered along `idx_conversation_associate` (sales_associate, conversation_date), with the
    primary key to keep the order stable from one page to the next."""
    return ConversationLog.objects.open_for(user).order_by("-conversation_date", "-log_id").only(*OPEN_COLUMNS)


# What a row of open conversations shows (home page and `/conversations/`), and only that is loaded.
OPEN_COLUMNS = (
    "log_id",
    "project_id",
    "conversation_date",
    "aos_phase",
    "interaction_type",
    "sales_associate_id",
    "closed_at",
    "project__project_id",
    "project__project_name",
    "project__customer_id",
    "project__customer__customer_id",
    "project__customer__first_name",
    "project__customer__last_name",
)


def customer_conversations(customer):
    """Every conversation with the customer, on any of their projects, newest first (customer page)."""
    return (
        ConversationLog.objects.filter(project__customer=customer)
        .select_related("project", "sales_associate")
        .order_by("-conversation_date", "-log_id")
    )


def project_conversations(project):
    """The project's conversations, newest first (project page), read through
    `idx_conversation_project`."""
    return (
        ConversationLog.objects.filter(project=project)
        .select_related("sales_associate")
        .order_by("-conversation_date", "-log_id")
    )


# How many of a returning customer's projects the start form offers (newest first).
RETURNING_PROJECTS = 10


def projects_to_continue(customer, *, wanted: str | None = None, limit: int = RETURNING_PROJECTS):
    """The projects a returning customer's conversation may continue: the newest `limit`, read along
    `idx_projects_customer_date`, plus the one a "Start follow-up" link (or the posted form) names
    when it is older; and whether older projects were left out (the customer page pages through
    them all, each with its own "Start follow-up" link). One query, two when an older one is named."""
    mine = Project.objects.filter(customer=customer, archived_at__isnull=True).order_by("-created_at", "-project_id")
    projects = list(mine[: limit + 1])
    older = len(projects) > limit
    projects = projects[:limit]
    if older and wanted and wanted not in {str(project.pk) for project in projects}:
        with contextlib.suppress(ValueError):  # not a project id: the form falls back to the newest
            projects += list(mine.filter(pk=uuid.UUID(wanted)))
    return projects, older


def archived_project(customer, wanted: str | None):
    """The customer's archived project that `wanted` (a "Start follow-up" link's or a posted
    project id) names, if it is one: a conversation cannot continue it."""
    if not wanted or wanted == "new":
        return None
    try:
        pk = uuid.UUID(wanted)
    except ValueError:
        return None
    return Project.objects.filter(customer=customer, pk=pk, archived_at__isnull=False).first()


def conversation_for_wizard(log_id) -> ConversationLog:
    return ConversationLog.objects.select_related("project__customer", "sales_associate").get(pk=log_id)


def project_rooms(project):
    """Rooms → surfaces → selections (with their products) in three queries, whatever the size."""
    selections = SelectedProduct.objects.select_related("product").order_by("selection_date", "selection_id")
    surfaces = Surface.objects.prefetch_related(Prefetch("selections", queryset=selections)).order_by(
        "created_at", "surface_id"
    )
    return list(
        ProjectRoom.objects.filter(project=project)
        .prefetch_related(Prefetch("surfaces", queryset=surfaces))
        .order_by("created_at", "room_id")
    )


def surface_for_kit(surface_id) -> Surface:
    selections = SelectedProduct.objects.select_related("product")
    return (
        Surface.objects.select_related("room__project__customer")
        .prefetch_related(Prefetch("selections", queryset=selections))
        .get(pk=surface_id)
    )


def totals(rooms) -> dict:
    """Running totals from the rows already loaded: selected and considered, per surface, per room
    and for the project (the project's selected total is the seed's "Calculate Project Total")."""
    result = {"selected": _ZERO, "considered": _ZERO, "rooms": {}, "surfaces": {}}
    for room in rooms:
        room_total = _ZERO
        for surface in room.surfaces.all():
            surface_total = _ZERO
            for selection in surface.selections.all():
                amount = selection.total_price or _ZERO
                if selection.selection_status == SelectionStatus.SELECTED:
                    surface_total += amount
                elif selection.selection_status == SelectionStatus.CONSIDERED:
                    result["considered"] += amount
            result["surfaces"][surface.pk] = surface_total
            room_total += surface_total
        result["rooms"][room.pk] = room_total
        result["selected"] += room_total
    return result


def phase_history(conversation: ConversationLog) -> list[dict]:
    """The phases the conversation went through, oldest first, each with who moved there, the note
    and how long it lasted (to the next move, or to the close; the current one of an open
    conversation is still running). One query."""
    moves = list(PhaseMove.objects.filter(log_id=conversation.pk).select_related("entered_by").order_by("entered_at"))
    history = []
    for n, move in enumerate(moves):
        ended = moves[n + 1].entered_at if n + 1 < len(moves) else conversation.closed_at
        history.append(
            {
                "move": move,
                "label": move.get_aos_phase_display(),
                "minutes": None if ended is None else max(0, round((ended - move.entered_at).total_seconds() / 60)),
                "running": ended is None,
            }
        )
    return history


def self_assessment_initial(conversation: ConversationLog) -> dict:
    """What the close page's score inputs start from: the conversation's scores, or, once a manager
    has scored it, the associate's own last self-assessment (never the manager's scores)."""
    if conversation.scored_as != ScoredAs.MANAGER:
        return {}
    last = ScoreRecord.latest(conversation, ScoredAs.SELF)
    return {name: getattr(last, name) if last else None for name in SCORE_FIELDS}


def score_records(conversation: ConversationLog) -> dict:
    """The latest manager's scoring and the latest self-assessment of a conversation (either None),
    with who gave them: one query."""
    latest = {}
    for record in ScoreRecord.objects.filter(log_id=conversation.pk).select_related("scored_by").order_by("-scored_at"):
        latest.setdefault(record.scored_as, record)
    return {"manager": latest.get(ScoredAs.MANAGER), "self": latest.get(ScoredAs.SELF)}


_TILE_CHOSEN = (SelectionStatus.SELECTED, SelectionStatus.ORDERED, SelectionStatus.DELIVERED)
_SETTING_TYPES = (ProductType.GROUT, ProductType.ADHESIVE, ProductType.UNDERLAYMENT, ProductType.TRIM)


def captured_facts(conversation: ConversationLog, rooms=None) -> phases.CapturedFacts:
    """What the wizard has captured for this conversation: counted by the database in three
    aggregate queries, or, when the page has already loaded the project's rooms → surfaces →
    selections (`project_rooms`), counted from them with only the quotes' count asked for.
    `tests/conversations/test_selectors.py` holds the two ways equal."""
    counts = _counted_from(rooms) if rooms is not None else _counted_by_database(conversation.project)
    project = conversation.project
    customer = project.customer
    return phases.CapturedFacts(
        has_name=bool(customer.first_name),
        has_contact=bool(customer.phone_primary or customer.email),
        has_customer_type=bool(customer.customer_type),
        installer_known=project.installation_method not in (None, "", InstallationMethod.UNKNOWN),
        has_start_date=project.project_start_date is not None,
        has_budget=any(
            value is not None for value in (project.total_budget_min, project.total_budget_max, project.tile_budget)
        ),
        outcome=conversation.outcome,
        has_next_action=bool(conversation.next_action),
        has_next_contact_date=conversation.next_contact_date is not None,
        quotes=Quote.objects.filter(project=project).count(),
        **counts,
    )


def _counted_from(rooms) -> dict:
    counts = dict.fromkeys(
        (
            "rooms",
            "rooms_without_surfaces",
            "surfaces",
            "surfaces_with_area_and_pattern",
            "surfaces_with_selected_tile",
            "selections",
            "selections_with_quantity",
        ),
        0,
    )
    setting = 0
    for room in rooms:
        surfaces = room.surfaces.all()
        counts["rooms"] += 1
        counts["rooms_without_surfaces"] += not surfaces
        for surface in surfaces:
            selections = surface.selections.all()
            counts["surfaces"] += 1
            counts["surfaces_with_area_and_pattern"] += bool(
                surface.surface_area_sf is not None and surface.surface_area_sf > 0 and surface.pattern_type is not None
            )
            counts["surfaces_with_selected_tile"] += any(
                s.product_type == ProductType.TILE and s.selection_status in _TILE_CHOSEN for s in selections
            )
            for selection in selections:
                counts["selections"] += 1
                counts["selections_with_quantity"] += bool(
                    selection.quantity_ordered is not None and selection.quantity_ordered > 0
                )
                setting += selection.product_type in _SETTING_TYPES
    return {**counts, "setting_kit_decided": setting > 0}


def _counted_by_database(project) -> dict:
    selected_tile = SelectedProduct.objects.filter(
        surface_id=OuterRef("surface_id"), product_type=ProductType.TILE, selection_status__in=_TILE_CHOSEN
    )
    surface_rows = Surface.objects.filter(room__project=project).annotate(has_tile=Exists(selected_tile))
    surfaces = surface_rows.aggregate(
        total=Count("surface_id"),
        with_area_and_pattern=Count("surface_id", filter=Q(surface_area_sf__gt=0, pattern_type__isnull=False)),
        with_tile=Count("surface_id", filter=Q(has_tile=True)),
    )
    rooms = ProjectRoom.objects.filter(project=project).aggregate(
        total=Count("room_id", distinct=True),
        empty=Count("room_id", filter=Q(surfaces__isnull=True), distinct=True),
        selections=Count("surfaces__selections", distinct=True),
        with_quantity=Count(
            "surfaces__selections", filter=Q(surfaces__selections__quantity_ordered__gt=0), distinct=True
        ),
        setting=Count(
            "surfaces__selections", filter=Q(surfaces__selections__product_type__in=_SETTING_TYPES), distinct=True
        ),
    )
    return {
        "rooms": rooms["total"],
        "rooms_without_surfaces": rooms["empty"],
        "surfaces": surfaces["total"],
        "surfaces_with_area_and_pattern": surfaces["with_area_and_pattern"],
        "surfaces_with_selected_tile": surfaces["with_tile"],
        "selections": rooms["selections"],
        "selections_with_quantity": rooms["with_quantity"],
        "setting_kit_decided": rooms["setting"] > 0,
    }


def stepper(conversation: ConversationLog, facts: phases.CapturedFacts, current: str) -> list[dict]:
    return [
        {
            "phase": phase,
            "current": phase.slug == current,
            "completeness": phases.completeness(phase.slug, facts),
            "complete": phases.is_complete(phase.slug, facts),
        }
        for phase in phases.PHASES
    ]
