from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.utils import timezone

from aos_crm.db import ChecksInOneQuery, enum_check, uuid_pk
from history.triggers import history_trigger


class InteractionType(models.TextChoices):
    INITIAL_INQUIRY = "initial_inquiry", "Initial inquiry"
    FOLLOWUP = "followup", "Follow-up"
    QUOTE_REVIEW = "quote_review", "Quote review"
    ORDER_PLACEMENT = "order_placement", "Order placement"
    SUPPORT = "support", "Support"


class AosPhase(models.TextChoices):
    GREETING = "greeting", "Greeting"
    CREDIBILITY = "credibility", "Credibility"
    NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
    DESIGN_DETAILS = "design_details", "Design & details"
    CLOSE = "close", "Close"
    OBJECTION_HANDLING = "objection_handling", "Objection handling"
    NEGOTIATION = "negotiation", "Negotiation"
    FOLLOWUP = "followup", "Follow-up"


class Outcome(models.TextChoices):
    INFORMATION_GATHERED = "information_gathered", "Information gathered"
    QUOTE_REQUESTED = "quote_requested", "Quote requested"
    ORDER_PLACED = "order_placed", "Order placed"
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled", "Follow-up scheduled"
    LOST = "lost", "Lost"


class ScoredAs(models.TextChoices):
    MANAGER = "manager", "Manager"
    SELF = "self", "Self-assessment"


SCORE_FIELDS = (
    "aos_score_greeting",
    "aos_score_needs",
    "aos_score_design",
    "aos_score_close",
    "aos_score_objection",
    "aos_score_overall",
)


class ConversationQuerySet(models.QuerySet):
    def open_for(self, user):
        """The associate's conversations not yet closed, newest first, for "my open conversations"."""
        return (
            self.filter(sales_associate=user, closed_at__isnull=True)
            .select_related("project__customer")
            .order_by("-conversation_date")
        )

    def pending_followups(self):
        """Conversations with a next contact date that no later conversation on the same project
        has answered yet: the follow-up queue."""
        return self.filter(PENDING_FOLLOWUP)

    def followups_for(self, user):
        return (
            self.pending_followups()
            .filter(sales_associate=user)
            .select_related("project__customer")
            # Along `idx_conversation_followups`; the primary key keeps the order the same from one
            # page of "My follow-ups" to the next.
            .order_by("next_contact_date", "conversation_date", "log_id")
        )

    def followup_counts(self, *, today):
        """Overdue / due today / upcoming counts in one aggregate query (every pending follow-up of
        the rows filtered). For one associate's, `followup_counts_for` reads less."""
        return self.pending_followups().aggregate(
            overdue=Count("next_contact_date", filter=Q(next_contact_date__lt=today)),
            due_today=Count("next_contact_date", filter=Q(next_contact_date=today)),
            upcoming=Count("next_contact_date", filter=Q(next_contact_date__gt=today)),
        )


def followup_counts_for(user, *, today) -> dict[str, int]:
    """The associate's overdue / due today / upcoming follow-ups. On PostgreSQL from the kept total
    and the coming part of the queue only (conversations.followup_totals), so it costs the same
    however many old follow-ups went unanswered; elsewhere counted live."""
    from conversations import followup_totals

    if followup_totals.kept():
        return followup_totals.counts_for(user.pk, today=today)
    return ConversationLog.objects.filter(sales_associate=user).followup_counts(today=today)


