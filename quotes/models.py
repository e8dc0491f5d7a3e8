from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from aos_crm.db import TimestampedModel, enum_check, non_negative, uuid_pk, version_field
from history.triggers import history_trigger


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    EXPIRED = "expired", "Expired"


_ZERO = Value(Decimal("0.00"), output_field=models.DecimalField(max_digits=10, decimal_places=2))
_SUM = F("subtotal") + Coalesce("tax_amount", _ZERO) + Coalesce("delivery_fee", _ZERO)


class QuoteQuerySet(models.QuerySet):
    def past_expiration(self, *, today):
        """Open quotes (draft or sent) whose expiration date has passed: expired on read."""
        return self.filter(quote_status__in=[QuoteStatus.DRAFT, QuoteStatus.SENT], expiration_date__lt=today)

    def newest_for_project(self, project_id):
        """The project's newest revision: the only one that may still be sent or accepted."""
        return self.filter(project_id=project_id).order_by("-created_at", "-quote_number").first()

    def for_project_page(self, project):
        """The project page's quotes, newest first, along `idx_quotes_project_date`."""
        return self.filter(project=project).select_related("sales_associate").order_by("-created_at", "-quote_id")


class QuoteCounter(models.Model):
    """The last quote number handed out per year. Numbers come from this row, locked while a quote
    is created, so concurrent associates never get the same number and the `quotes` table needs no
    unique index of its own to stay correct once it is partitioned by date."""

    year = models.IntegerField(primary_key=True)
    last_number = models.IntegerField(default=0)

    class Meta:
        db_table = "quote_counters"

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class QuoteNumber(models.Model):
    """Every quote's number, unique: where the seed's `quote_number UNIQUE` is held once `quotes` is
    partitioned by date on PostgreSQL (quotes.rules). Kept by a database trigger on `quotes`, never
    written by the app; empty on SQLite, where `quotes` keeps its own unique index."""

    quote_number = models.CharField(max_length=50, primary_key=True)
    quote_id = models.UUIDField()
    quote_date = models.DateField()

    class Meta:
        db_table = "quote_numbers"
        verbose_name = "quote number"

    def __str__(self):
        return self.quote_number


class ProjectAcceptedQuote(models.Model):
    """The project's accepted quote, one row per project: where the rule "at most one accepted quote
    per project" lives once `quotes` is partitioned by date on PostgreSQL (quotes.rules). Kept by a
    database trigger on `quotes`, never written by the app; empty on SQLite, where the partial unique
    index on `quotes` holds the rule."""

    project_id = models.UUIDField(primary_key=True)
    quote_id = models.UUIDField()
    quote_date = models.DateField()

    class Meta:
        db_table = "project_accepted_quote"
        verbose_name = "project's accepted quote"

    def __str__(self):
        return f"project {self.project_id}: quote {self.quote_id}"


class Quote(TimestampedModel):
    """A quote is a document: `lines` is the snapshot of the selections it was made from (room,
    surface, SKU, name, quantity, unit, unit price, line total), so prices changing later never
    change what was sent. Nothing holds a foreign key to this table (partitioned by date)."""

    quote_id = uuid_pk()
    version = version_field()
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="quotes", db_index=False)
    # Unique: an index on SQLite; on PostgreSQL (partitioned by date) the key of `quote_numbers`,
    # kept by a trigger (quotes.rules), besides the counter that hands the numbers out.
    quote_number = models.CharField(max_length=50, unique=True)
    quote_date = models.DateField()
    expiration_date = models.DateField(blank=True, null=True)
    subtotal = models.DecimalField(max_digits=10, decimal_places=2)
    tax_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0, db_default=0, blank=True, null=True)
    delivery_fee = models.DecimalField(max_digits=10, decimal_places=2, default=0, db_default=0, blank=True, null=True)
    total_amount = models.DecimalField(max_digits=10, decimal_places=2)
    quote_status = models.CharField(
        max_length=10,
        choices=QuoteStatus.choices,
        default=QuoteStatus.DRAFT,
        db_default=QuoteStatus.DRAFT,
        blank=True,
        null=True,
    )
    sales_associate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quotes", blank=True, null=True
    )
    special_instructions = models.TextField(blank=True, null=True)
    # Additions: the tax rate applied, and the snapshot of the lines.
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0, db_default=0)
    lines = models.JSONField(default=list, db_default=Value([], output_field=models.JSONField()), blank=True)
    # Addition: the quote this one revises, by number (no foreign key into quotes, see above).
    revision_of = models.CharField(max_length=50, blank=True, null=True)
    # Addition: why the status is what it is when the app set it, e.g. "Superseded by Q-2026-000124"
    # on an older revision retired when a newer one was made or accepted.
    status_reason = models.CharField(max_length=200, blank=True, null=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        db_table = "quotes"
        triggers = [history_trigger(table="quotes", pk="quote_id", project="{row}.project_id")]
        ordering = ["-quote_date", "-created_at"]
        indexes = [
            models.Index(fields=["project"], name="idx_quotes_project"),
            models.Index(fields=["quote_number"], name="idx_quotes_number"),
            # Addition: a project's quotes newest first (project page), one page at a time.
            models.Index(fields=["project", "created_at", "quote_id"], name="idx_quotes_project_date"),
        ]
        constraints = [
            # At most one accepted quote per project, so two associates accepting two revisions at
            # the same moment cannot both win. A partial unique index on SQLite; on PostgreSQL, where
            # `quotes` is partitioned by date, the primary key of `project_accepted_quote` under
            # this name, kept by a trigger (quotes.rules, docs/schema.md).
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(quote_status=QuoteStatus.ACCEPTED),
                name="quotes_one_accepted_per_project",
                violation_error_message="This project already has an accepted quote.",
            ),
            enum_check("quote_status", QuoteStatus, table="quotes", nullable=True),
            non_negative("subtotal", table="quotes"),
            non_negative("tax_amount", table="quotes"),
            non_negative("delivery_fee", table="quotes"),
            non_negative("total_amount", table="quotes"),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lte=Decimal("0.25")),
                name="quotes_tax_rate_range",
                violation_error_message="The tax rate must be between 0 and 25 %.",
            ),
            models.CheckConstraint(
                condition=Q(expiration_date__isnull=True) | Q(expiration_date__gte=F("quote_date")),
                name="quotes_expiration_after_quote_date",
                violation_error_message="The expiration date cannot be before the quote date.",
            ),
            # total = subtotal + tax + delivery. Written as a ±0.001 window: on two-decimal columns
            # that is exact equality on PostgreSQL, and it survives SQLite's binary floating point.
            models.CheckConstraint(
                condition=Q(total_amount__gte=_SUM - Decimal("0.001"), total_amount__lte=_SUM + Decimal("0.001")),
                name="quotes_total_is_sum",
                violation_error_message="The total must equal subtotal + tax + delivery.",
            ),
        ]

    def __str__(self):
        return self.quote_number

    @property
    def tax_rate_percent(self):
        return (self.tax_rate * 100).normalize()

    def status_on(self, today):
        """The status as of `today`: an open quote past its expiration date reads as expired even
        before the nightly `expire_quotes` command has written it."""
        open_ = self.quote_status in (QuoteStatus.DRAFT, QuoteStatus.SENT)
        if open_ and self.expiration_date and self.expiration_date < today:
            return QuoteStatus.EXPIRED
        return self.quote_status
