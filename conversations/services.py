"""Writes of the AOS conversation. Each phase writes what the seed's "Data Collection Integration
Points" say it writes; views validate a form and call exactly one of these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aos_crm import roles
from aos_crm.concurrency import save_versioned
from conversations import phases, reviews, selectors
from conversations.models import (
    COMPLETENESS_FIELDS,
    SCORE_FIELDS,
    ConversationLog,
    InteractionType,
    Outcome,
    PhaseMove,
    ScoredAs,
    ScoreRecord,
)
from customers.models import Customer
from projects.models import Project, ProjectStatus, status_moves_forward

CUSTOMER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone_primary",
    "phone_secondary",
    "customer_type",
    "pro_account_number",
    "preferred_contact_method",
    "marketing_opt_in",
)
CLOSE_FIELDS_WITHOUT_SCORES = ("outcome", "conversation_summary", "next_action", "next_contact_date")
CLOSE_FIELDS = (*CLOSE_FIELDS_WITHOUT_SCORES, *SCORE_FIELDS)

# The project status a conversation's outcome moves the project to. A project already further on
# (ordered, in progress, completed) is not moved back by a later follow-up conversation.
STATUS_FOR_OUTCOME = {
    Outcome.ORDER_PLACED: ProjectStatus.ORDERED,
    Outcome.QUOTE_REQUESTED: ProjectStatus.QUOTED,
    Outcome.LOST: ProjectStatus.CANCELLED,
}


class ConversationClosed(Exception):
    """A closed conversation is a record: its phases are not edited any more."""


def _assign(instance, data: dict, fields):
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _ensure_open(conversation: ConversationLog):
    if conversation.closed_at is not None:
        raise ConversationClosed("This conversation is closed. Start a follow-up conversation to change it.")


def _self_assessment(conversation: ConversationLog, data: dict, *, by):
    """The scores typed on the close page: kept as a self-assessment record (unless nothing changed
    since the last one), and on the conversation row unless a manager has scored it: a manager's
    score is never replaced by a self-assessment."""
    scores = {name: data[name] for name in SCORE_FIELDS if name in data}
    if not scores:
        return
    last = ScoreRecord.latest(conversation, ScoredAs.SELF)
    given = any(value is not None for value in scores.values())
    if given and (last is None or any(getattr(last, name) != value for name, value in scores.items())):
        record = ScoreRecord(log_id=conversation.pk, scored_as=ScoredAs.SELF, scored_by=by, **scores)
        record.full_clean()
        record.save()
    if conversation.scored_as == ScoredAs.MANAGER:
        return
    _assign(conversation, scores, SCORE_FIELDS)
    if given:
        conversation.scored_as = ScoredAs.SELF
        conversation.scored_by = by
        conversation.scored_at = timezone.now()


def may_see_scores(user, conversation: ConversationLog) -> bool:
    """The AOS scores are the associate's own (DESIGN.md): the conversation's associate and the
    managers read and write them; a colleague who takes over a conversation on the floor records
    its outcome, next step and notes, never its scores."""
    return conversation.sales_associate_id == user.pk or user.has_perm(roles.PERM_TEAM)


class ScoresNotYours(ValidationError):
    """Scores sent for a colleague's conversation by someone who is not a manager."""


def _scores_allowed(conversation: ConversationLog, data: dict, *, by) -> bool:
    """Whether `by` may write the scores in `data`; refuses (raises) when scores are given for a
    conversation that is not theirs, so a forged post never touches a colleague's scores."""
    if by is None or may_see_scores(by, conversation):
        return True
    if any(data.get(name) is not None for name in SCORE_FIELDS):
        raise ScoresNotYours(
            "These AOS scores are your colleague's: only they or a manager can score this conversation."
        )
    return False


def _clean_only(instance, fields):
    """full_clean for the fields being written: the CHECKs on the other columns (each a query when
    Django validates it) are left to the columns' own writes, and to the database."""
    instance.full_clean(exclude=[f.name for f in instance._meta.concrete_fields if f.name not in fields])


def _record_move(conversation: ConversationLog, aos_phase: str, *, by, note: str | None = None) -> PhaseMove:
    move = PhaseMove(log_id=conversation.pk, aos_phase=aos_phase, entered_by=by, note=note or None)
    move.full_clean()
    move.save()
    return move


# The moments of the close that the seed's aos_phase names and the wizard has no page for.
CLOSE_MOMENTS = {
    "objection_handling": "Objection handled",
    "negotiation": "Price negotiated",
}


@transaction.atomic
def close_moment(*, conversation: ConversationLog, kind: str, note: str = "", by) -> PhaseMove:
    """On the close page: an objection was handled or a price negotiated. The conversation stands
    in that seed phase (it resumes on the close page) and its history records it, with the note."""
    _ensure_open(conversation)
    if kind not in CLOSE_MOMENTS:
        raise ValidationError({"kind": "Choose “Objection handled” or “Price negotiated”."})
    conversation.aos_phase = kind
    _clean_only(conversation, ["aos_phase"])
    conversation.save(update_fields=["aos_phase"])
    return _record_move(conversation, kind, by=by, note=note.strip())


def record_completeness(*, conversation: ConversationLog) -> ConversationLog:
    """Store how complete each phase is now (a conversation written outside the wizard)."""
    conversation.save(update_fields=_capture_completeness(conversation))
    return conversation


