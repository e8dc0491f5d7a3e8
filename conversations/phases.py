"""The AOS wizard's phases: order, labels, the seed `aos_phase` values each one stands for, and
how complete each phase is judged from what the wizard captured (AOS_RUBRIC.md).

Pure: no ORM and no request. `CapturedFacts` is filled by a selector from the rows; everything
here is plain values, so the rules are tested by tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Phase:
    slug: str
    label: str
    number: int
    aos_phase: str  # the seed value written to conversation_log.aos_phase
    also: tuple[str, ...] = ()  # other seed values that mean the wizard stands here
    score_field: str = ""


PHASES: tuple[Phase, ...] = (
    Phase("greeting", "Greeting & credibility", 1, "greeting", ("credibility",), "aos_score_greeting"),
    Phase("needs", "Needs assessment", 2, "needs_assessment", (), "aos_score_needs"),
    Phase("design", "Design & details", 3, "design_details", (), "aos_score_design"),
    Phase(
        "close", "Close & follow-up", 4, "close", ("objection_handling", "negotiation", "followup"), "aos_score_close"
    ),
)
BY_SLUG = {phase.slug: phase for phase in PHASES}
SLUGS = tuple(BY_SLUG)


def get(slug: str) -> Phase:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise ValueError(f"unknown wizard phase {slug!r}") from None


def for_aos_phase(aos_phase: str | None) -> Phase:
    """The wizard page for a stored `aos_phase` (an unset phase starts at the greeting)."""
    for phase in PHASES:
        if aos_phase == phase.aos_phase or aos_phase in phase.also:
            return phase
    return PHASES[0]


def next_phase(slug: str) -> Phase | None:
    index = SLUGS.index(get(slug).slug)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def previous_phase(slug: str) -> Phase | None:
    index = SLUGS.index(get(slug).slug)
    return PHASES[index - 1] if index > 0 else None


@dataclass(frozen=True)
class CapturedFacts:
    """What the wizard captured for one conversation, as plain values."""

    # greeting
    has_name: bool = False
    has_contact: bool = False
    has_customer_type: bool = False
    installer_known: bool = False
    # needs
    rooms: int = 0
    rooms_without_surfaces: int = 0
    surfaces: int = 0
    surfaces_with_area_and_pattern: int = 0
    has_start_date: bool = False
    has_budget: bool = False
    # design
    surfaces_with_selected_tile: int = 0
    selections_with_quantity: int = 0
    selections: int = 0
    setting_kit_decided: bool = False
    # close
    outcome: str | None = None
    has_next_action: bool = False
    has_next_contact_date: bool = False
    quotes: int = 0
    extra: dict = field(default_factory=dict)


def _fraction(done: int, total: int) -> Decimal:
    if total <= 0:
        return Decimal("0.00")
    return (Decimal(done) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def checklist(slug: str, facts: CapturedFacts) -> list[tuple[str, bool]]:
    """The items a phase is judged on, each with whether it was captured."""
    if slug == "greeting":
        return [
            ("Customer name", facts.has_name),
            ("A way to contact (phone or email)", facts.has_contact),
            ("Customer type", facts.has_customer_type),
            ("Who installs", facts.installer_known),
        ]
    if slug == "needs":
        return [
            ("At least one room", facts.rooms > 0),
            ("Every room has a surface", facts.rooms > 0 and facts.rooms_without_surfaces == 0),
            (
                "Every surface has an area and a pattern",
                facts.surfaces > 0 and facts.surfaces_with_area_and_pattern == facts.surfaces,
            ),
            ("Start date", facts.has_start_date),
            ("A budget", facts.has_budget),
            ("Installer known", facts.installer_known),
        ]
    if slug == "design":
        return [
            (
                "Every surface has a selected tile",
                facts.surfaces > 0 and facts.surfaces_with_selected_tile == facts.surfaces,
            ),
            ("Quantities computed", facts.selections > 0 and facts.selections_with_quantity == facts.selections),
            ("Setting materials added or declined", facts.setting_kit_decided),
        ]
    if slug == "close":
        needs_next_step = facts.outcome not in (None, "order_placed", "lost")
        items = [("Outcome", facts.outcome is not None)]
        if needs_next_step:
            items.append(("Next action", facts.has_next_action))
            items.append(("Next contact date", facts.has_next_contact_date))
        if facts.outcome == "quote_requested":
            items.append(("A quote", facts.quotes > 0))
        return items
    raise ValueError(f"unknown wizard phase {slug!r}")


def completeness(slug: str, facts: CapturedFacts) -> Decimal:
    """0–1: the share of the phase's checklist that was captured."""
    items = checklist(slug, facts)
    return _fraction(sum(1 for _, done in items if done), len(items))


def is_complete(slug: str, facts: CapturedFacts) -> bool:
    return completeness(slug, facts) == 1
