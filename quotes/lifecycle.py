"""The quote lifecycle as a table: which status may follow which. Pure, tested by a table."""

DRAFT, SENT, ACCEPTED, REJECTED, EXPIRED = "draft", "sent", "accepted", "rejected", "expired"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SENT, EXPIRED}),
    SENT: frozenset({ACCEPTED, REJECTED, EXPIRED}),
    ACCEPTED: frozenset(),
    REJECTED: frozenset(),
    EXPIRED: frozenset(),
}
TERMINAL = frozenset(status for status, nexts in TRANSITIONS.items() if not nexts)

ACTION_LABELS = {SENT: "Mark sent", ACCEPTED: "Mark accepted", REJECTED: "Mark rejected", EXPIRED: "Mark expired"}


def can_move(current: str | None, target: str) -> bool:
    return target in TRANSITIONS.get(current or DRAFT, frozenset())


def refusal(current: str | None, target: str) -> str:
    """The message for a transition that is not allowed."""
    current = current or DRAFT
    if current in TERMINAL:
        return f"This quote is {current}; it can no longer change. Create a revision instead."
    return f"A {current} quote cannot be marked {target}."


def next_actions(current: str | None) -> list[tuple[str, str]]:
    order = [SENT, ACCEPTED, REJECTED, EXPIRED]
    allowed = TRANSITIONS.get(current or DRAFT, frozenset())
    return [(status, ACTION_LABELS[status]) for status in order if status in allowed and status != EXPIRED]
