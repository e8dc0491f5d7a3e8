"""Sentence templates for conversation summaries and next actions. A summary is an opening for the
kind of conversation, sometimes a detail, and a closing for its outcome: one to three sentences."""

from conversations.models import InteractionType, Outcome

OPENINGS = {
    InteractionType.INITIAL_INQUIRY: (
        "{name} came in about the {room}: about {area} sq ft of tile in all.",
        "Walked {name} through the showroom for the {room}; measured {area} sq ft from their sketch.",
        "{name} is planning the {room} and wanted ideas that fit the budget.",
        "First visit: {name} brought photos and rough measurements of the {room}.",
        "{name} called ahead and came in to look at options for the {room}.",
    ),
    InteractionType.FOLLOWUP: (
        "Follow-up with {name} on the {room}.",
        "{name} came back with the samples for the {room}.",
        "Called {name} to hear how the samples looked at home.",
        "{name} stopped by with the installer's measurements for the {room}.",
    ),
    InteractionType.QUOTE_REVIEW: (
        "Reviewed the quote with {name} line by line.",
        "Went over the quote with {name}; questions were mostly about the setting materials.",
        "{name} called to go over the quote for the {room}.",
    ),
    InteractionType.ORDER_PLACEMENT: (
        "{name} came in to place the order for the {room}.",
        "Finalized quantities with {name} and placed the order.",
    ),
}

DETAILS = (
    "They liked {tile} for the {surface}.",
    "Installer: {installer}.",
    "Explained why {pattern} needs extra boxes for waste.",
    "Showed good/better/best options; they lean toward the middle one.",
    "Lead time came up, so we looked at in-stock alternatives.",
    "Price was the main concern; talked through durability and the full setting kit.",
    "Added grout, thinset and membrane so nothing is missing on install day.",
    "Sent them home with samples of {tile}.",
)

CLOSINGS = {
    Outcome.ORDER_PLACED: (
        "Order placed and deposit taken.",
        "Order placed; delivery scheduled.",
        "Paid in full; pickup next week.",
    ),
    Outcome.QUOTE_REQUESTED: (
        "Asked for a written quote to compare.",
        "Preparing the quote today.",
        "Wants a quote to share with their partner.",
    ),
    Outcome.FOLLOW_UP_SCHEDULED: (
        "Taking samples home; follow up on {next}.",
        "Wants to check with the installer; call back on {next}.",
        "Booked a second showroom visit for {next}.",
    ),
    Outcome.INFORMATION_GATHERED: (
        "Still early; gathering ideas for now.",
        "Will send the contractor's measurements when they have them.",
        "Not ready to decide; sent product links.",
    ),
    Outcome.LOST: (
        "Went with another store on price.",
        "Project postponed indefinitely.",
        "Decided on vinyl plank instead of tile.",
        "Their contractor is buying through a supplier.",
    ),
}

NEXT_ACTIONS = {
    Outcome.FOLLOW_UP_SCHEDULED: (
        "Call to hear how the samples looked",
        "Text photos of {tile} in a finished room",
        "Confirm measurements with the installer",
        "Check on the contractor's start date",
        "Pull samples for the second visit",
    ),
    Outcome.QUOTE_REQUESTED: (
        "Email the quote and call to review it",
        "Call to walk through the quote",
    ),
    Outcome.INFORMATION_GATHERED: (
        "Send product links and check in",
        "Invite back to see the new displays",
        "Ask for the contractor's measurements",
    ),
}
