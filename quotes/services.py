"""Quotes: made from a project's selected products as a snapshot, numbered safely, moved through
their lifecycle. Views validate a form and call one of these."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from aos_crm.concurrency import StaleEdit, save_versioned
from conversations import services as conversation_services
from projects.estimating import money
from projects.models import Project, ProjectStatus, SelectedProduct, SelectionStatus, status_moves_forward
from quotes import lifecycle
from quotes.models import Quote, QuoteCounter, QuoteStatus

MAX_TAX_RATE = Decimal("0.25")


def quote_lines(project: Project) -> list[dict]:
    """The project's `selected` products as quote lines (room, surface, SKU, name, quantity, unit,
    unit price, line total), grouped by room and surface in the order they were captured. These
    are the rows the seed's "Calculate Project Total" sums."""
    selections = (
        SelectedProduct.objects.filter(surface__room__project=project, selection_status=SelectionStatus.SELECTED)
        .select_related("surface__room")
        .order_by(
            "surface__room__created_at", "surface__room_id", "surface__created_at", "surface_id", "selection_date"
        )
    )
    lines = []
    for selection in selections:
        surface = selection.surface
        lines.append(
            {
                "room": str(surface.room),
                "surface": surface.get_surface_type_display(),
                "surface_area_sf": str(surface.surface_area_sf),
                "sku": selection.product_id,
                "name": selection.product_name or "",
                "quantity": str(selection.quantity_ordered or Decimal("0")),
                "unit": selection.get_unit_of_measure_display(),
                "unit_price": str(selection.price_per_unit or Decimal("0.00")),
                "line_total": str(selection.total_price or Decimal("0.00")),
            }
        )
    return lines


def totals(*, subtotal: Decimal, tax_rate: Decimal, delivery_fee: Decimal) -> dict:
    """Tax to the cent (half up) on the subtotal; the total is the exact sum."""
    tax = money(subtotal * tax_rate)
    return {"subtotal": money(subtotal), "tax_amount": tax, "total_amount": money(subtotal) + tax + money(delivery_fee)}


def next_quote_number(*, year: int) -> str:
    """`Q-YYYY-NNNNNN`, from the year's counter row locked for this transaction. The first quote of
    a year starts after the highest number already used that year (imported or demo quotes)."""
    prefix = f"Q-{year}-"
    if not QuoteCounter.objects.filter(year=year).exists():
        highest = Quote.objects.filter(quote_number__startswith=prefix).aggregate(top=Max("quote_number"))["top"]
        start = int(highest.removeprefix(prefix)) if highest and highest.removeprefix(prefix).isdigit() else 0
        QuoteCounter.objects.bulk_create([QuoteCounter(year=year, last_number=start)], ignore_conflicts=True)
    counter = QuoteCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}{counter.last_number:06d}"


@transaction.atomic
def quote_create(
    *,
    project: Project,
    associate,
    tax_rate: Decimal | None = None,
    delivery_fee: Decimal = Decimal("0.00"),
    special_instructions: str | None = None,
    expiration_date=None,
    today=None,
) -> Quote:
    """A draft quote from the project's selected products, numbered, dated today and valid for the
    store's validity days. A quote replacing the project's last one records which it revises, and
    the project's older draft or sent quotes are retired (rejected, "Superseded by Q-…")."""
    today = today or timezone.localdate()
    tax_rate = settings.STORE_TAX_RATE if tax_rate is None else tax_rate
    errors = {}
    if not Decimal("0") <= tax_rate <= MAX_TAX_RATE:
        errors["tax_rate"] = "The tax rate must be between 0 and 25 %."
    if delivery_fee < 0:
        errors["delivery_fee"] = "The delivery fee cannot be negative."
    if expiration_date and expiration_date < today:
        errors["expiration_date"] = "The expiration date cannot be before the quote date."
    lines = quote_lines(project)
    if not lines:
        errors["__all__"] = (
            "This project has no selected products to quote. Mark products selected in Design & details."
        )
    if errors:
        raise ValidationError(errors)
    subtotal = sum((Decimal(line["line_total"]) for line in lines), Decimal("0.00"))
    _lock_project(project)
    previous = Quote.objects.newest_for_project(project.pk)
    quote = Quote(
        project=project,
        quote_number=next_quote_number(year=today.year),
        quote_date=today,
        expiration_date=expiration_date or today + timedelta(days=settings.QUOTE_VALIDITY_DAYS),
        tax_rate=tax_rate,
        delivery_fee=money(delivery_fee),
        quote_status=QuoteStatus.DRAFT,
        sales_associate=associate,
        special_instructions=special_instructions or None,
        lines=lines,
        revision_of=previous.quote_number if previous else None,
        **totals(subtotal=subtotal, tax_rate=tax_rate, delivery_fee=delivery_fee),
    )
    quote.full_clean()
    quote.save()
    # The older open revisions can no longer be sent or accepted: retire them, saying why.
    Quote.objects.filter(project=project, quote_status__in=[QuoteStatus.DRAFT, QuoteStatus.SENT]).exclude(
        pk=quote.pk
    ).update(
        quote_status=QuoteStatus.REJECTED,
        status_reason=superseded_by(quote),
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    conversation_services.quote_made_for(project=project)
    return quote


def superseded_by(quote: Quote) -> str:
    return f"Superseded by {quote.quote_number}"


def _lock_project(project: Project) -> None:
    """Every quote write for a project holds the project's row lock first, so creating a revision
    and sending or accepting another one happen one after the other, never interleaved."""
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).first()


