"""The score review's edges: a period at the ends of the calendar, and names that a spreadsheet
would run as formulas in the team CSV. (Kept apart from test_reviews.py, which follows reviews.py.)"""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from conversations import reviews
from tests.factories import AssociateFactory, ConversationFactory, ProjectFactory

pytestmark = pytest.mark.django_db
EDGE_MESSAGE = "Those dates are too close to the ends of the calendar"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/reviews/team/", {"start": "9999-12-31"}),
        ("/reviews/team/", {"end": "9999-12-31"}),
        ("/reviews/team/", {"start": "0001-01-01"}),
        ("/reviews/team/", {"start": "0001-01-01", "end": "0001-01-05"}),
        ("/reviews/mine/", {"end": "0001-01-01"}),
        ("/reviews/mine/", {"start": "9999-12-20", "end": "9999-12-31"}),
    ],
)
def test_a_period_at_the_calendars_edge_gets_a_message_and_the_default(client, manager, url, params):
    client.force_login(manager)
    response = client.get(url, params)
    assert response.status_code == 200
    assert EDGE_MESSAGE in response.content.decode()
    assert response.context["form"].period() == reviews.Period.default(timezone.localdate())


def test_the_csv_at_the_calendars_edge_falls_back_to_the_default_period(client, manager):
    client.force_login(manager)
    response = client.get("/reviews/team.csv", {"start": "0001-01-01", "end": "0001-01-05"})
    assert response.status_code == 200
    default = reviews.Period.default(timezone.localdate())
    assert f"aos-team-{default.start}-{default.end}.csv" in response["Content-Disposition"]


def test_early_dates_with_room_for_the_previous_period_are_kept(client, manager):
    client.force_login(manager)
    response = client.get("/reviews/team/", {"start": "0002-03-01", "end": "0002-03-31"})
    assert response.status_code == 200
    assert EDGE_MESSAGE not in response.content.decode()
    assert str(response.context["form"].period().start) == "0002-03-01"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_team_csv_escapes_names_that_start_like_a_formula(client, manager, start):
    name = f'{start}HYPERLINK("http://example.com")'
    associate = AssociateFactory(username=f"{start}cmd", first_name=name, last_name="")
    ConversationFactory(
        project=ProjectFactory(sales_associate=associate), conversation_date=timezone.now() - timedelta(days=2)
    )
    client.force_login(manager)
    rows = list(csv.DictReader(io.StringIO(client.get("/reviews/team.csv").content.decode())))
    (row,) = [row for row in rows if row["username"].endswith("cmd")]
    assert row["associate"] == "'" + name
    assert row["username"] == f"'{start}cmd"
