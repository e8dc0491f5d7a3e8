from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Now
from django.utils import timezone

from aos_crm.db import enum_check, uuid_pk


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
        later = ConversationLog.objects.filter(
            project_id=OuterRef("project_id"), conversation_date__gt=OuterRef("conversation_date")
        )
        return (
            self.filter(next_contact_date__isnull=False)
            .exclude(outcome__in=[Outcome.LOST, Outcome.ORDER_PLACED])
            .filter(~Exists(later))
        )

    def followups_for(self, user):
        return (
            self.pending_followups()
            .filter(sales_associate=user)
            .select_related("project__customer")
            .order_by("next_contact_date", "conversation_date")
        )

    def followup_counts(self, *, today):
        """Overdue / due today / upcoming counts in one aggregate query."""
        return self.pending_followups().aggregate(
            overdue=Count("log_id", filter=Q(next_contact_date__lt=today)),
            due_today=Count("log_id", filter=Q(next_contact_date=today)),
            upcoming=Count("log_id", filter=Q(next_contact_date__gt=today)),
        )


def _score_field(label):
    return models.IntegerField(label, blank=True, null=True)


class ConversationLog(models.Model):
    """One AOS conversation. `aos_phase` is where the wizard stands, so a conversation can be
    resumed on any device. Nothing holds a foreign key to this table: it is partitioned by
    `conversation_date` on PostgreSQL at scale."""

    log_id = uuid_pk()
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="conversations", db_index=False
    )
    conversation_date = models.DateTimeField(default=timezone.now, db_default=Now(), blank=True, null=True)
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

    objects = ConversationQuerySet.as_manager()

    class Meta:
        db_table = "conversation_log"
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
        ]
        constraints = [
            enum_check("interaction_type", InteractionType, table="conversation_log"),
            enum_check("aos_phase", AosPhase, table="conversation_log", nullable=True),
            enum_check("outcome", Outcome, table="conversation_log", nullable=True),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 4}) | Q(**{f"{name}__isnull": True}),
                    name=f"conversation_log_{name}_1_to_4",
                    violation_error_message="Scores run from 1 to 4.",
                )
                for name in SCORE_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.get_interaction_type_display()} on {self.conversation_date:%Y-%m-%d}"
