"""The AOS scoring rubric (AOS_RUBRIC.md) in one place, shown beside every score input so two
managers score the same conversation the same way. A store may reword it here."""

LEVELS = {
    1: "Not done",
    2: "Done partly or late",
    3: "Done fully",
    4: "Done fully and it moved the sale forward",
}

RUBRIC = {
    "aos_score_greeting": {
        "label": "Greeting",
        3: "Acknowledged promptly, introduced self, learned the name and whether DIY or pro.",
        4: "Built credibility: relevant experience, store services (design help, delivery, pro desk).",
    },
    "aos_score_needs": {
        "label": "Needs",
        3: "Asked what, where, who installs, when and how much; measured or estimated every surface.",
        4: "Uncovered the reason behind the project and a second room or surface.",
    },
    "aos_score_design": {
        "label": "Design",
        3: "Showed products that fit the space, style and budget; quantities computed.",
        4: "Presented good/better/best, the full setting-materials kit, and samples to take home.",
    },
    "aos_score_close": {
        "label": "Close",
        3: "Asked for the order or a clear next step with a date.",
        4: "The customer committed: order, deposit, or a booked appointment.",
    },
    "aos_score_objection": {
        "label": "Objection handling",
        3: "Listened, restated and answered the concern.",
        4: "Turned the concern into a reason to buy (price → durability, lead time → an alternative in stock).",
    },
    "aos_score_overall": {
        "label": "Overall",
        3: "The conversation followed the AOS order and captured the data.",
        4: "A manager would use it as a training example.",
    },
}


def level_text(field: str, level: int) -> str:
    """What a level means for one score: the phase's own words for 3 and 4, the general ones else."""
    return RUBRIC[field].get(level) or LEVELS[level]


def score_rows(conversation) -> list[dict]:
    rows = []
    for field, entry in RUBRIC.items():
        value = getattr(conversation, field)
        rows.append(
            {
                "field": field,
                "label": entry["label"],
                "value": value,
                "meaning": level_text(field, value) if value else "",
            }
        )
    return rows
