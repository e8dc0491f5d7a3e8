import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conversations.models import ConversationLog, Outcome
from projects.models import Project, ProjectStatus
from quotes.models import Quote, QuoteStatus
from tests.factories import (
    ConversationFactory,
    ProjectFactory,
    QuoteFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

YEAR = dt.timedelta(days=365)


def ago(delta: dt.timedelta) -> dt.datetime:
    return timezone.now() - delta


def finished_project(
    *,
    status=ProjectStatus.COMPLETED,
    updated=3 * YEAR,
    conversation=3 * YEAR,
    closed=None,
    quote=None,
    quote_updated=None,
    rooms=2,
    surfaces=2,
    selections=2,
    associate=None,
    customer=None,
) -> Project:
    """A project with `rooms` × `surfaces` × `selections`, a conversation `conversation` ago (with
    notes and scores), a quote dated `quote` ago when given, and its row last updated `updated` ago."""
    extra = {"sales_associate": associate} if associate else {}
    if customer:
        extra["customer"] = customer
    project = ProjectFactory(project_status=status, notes="Old remodel, long finished.", **extra)
    for r in range(rooms):
        room = RoomFactory(project=project, room_name=f"Room {r}", room_notes="Grey grout, client picky.")
        for _ in range(surfaces):
            surface = SurfaceFactory(room=room, obstacles_description="Toilet flange")
            for _ in range(selections):
                SelectionFactory(surface=surface, notes="Matte finish")
    if conversation is not None:
        when = ago(conversation)
        ConversationFactory(
            project=project,
            conversation_date=when,
            closed_at=ago(closed) if closed is not None else when + dt.timedelta(hours=1),
            outcome=Outcome.ORDER_PLACED,
            aos_score_overall=3,
            aos_score_greeting=4,
            completeness_needs=Decimal("0.75"),
            conversation_summary="Talked through the herringbone layout; customer wants warm grey.",
            next_action="Call when the tile arrives",
            next_contact_date=timezone.localdate(when) + dt.timedelta(days=7),
        )
    if quote is not None:
        made = QuoteFactory(
            project=project,
            quote_date=timezone.localdate(ago(quote)),
            quote_status=QuoteStatus.ACCEPTED,
            lines=[{"sku": "TST-1", "line_total": "275.28"}],
            special_instructions="Deliver to the side door",
        )
        Quote.objects.filter(pk=made.pk).update(updated_at=ago(quote_updated or quote))
    Project.objects.filter(pk=project.pk).update(updated_at=ago(updated))
    project.refresh_from_db()
    return project


@pytest.fixture
def make_finished(db):
    return finished_project


def note_count(project) -> int:
    return ConversationLog.objects.filter(project=project, conversation_summary__isnull=False).count()