def score_checks(*, table: str) -> list:
    """The seed's CHECK on each of the six scores: 1 to 4, or not scored."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 4}) | Q(**{f"{name}__isnull": True}),
            name=f"{table}_{name}_1_to_4",
            violation_error_message="Scores run from 1 to 4.",
        )
        for name in SCORE_FIELDS
    ]


def _score_field(label):
    return models.IntegerField(label, blank=True, null=True)


def _completeness_field(phase):
    return models.DecimalField(
        f"{phase} completeness",
        max_digits=3,
        decimal_places=2,
        blank=True,
        null=True,
        help_text=f"0–1: how much of the {phase} checklist was captured, written when the wizard moves or closes.",
    )


COMPLETENESS_FIELDS = (
    "completeness_greeting",
    "completeness_needs",
    "completeness_design",
    "completeness_close",
)
# Pending follow-ups: a next contact date, not ended by an order or a loss, and no later
# conversation on the project (`superseded`, kept by a database trigger). The partial index
# `idx_conversation_followups` holds exactly these rows.
PENDING_FOLLOWUP = Q(next_contact_date__isnull=False, superseded=False) & ~Q(
    outcome__in=[Outcome.LOST, Outcome.ORDER_PLACED]
)


class ConversationLog(ChecksInOneQuery):
    """One AOS conversation. `aos_phase` is where the wizard stands, so a conversation can be
    resumed on any device. Nothing holds a foreign key to this table: it is partitioned by
    `conversation_date` on PostgreSQL at scale."""

    log_id = uuid_pk()
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="conversations", db_index=False
    )
    # The partition key on PostgreSQL (monthly partitions, conversations.partitions), hence in the
    # primary key there and NOT NULL, where the seed allows NULL; the seed's default stays.
    conversation_date = models.DateTimeField(default=timezone.now, db_default=Now())
    interaction_type = models.CharField(max_length=20, choices=InteractionType.choices)
    aos_phase = models.CharField(max_length=20, choices=AosPhase.choices, blank=True, null=True)
    aos_score_greeting = _score_field("greeting score")
    aos_score_needs = _score_field("needs score")
    aos_score_design = _score_field("design score")
    aos_score_close = _score_field("close score")
    aos_score_objection = _score_field("objection handling score")
    aos_score_overall = _score_field("overall score")
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True, null=True)
    sales_associate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conversations",
        blank=True,
        null=True,
    )
    conversation_summary = models.TextField(blank=True, null=True)
    next_action = models.CharField(max_length=255, blank=True, null=True)
    next_contact_date = models.DateField(blank=True, null=True)
    # Addition: when the associate finished the close phase; open conversations have none.
    closed_at = models.DateTimeField(blank=True, null=True)
    # Additions for reporting at scale (docs/schema.md): the phase completeness captured during the
    # conversation (conversations/phases.py), stored by the wizard's services, so the dashboard sums
    # columns instead of recomputing checklists from today's project.
    completeness_greeting = _completeness_field("greeting")
    completeness_needs = _completeness_field("needs")
    completeness_design = _completeness_field("design")
    completeness_close = _completeness_field("close")
    # True once a later conversation exists on the same project: the follow-up this one scheduled
    # was answered. Kept by the database trigger `conversation_log_superseded` (migration 0002) on
    # every insert, delete and change of project or date, whoever writes the row.
    superseded = models.BooleanField(default=False, db_default=False, editable=False)
    # Whose scores the six score columns hold and since when: a manager's score is never replaced by
    # the associate's self-assessment (which is kept in conversation_scores either way).
    scored_as = models.CharField(max_length=10, choices=ScoredAs.choices, blank=True, null=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scored_conversations",
        blank=True,
        null=True,
    )
    scored_at = models.DateTimeField(blank=True, null=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        db_table = "conversation_log"
        triggers = [history_trigger(table="conversation_log", pk="log_id", project="{row}.project_id")]
        ordering = ["-conversation_date"]
        verbose_name = "conversation"
        permissions = [
            ("view_team_scores", "Can view every associate's AOS scores and the team dashboard"),
            ("score_conversation", "Can score or re-score a conversation"),
        ]
        indexes = [
            models.Index(fields=["project"], name="idx_conversation_project"),
            models.Index(fields=["conversation_date"], name="idx_conversation_date"),
            models.Index(fields=["sales_associate", "conversation_date"], name="idx_conversation_associate"),
            models.Index(fields=["next_contact_date"], name="idx_conversation_next_contact"),
            # A project's conversations in order (customer and project pages, the superseded trigger).
            models.Index(fields=["project", "conversation_date"], name="idx_conversation_project_date"),
            # The follow-up queue and its counts: only pending follow-ups are in it, so its size
            # follows the open work, not the years of history.
            models.Index(
                fields=["sales_associate", "next_contact_date", "conversation_date"],
                name="idx_conversation_followups",
                condition=PENDING_FOLLOWUP,
            ),
        ]
        constraints = [
            enum_check("interaction_type", InteractionType, table="conversation_log"),
            enum_check("aos_phase", AosPhase, table="conversation_log", nullable=True),
            enum_check("outcome", Outcome, table="conversation_log", nullable=True),
            enum_check("scored_as", ScoredAs, table="conversation_log", nullable=True),
            *score_checks(table="conversation_log"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 1}) | Q(**{f"{name}__isnull": True}),
                    name=f"conversation_log_{name}_0_to_1",
                    violation_error_message="Completeness runs from 0 to 1.",
                )
                for name in COMPLETENESS_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.get_interaction_type_display()} on {self.conversation_date:%Y-%m-%d}"


class ScoreRecord(ChecksInOneQuery):
    """One scoring of a conversation: the six scores, who gave them, when, and as what (a manager's
    review or the associate's self-assessment at close). The conversation row holds the scores that
    count; this keeps every one of them, so both are shown and nothing is overwritten unseen.
    `log_id` is a plain column: nothing holds a foreign key into conversation_log."""

    record_id = uuid_pk()
    log_id = models.UUIDField(db_index=True)
    scored_as = models.CharField(max_length=10, choices=ScoredAs.choices)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_records", blank=True, null=True
    )
    scored_at = models.DateTimeField(default=timezone.now, db_default=Now())
    aos_score_greeting = _score_field("greeting score")
    aos_score_needs = _score_field("needs score")
    aos_score_design = _score_field("design score")
    aos_score_close = _score_field("close score")
    aos_score_objection = _score_field("objection handling score")
    aos_score_overall = _score_field("overall score")

    class Meta:
        db_table = "conversation_scores"
        ordering = ["-scored_at"]
        verbose_name = "score record"
        indexes = [models.Index(fields=["log_id", "scored_as", "-scored_at"], name="idx_scores_conversation")]
        constraints = [
            enum_check("scored_as", ScoredAs, table="conversation_scores"),
            *score_checks(table="conversation_scores"),
        ]

    def __str__(self):
        return f"{self.get_scored_as_display()} by {self.scored_by} at {self.scored_at:%Y-%m-%d %H:%M}"

    @property
    def scores(self) -> dict:
        return {name: getattr(self, name) for name in SCORE_FIELDS}

    @classmethod
    def latest(cls, conversation, scored_as: str):
        """The conversation's latest scoring of that kind, or None."""
        return cls.objects.filter(log_id=conversation.pk, scored_as=scored_as).order_by("-scored_at").first()


class PhaseMove(ChecksInOneQuery):
    """The conversation's history: each phase it entered, when and by whom — the wizard's moves
    (greeting, needs, design, close) and the moments recorded on the close page (an objection
    handled, a price negotiated, with a short note). How long a phase took is the time to the next
    move, or to the close. `log_id` is a plain column: nothing holds a foreign key into
    conversation_log."""

    move_id = uuid_pk()
    log_id = models.UUIDField()
    aos_phase = models.CharField(max_length=20, choices=AosPhase.choices)
    entered_at = models.DateTimeField(default=timezone.now, db_default=Now())
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="phase_moves", blank=True, null=True
    )
    note = models.CharField(max_length=500, blank=True, null=True)

    class Meta:
        db_table = "conversation_phases"
        ordering = ["entered_at"]
        verbose_name = "phase move"
        indexes = [models.Index(fields=["log_id", "entered_at"], name="idx_phase_moves_conversation")]
        constraints = [enum_check("aos_phase", AosPhase, table="conversation_phases")]

    def __str__(self):
        return f"{self.get_aos_phase_display()} at {self.entered_at:%Y-%m-%d %H:%M}"


