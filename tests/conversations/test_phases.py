"""conversations/phases.py: the wizard's order, its map onto the seed's eight `aos_phase` values and
the completeness rules of AOS_RUBRIC.md. Pure tables: no database."""

from decimal import Decimal

import pytest

from conversations import phases
from conversations.models import AosPhase
from conversations.phases import CapturedFacts

D = Decimal

GREETING_DONE = {"has_name": True, "has_contact": True, "has_customer_type": True, "installer_known": True}
NEEDS_DONE = {
    "rooms": 2,
    "rooms_without_surfaces": 0,
    "surfaces": 3,
    "surfaces_with_area_and_pattern": 3,
    "has_start_date": True,
    "has_budget": True,
    "installer_known": True,
}
DESIGN_DONE = {
    "surfaces": 3,
    "surfaces_with_selected_tile": 3,
    "selections": 5,
    "selections_with_quantity": 5,
    "setting_kit_decided": True,
}


def test_the_four_phases_in_order_with_numbers_labels_and_seed_values():
    assert phases.SLUGS == ("greeting", "needs", "design", "close")
    assert [p.number for p in phases.PHASES] == [1, 2, 3, 4]
    assert [p.aos_phase for p in phases.PHASES] == ["greeting", "needs_assessment", "design_details", "close"]
    assert [p.score_field for p in phases.PHASES] == [
        "aos_score_greeting",
        "aos_score_needs",
        "aos_score_design",
        "aos_score_close",
    ]
    assert all(p.label for p in phases.PHASES)
    # every seed value a phase writes or stands for is one of the seed's ENUM values
    written = {p.aos_phase for p in phases.PHASES} | {v for p in phases.PHASES for v in p.also}
    assert written == set(AosPhase.values)


@pytest.mark.parametrize(
    ("slug", "following", "preceding"),
    [
        ("greeting", "needs", None),
        ("needs", "design", "greeting"),
        ("design", "close", "needs"),
        ("close", None, "design"),
    ],
)
def test_next_and_previous(slug, following, preceding):
    nxt = phases.next_phase(slug)
    prev = phases.previous_phase(slug)
    assert (nxt.slug if nxt else None) == following
    assert (prev.slug if prev else None) == preceding


@pytest.mark.parametrize(
    ("aos_phase", "slug"),
    [
        ("greeting", "greeting"),
        ("credibility", "greeting"),
        ("needs_assessment", "needs"),
        ("design_details", "design"),
        ("close", "close"),
        ("objection_handling", "close"),
        ("negotiation", "close"),
        ("followup", "close"),
        (None, "greeting"),
    ],
)
def test_for_aos_phase_maps_every_seed_value_and_none(aos_phase, slug):
    assert phases.for_aos_phase(aos_phase).slug == slug


def test_for_aos_phase_covers_all_eight_seed_values():
    assert len(AosPhase.values) == 8
    for value in AosPhase.values:
        assert phases.for_aos_phase(value).slug in phases.SLUGS


@pytest.mark.parametrize("slug", ["greeting", "needs", "design", "close"])
def test_get_returns_the_phase(slug):
    assert phases.get(slug).slug == slug


@pytest.mark.parametrize(
    "call",
    [
        lambda: phases.get("payment"),
        lambda: phases.get(""),
        lambda: phases.get("needs_assessment"),  # a seed value is not a wizard slug
        lambda: phases.next_phase("payment"),
        lambda: phases.previous_phase("payment"),
        lambda: phases.checklist("payment", CapturedFacts()),
        lambda: phases.completeness("payment", CapturedFacts()),
        lambda: phases.is_complete("payment", CapturedFacts()),
    ],
)
def test_unknown_slug_raises(call):
    with pytest.raises(ValueError, match="unknown wizard phase"):
        call()


# --- greeting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected", "fraction"),
    [
        ({}, [False, False, False, False], D("0.00")),
        ({"has_name": True}, [True, False, False, False], D("0.25")),
        ({"has_name": True, "has_contact": True}, [True, True, False, False], D("0.50")),
        ({**GREETING_DONE, "installer_known": False}, [True, True, True, False], D("0.75")),
        (GREETING_DONE, [True, True, True, True], D("1.00")),
    ],
)
def test_greeting_checklist(facts, expected, fraction):
    items = phases.checklist("greeting", CapturedFacts(**facts))
    assert [label for label, _ in items] == [
        "Customer name",
        "A way to contact (phone or email)",
        "Customer type",
        "Who installs",
    ]
    assert [done for _, done in items] == expected
    assert phases.completeness("greeting", CapturedFacts(**facts)) == fraction
    assert phases.is_complete("greeting", CapturedFacts(**facts)) is (fraction == 1)