def _capture_completeness(conversation: ConversationLog) -> list[str]:
    """Set the four completeness columns from what the wizard has captured so far (phases.py), so
    the dashboard reads what was true during the conversation. Returns the fields to save."""
    for name, value in reviews.completeness_values(selectors.captured_facts(conversation)).items():
        setattr(conversation, name, value)
    return list(COMPLETENESS_FIELDS)


@transaction.atomic
def conversation_start(
    *,
    associate,
    customer: Customer | None = None,
    customer_data: dict | None = None,
    project: Project | None = None,
    project_data: dict | None = None,
    interaction_type: str = InteractionType.INITIAL_INQUIRY,
) -> ConversationLog:
    """Phase 1: the customer (found or new), the project (existing or new) and the conversation row.
    Writes customers, projects and conversation_log in one transaction."""
    if customer is None:
        customer = Customer()
        _assign(customer, customer_data or {}, CUSTOMER_FIELDS)
        customer.full_clean()
        customer.save()
    if project is None:
        project = Project(customer=customer, sales_associate=associate)
        data = project_data or {}
        project.installation_method = data.get("installation_method") or "unknown"
        project.project_name = data.get("project_name") or None
        project.full_clean()
        project.save()
    elif project.customer_id != customer.pk:
        raise ValidationError("That project belongs to another customer.")
    conversation = ConversationLog(
        project=project,
        sales_associate=associate,
        interaction_type=interaction_type,
        aos_phase=phases.get("greeting").aos_phase,
        conversation_date=timezone.now(),
    )
    conversation.full_clean()
    conversation.save()
    _record_move(conversation, conversation.aos_phase, by=associate)
    return conversation


@transaction.atomic
def greeting_update(
    *,
    conversation: ConversationLog,
    customer_data: dict,
    project_data: dict,
    interaction_type: str | None = None,
    customer_version: int | None = None,
) -> ConversationLog:
    """Phase 1 edited later: the customer's details, who installs, the kind of interaction.
    `customer_version`: the customer's version the form was loaded from; if someone saved the
    customer since, `StaleEdit` is raised and nothing is written (aos_crm.concurrency)."""
    _ensure_open(conversation)
    customer = conversation.project.customer
    _assign(customer, customer_data, CUSTOMER_FIELDS)
    customer.full_clean()
    save_versioned(customer, version=customer_version)
    project = conversation.project
    _assign(project, project_data, ("installation_method", "project_name"))
    project.full_clean()
    save_versioned(project, fields=["installation_method", "project_name", "updated_at"])
    if interaction_type:
        conversation.interaction_type = interaction_type
        conversation.full_clean()
        conversation.save(update_fields=["interaction_type"])
    return conversation


@transaction.atomic
def conversation_advance(*, conversation: ConversationLog, phase: str, by=None) -> ConversationLog:
    """Records where the wizard stands, so the conversation resumes there on any device."""
    _ensure_open(conversation)
    entered = phases.get(phase).aos_phase
    moved = entered != conversation.aos_phase
    conversation.aos_phase = entered
    fields = ["aos_phase", *_capture_completeness(conversation)]
    _clean_only(conversation, fields)
    conversation.save(update_fields=fields)
    if moved:
        _record_move(conversation, entered, by=by or conversation.sales_associate)
    return conversation


@transaction.atomic
def close_draft_save(*, conversation: ConversationLog, data: dict, by=None) -> ConversationLog:
    """What was typed on the close page, kept while the associate steps back to another phase. The
    scores typed are the associate's self-assessment (see `_self_assessment`)."""
    _ensure_open(conversation)
    scores = _scores_allowed(conversation, data, by=by)
    _assign(conversation, data, CLOSE_FIELDS_WITHOUT_SCORES)
    if scores:
        _self_assessment(conversation, data, by=by or conversation.sales_associate)
    conversation.full_clean()
    conversation.save()
    return conversation


@transaction.atomic
def conversation_close(*, conversation: ConversationLog, data: dict, by=None) -> ConversationLog:
    """Phase 4: outcome, summary, next step and the associate's self-assessment; the project's
    status follows the outcome. The scores are written only by the conversation's associate or a
    manager (`may_see_scores`); anyone else closing it (a colleague taking over) sends none."""
    _ensure_open(conversation)
    scores = _scores_allowed(conversation, data, by=by)
    _assign(conversation, data, CLOSE_FIELDS_WITHOUT_SCORES)
    if scores:
        _self_assessment(conversation, data, by=by or conversation.sales_associate)
    conversation.aos_phase = phases.get("close").aos_phase
    conversation.closed_at = timezone.now()
    _capture_completeness(conversation)
    conversation.full_clean()
    conversation.save()
    project = conversation.project
    target = STATUS_FOR_OUTCOME.get(conversation.outcome)
    if target and status_moves_forward(project.project_status, target):
        project.project_status = target
        save_versioned(project, fields=["project_status", "updated_at"])
    return conversation


def quote_made_for(*, project: Project):
    """A quote was just made for the project: the close that asked for it is now complete. The
    project's latest conversation, if it asked for a quote, stores its completeness again (the
    quote comes right after the close, in the same visit)."""
    conversation = (
        ConversationLog.objects.filter(project=project, outcome=Outcome.QUOTE_REQUESTED)
        .select_related("project__customer")
        .order_by("-conversation_date")
        .first()
    )
    if conversation is None or conversation.superseded:
        return
    record_completeness(conversation=conversation)