class FollowupTotal(models.Model):
    """How many pending follow-ups (PENDING_FOLLOWUP) an associate has, kept by a PostgreSQL trigger
    on conversation_log (conversations.followup_totals), so the dashboard's overdue counts need not
    read the whole queue. Not kept on SQLite, which counts live."""

    sales_associate_id = models.BigIntegerField(primary_key=True)
    pending = models.IntegerField(default=0)

    class Meta:
        db_table = "followup_totals"
        verbose_name = "follow-up total"

    def __str__(self):
        return f"associate {self.sales_associate_id}: {self.pending} pending"


class ReportingRefresh(models.Model):
    """When a reporting view was last refreshed and the watermark it covers: whole local days
    before `covered_day` (conversations dated before `covered_until`) are in the view; anything
    from then on is read live. Written by conversations.reporting.refresh in the refresh's own
    transaction."""

    name = models.CharField(max_length=63, primary_key=True)
    refreshed_at = models.DateTimeField()
    covered_day = models.DateField()
    covered_until = models.DateTimeField()
    signature = models.CharField(max_length=32)
    seconds = models.FloatField(default=0)

    class Meta:
        db_table = "reporting_refresh"
        verbose_name = "reporting refresh"

    def __str__(self):
        return f"{self.name} up to {self.covered_until:%Y-%m-%d %H:%M}"


def _review_day_model():
    """The materialized view `review_associate_day` (PostgreSQL): one row per associate per local
    day, with every column of conversations.reporting.COLUMNS. Read-only; never migrated as a
    table (managed = False); built and refreshed by conversations.reporting."""
    from conversations import reporting

    attrs = {
        "__module__": __name__,
        "__doc__": _review_day_model.__doc__,
        "pk": models.CompositePrimaryKey("day", "sales_associate_id"),
        "sales_associate_id": models.BigIntegerField(),
        "day": models.DateField(),
        "Meta": type("Meta", (), {"managed": False, "db_table": reporting.VIEW, "verbose_name": "associate day"}),
        "__str__": lambda self: f"{self.sales_associate_id} on {self.day}",
    }
    for column in reporting.COLUMNS:
        attrs[column.name] = (
            models.DecimalField(max_digits=14, decimal_places=2, null=True)
            if column.decimal
            else models.IntegerField(null=True)
        )
    return type("ReviewDay", (models.Model,), attrs)


ReviewDay = _review_day_model()