# --- needs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected", "fraction"),
    [
        ({}, [False, False, False, False, False, False], D("0.00")),
        # a room without any surface: only "at least one room"
        ({"rooms": 1, "rooms_without_surfaces": 1}, [True, False, False, False, False, False], D("0.17")),
        (
            {"rooms": 2, "rooms_without_surfaces": 1, "surfaces": 2, "surfaces_with_area_and_pattern": 2},
            [True, False, True, False, False, False],
            D("0.33"),
        ),
        # one surface lacks its area or pattern
        (
            {**NEEDS_DONE, "surfaces_with_area_and_pattern": 2},
            [True, True, False, True, True, True],
            D("0.83"),
        ),
        ({**NEEDS_DONE, "has_start_date": False}, [True, True, True, False, True, True], D("0.83")),
        ({**NEEDS_DONE, "has_budget": False}, [True, True, True, True, False, True], D("0.83")),
        ({**NEEDS_DONE, "installer_known": False}, [True, True, True, True, True, False], D("0.83")),
        (NEEDS_DONE, [True] * 6, D("1.00")),
    ],
)
def test_needs_checklist(facts, expected, fraction):
    items = phases.checklist("needs", CapturedFacts(**facts))
    assert [label for label, _ in items] == [
        "At least one room",
        "Every room has a surface",
        "Every surface has an area and a pattern",
        "Start date",
        "A budget",
        "Installer known",
    ]
    assert [done for _, done in items] == expected
    assert phases.completeness("needs", CapturedFacts(**facts)) == fraction
    assert phases.is_complete("needs", CapturedFacts(**facts)) is (fraction == 1)


# --- design ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected", "fraction"),
    [
        ({}, [False, False, False], D("0.00")),
        # no surfaces at all: nothing to select for is not "every surface has a tile"
        ({"setting_kit_decided": True}, [False, False, True], D("0.33")),
        ({**DESIGN_DONE, "surfaces_with_selected_tile": 2}, [False, True, True], D("0.67")),
        ({**DESIGN_DONE, "selections_with_quantity": 4}, [True, False, True], D("0.67")),
        ({**DESIGN_DONE, "setting_kit_decided": False}, [True, True, False], D("0.67")),
        (DESIGN_DONE, [True, True, True], D("1.00")),
    ],
)
def test_design_checklist(facts, expected, fraction):
    items = phases.checklist("design", CapturedFacts(**facts))
    assert [label for label, _ in items] == [
        "Every surface has a selected tile",
        "Quantities computed",
        "Setting materials added or declined",
    ]
    assert [done for _, done in items] == expected
    assert phases.completeness("design", CapturedFacts(**facts)) == fraction
    assert phases.is_complete("design", CapturedFacts(**facts)) is (fraction == 1)


# --- close -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected", "fraction"),
    [
        # nothing chosen yet: only the outcome is asked for
        ({}, [("Outcome", False)], D("0.00")),
        # order placed and lost need no next step
        ({"outcome": "order_placed"}, [("Outcome", True)], D("1.00")),
        ({"outcome": "lost"}, [("Outcome", True)], D("1.00")),
        # any other outcome needs a next action and a date
        (
            {"outcome": "information_gathered"},
            [("Outcome", True), ("Next action", False), ("Next contact date", False)],
            D("0.33"),
        ),
        (
            {"outcome": "follow_up_scheduled", "has_next_action": True},
            [("Outcome", True), ("Next action", True), ("Next contact date", False)],
            D("0.67"),
        ),
        (
            {"outcome": "follow_up_scheduled", "has_next_action": True, "has_next_contact_date": True},
            [("Outcome", True), ("Next action", True), ("Next contact date", True)],
            D("1.00"),
        ),
        # a quote request also needs a quote
        (
            {"outcome": "quote_requested", "has_next_action": True, "has_next_contact_date": True},
            [("Outcome", True), ("Next action", True), ("Next contact date", True), ("A quote", False)],
            D("0.75"),
        ),
        (
            {"outcome": "quote_requested", "has_next_action": True, "has_next_contact_date": True, "quotes": 1},
            [("Outcome", True), ("Next action", True), ("Next contact date", True), ("A quote", True)],
            D("1.00"),
        ),
        (
            {"outcome": "quote_requested", "quotes": 2},
            [("Outcome", True), ("Next action", False), ("Next contact date", False), ("A quote", True)],
            D("0.50"),
        ),
    ],
)
def test_close_checklist(facts, expected, fraction):
    assert phases.checklist("close", CapturedFacts(**facts)) == expected
    assert phases.completeness("close", CapturedFacts(**facts)) == fraction
    assert phases.is_complete("close", CapturedFacts(**facts)) is (fraction == 1)


@pytest.mark.parametrize("slug", ["greeting", "needs", "design", "close"])
def test_completeness_is_a_two_place_decimal_between_0_and_1(slug):
    for facts in (CapturedFacts(), CapturedFacts(**GREETING_DONE), CapturedFacts(**NEEDS_DONE)):
        value = phases.completeness(slug, facts)
        assert isinstance(value, Decimal)
        assert D("0") <= value <= D("1")
        assert value == value.quantize(D("0.01"))
