"""Which events may move a project's status: a table, no database."""

import pytest

from projects.models import status_moves_forward

STATUSES = [None, "inquiry", "quoted", "ordered", "in_progress", "completed", "cancelled"]
ALLOWED = {
    # forward moves
    ("inquiry", "quoted"),
    ("inquiry", "ordered"),
    ("quoted", "ordered"),
    ("ordered", "in_progress"),
    ("in_progress", "completed"),
    ("inquiry", "in_progress"),
    ("inquiry", "completed"),
    ("quoted", "in_progress"),
    ("quoted", "completed"),
    ("ordered", "completed"),
    # a new project, and a cancelled one revived by a later order or quote
    *{
        (start, target)
        for start in (None, "cancelled")
        for target in ("inquiry", "quoted", "ordered", "in_progress", "completed")
    },
    # lost: cancels what is not yet ordered
    (None, "cancelled"),
    ("inquiry", "cancelled"),
    ("quoted", "cancelled"),
    ("cancelled", "cancelled"),
}


@pytest.mark.parametrize("current", STATUSES)
@pytest.mark.parametrize("target", STATUSES[1:])
def test_status_moves_forward_table(current, target):
    assert status_moves_forward(current, target) is ((current, target) in ALLOWED)