@transaction.atomic
def quote_transition(*, quote: Quote, to: str, today=None, version: int | None = None) -> Quote:
    """Moves a quote along its lifecycle. Sending marks the project quoted, accepting marks it
    ordered. A draft or sent quote past its expiration can only become expired. Only the project's
    newest revision can be sent or accepted, and a project holds at most one accepted quote.
    `version`: the quote's version the page was loaded from; if someone changed the quote since,
    `StaleEdit` is raised and nothing is written (aos_crm.concurrency)."""
    today = today or timezone.localdate()
    _lock_project(quote.project)
    quote = Quote.objects.select_for_update().select_related("project").get(pk=quote.pk)
    if version is not None and quote.version != version:
        raise StaleEdit(quote)
    current = quote.quote_status
    if to in (QuoteStatus.SENT, QuoteStatus.ACCEPTED):
        newest = Quote.objects.newest_for_project(quote.project_id)
        if newest.pk != quote.pk:
            raise ValidationError(
                f"Quote {quote.quote_number} has a newer revision, {newest.quote_number}: "
                f"only the newest revision can be {to}."
            )
    if to != QuoteStatus.EXPIRED and quote.status_on(today) == QuoteStatus.EXPIRED:
        raise ValidationError(
            f"Quote {quote.quote_number} expired on {quote.expiration_date:%b %-d, %Y}. Create a new quote."
        )
    if not lifecycle.can_move(current, to):
        raise ValidationError(lifecycle.refusal(current, to))
    if to == QuoteStatus.ACCEPTED:
        # The customer accepted a revision of an order they had accepted before: the older
        # acceptance is retired, so the project holds one accepted quote.
        Quote.objects.filter(project_id=quote.project_id, quote_status=QuoteStatus.ACCEPTED).exclude(
            pk=quote.pk
        ).update(
            quote_status=QuoteStatus.REJECTED,
            status_reason=superseded_by(quote),
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
    quote.quote_status = to
    quote.full_clean()
    save_versioned(quote, fields=["quote_status", "updated_at"])
    target = {QuoteStatus.SENT: ProjectStatus.QUOTED, QuoteStatus.ACCEPTED: ProjectStatus.ORDERED}.get(to)
    project = quote.project
    if target and status_moves_forward(project.project_status, target):
        project.project_status = target
        save_versioned(project, fields=["project_status", "updated_at"])
    return quote


def expire_past_quotes(*, today=None) -> int:
    """Writes `expired` on every open quote past its expiration date (run nightly from cron)."""
    today = today or timezone.localdate()
    return Quote.objects.past_expiration(today=today).update(
        quote_status=QuoteStatus.EXPIRED, updated_at=timezone.now(), version=F("version") + 1
    )


def locking_quote(project: Project) -> Quote | None:
    """The project's latest quote when it is accepted: its selections are then locked, and a change
    needs a new revision first."""
    latest = Quote.objects.filter(project=project).order_by("-created_at").first()
    return latest if latest and latest.quote_status == QuoteStatus.ACCEPTED else None
