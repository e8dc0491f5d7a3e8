import pytest

from quotes import lifecycle

ALL = ["draft", "sent", "accepted", "rejected", "expired"]
ALLOWED = {
    ("draft", "sent"),
    ("draft", "expired"),
    ("sent", "accepted"),
    ("sent", "rejected"),
    ("sent", "expired"),
}


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_transition_table(current, target):
    assert lifecycle.can_move(current, target) is ((current, target) in ALLOWED)


@pytest.mark.parametrize("terminal", ["accepted", "rejected", "expired"])
def test_terminal_states_explain_themselves(terminal):
    assert lifecycle.refusal(terminal, "sent") == (
        f"This quote is {terminal}; it can no longer change. Create a revision instead."
    )
    assert lifecycle.next_actions(terminal) == []


def test_actions_offered_follow_the_table():
    assert lifecycle.next_actions("draft") == [("sent", "Mark sent")]
    assert lifecycle.next_actions("sent") == [("accepted", "Mark accepted"), ("rejected", "Mark rejected")]
    assert lifecycle.refusal("draft", "accepted") == "A draft quote cannot be marked accepted."
