"""Issue 6, the manager's AOS score review: conversations/reviews.py (set-based reads and the score
write) and conversations/review_views.py (/reviews/...).

The figures are checked against numbers worked out by hand, against phases.py conversation by
conversation, and against a hand-written SQL aggregate over the demo data (on SQLite and on
PostgreSQL, whichever DATABASE_URL names). Every URL is tried by every role; the query count of
every page is pinned and shown not to grow with the number of conversations."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aos_crm.models import User
from conversations import phases, reviews, selectors, services
from conversations.models import SCORE_FIELDS, ConversationLog
from projects.models import ProductType, SelectionStatus
from tests.factories import (
    ConversationFactory,
    CustomerFactory,
    ProjectFactory,
    QuoteFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
CENT = Decimal("0.01")


# --- helpers -----------------------------------------------------------------------------------


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


SLUGS = {slug for slug, _, _ in reviews.SCORES}


def talk(associate, *, when=None, outcome=None, closed=True, project=None, **fields):
    """A conversation by `associate`; scores by slug (greeting=3, overall=4), other columns as named."""
    when = when or timezone.now() - timedelta(days=3)
    project = project or ProjectFactory(sales_associate=associate)
    conversation = ConversationFactory(
        project=project,
        sales_associate=associate,
        conversation_date=when,
        outcome=outcome,
        closed_at=when if closed else None,
        **{(f"aos_score_{name}" if name in SLUGS else name): value for name, value in fields.items()},
    )
    # what the wizard stores as the conversation goes
    return services.record_completeness(conversation=conversation)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def query_count(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(queries)


def d(value) -> Decimal:
    return Decimal(value)


# --- the period ------------------------------------------------------------------------------


def test_default_period_is_the_last_eight_weeks_and_previous_has_the_same_length():
    period = reviews.Period.default(date(2026, 3, 31))
    assert (period.start, period.end, period.days) == (date(2026, 2, 4), date(2026, 3, 31), 56)
    previous = period.previous()
    assert (previous.start, previous.end, previous.days) == (date(2025, 12, 10), date(2026, 2, 3), 56)
    assert period.weeks()[0] == date(2026, 2, 2)  # the Monday of the start's week
    assert period.weeks()[-1] == date(2026, 3, 30)
    start, end = period.bounds()
    assert timezone.localtime(start).date() == date(2026, 2, 4)
    assert timezone.localtime(end).date() == date(2026, 4, 1)  # exclusive


# --- the aggregates, worked by hand ------------------------------------------------------------


def test_team_rows_average_each_phase_ignoring_unscored_and_count_outcomes(associate, associate2):
    talk(associate, greeting=4, needs=3, design=2, close=1, objection=None, overall=3, outcome="order_placed")
    talk(associate, greeting=3, needs=3, design=3, close=2, objection=4, overall=2, outcome="lost")
    talk(associate, greeting=None, overall=None, closed=False)  # open and unscored
    talk(associate2, greeting=1, overall=1, outcome="follow_up_scheduled")
    today = timezone.localdate()

    dashboard = reviews.team_dashboard(period=reviews.Period.default(today), today=today)
    rows = {row.associate.username: row for row in dashboard.rows}
    assert set(rows) == {"associate", "associate2"}
    first = rows["associate"].current
    assert first.conversations == 3
    assert first.scored == 2
    assert first.scored_share == d("67")
    assert first.averages == {
        "greeting": d("3.50"),
        "needs": d("3.00"),
        "design": d("2.50"),
        "close": d("1.50"),
        "objection": d("4.00"),
        "overall": d("2.50"),
    }
    assert first.outcomes["order_placed"] == 1
    assert first.outcomes["lost"] == 1
    assert first.outcomes["quote_requested"] == 0
    assert first.close_rate == d("33.3")  # 1 order of 3 conversations
    second = rows["associate2"].current
    assert (second.conversations, second.averages["overall"], second.averages["needs"]) == (1, d("1.00"), None)
    assert second.close_rate == d("0.0")


def test_change_against_the_previous_period_of_the_same_length(associate):
    today = timezone.localdate()
    talk(associate, when=timezone.now() - timedelta(days=10), overall=4, greeting=4, outcome="order_placed")
    talk(associate, when=timezone.now() - timedelta(days=12), overall=3, greeting=2, outcome="lost")
    talk(associate, when=timezone.now() - timedelta(days=70), overall=2, greeting=3, outcome="lost")
    talk(associate, when=timezone.now() - timedelta(days=200), overall=1)  # before both periods

    (row,) = reviews.team_dashboard(period=reviews.Period.default(today), today=today).rows
    assert row.current.conversations == 2
    assert row.previous.conversations == 1
    assert row.conversations_change == 1
    scores = {cell["slug"]: cell for cell in row.scores}
    assert scores["overall"]["average"] == d("3.50")
    assert scores["overall"]["change"] == d("1.50")  # 3.50 against 2.00
    assert scores["greeting"]["change"] == d("0.00")  # 3.00 against 3.00
    assert scores["needs"]["change"] is None  # nothing to compare
    assert row.close_rate_change == d("50.0")  # 50.0 % against 0.0 %


def test_weekly_trend_is_one_point_per_associate_per_week(associate, associate2):
    period = reviews.Period(date(2026, 3, 2), date(2026, 3, 22))  # Monday to Sunday, three weeks
    talk(associate, when=at(date(2026, 3, 3)), overall=2)
    talk(associate, when=at(date(2026, 3, 8), hour=23), overall=4)  # Sunday night, same week
    talk(associate, when=at(date(2026, 3, 17)), overall=3)
    talk(associate, when=at(date(2026, 3, 18)), overall=None)  # unscored: not in the trend
    talk(associate2, when=at(date(2026, 3, 10)), overall=1)

    trend = reviews.weekly_trend(period=period)
    points = {(p["sales_associate_id"], p["week"]): (p["average"], p["conversations"]) for p in trend}
    assert points == {
        (associate.pk, date(2026, 3, 2)): (3.0, 2),
        (associate.pk, date(2026, 3, 16)): (3.0, 1),
        (associate2.pk, date(2026, 3, 9)): (1.0, 1),
    }


def test_distribution_counts_each_level_per_phase(associate, associate2):
    period = reviews.Period(date(2026, 3, 2), date(2026, 3, 8))
    talk(associate, when=at(date(2026, 3, 3)), greeting=1, overall=4)
    talk(associate, when=at(date(2026, 3, 4)), greeting=4, overall=4)
    talk(associate2, when=at(date(2026, 3, 5)), greeting=4, overall=2, objection=3)

    result = reviews.distribution(period=period)
    assert result["greeting"] == [1, 0, 0, 2]
    assert result["overall"] == [0, 1, 0, 2]
    assert result["objection"] == [0, 0, 1, 0]
    assert result["needs"] == [0, 0, 0, 0]
    assert reviews.distribution(period=period, associates=[associate2.pk])["greeting"] == [0, 0, 0, 1]


def test_close_rate_by_overall_score(associate):
    period = reviews.Period(date(2026, 3, 2), date(2026, 3, 8))
    day = at(date(2026, 3, 4))
    for outcome in ("order_placed", "order_placed", "lost", "quote_requested"):
        talk(associate, when=day, overall=4, outcome=outcome)
    for outcome in ("order_placed", "lost", "lost", "lost", "lost"):
        talk(associate, when=day, overall=2, outcome=outcome)
    talk(associate, when=day, overall=None, closed=False)

    rates = reviews.close_rate_by_score(period=period)
    assert (rates[4]["conversations"], rates[4]["orders"]) == (4, 2)
    assert (rates[2]["conversations"], rates[2]["orders"]) == (5, 1)
    assert (rates[None]["conversations"], rates[None]["orders"]) == (1, 0)
    assert 1 not in rates and 3 not in rates


def test_followups_per_associate_count_overdue_and_due_today_only_when_unanswered(associate, associate2):
    today = timezone.localdate()
    overdue = talk(associate, outcome="follow_up_scheduled")
    ConversationLog.objects.filter(pk=overdue.pk).update(next_contact_date=today - timedelta(days=2))
    due = talk(associate, outcome="quote_requested")
    ConversationLog.objects.filter(pk=due.pk).update(next_contact_date=today)
    answered = talk(associate, outcome="follow_up_scheduled", when=timezone.now() - timedelta(days=5))
    ConversationLog.objects.filter(pk=answered.pk).update(next_contact_date=today - timedelta(days=1))
    talk(associate, project=answered.project, when=timezone.now() - timedelta(days=1))  # the answer
    later = talk(associate2, outcome="follow_up_scheduled")
    ConversationLog.objects.filter(pk=later.pk).update(next_contact_date=today + timedelta(days=3))

    counts = reviews.followups_per_associate(today=today)
    assert counts[associate.pk] == {"overdue": 1, "due_today": 1}
    assert counts.get(associate2.pk, {"overdue": 0, "due_today": 0}) == {"overdue": 0, "due_today": 0}


# --- completeness: the database's expressions agree with phases.py -------------------------------


def _completeness_cases(associate):
    """Conversations whose projects captured more or less, to compare both computations."""
    bare = ProjectFactory(
        sales_associate=associate,
        installation_method="unknown",
        total_budget_min=None,
        total_budget_max=None,
        tile_budget=None,
        project_start_date=None,
        customer=CustomerFactory(phone_primary=None, email=None),
    )
    cases = [talk(associate, project=bare, closed=False)]

    partial = ProjectFactory(sales_associate=associate, tile_budget=None, total_budget_min=None)
    RoomFactory(project=partial)  # a room without a surface
    SurfaceFactory(room__project=partial, pattern_type=None)  # no tile, no pattern
    cases.append(talk(associate, project=partial, outcome="follow_up_scheduled", next_action="Call back"))

    full = ProjectFactory(sales_associate=associate)
    surface = SurfaceFactory(room__project=full)
    SelectionFactory(surface=surface)
    SelectionFactory(surface=surface, product_type=ProductType.GROUT, quantity_ordered=Decimal("2"))
    QuoteFactory(project=full)
    cases.append(
        talk(
            associate,
            project=full,
            outcome="quote_requested",
            next_action="Review the quote",
            next_contact_date=timezone.localdate() + timedelta(days=2),
        )
    )

    unquoted = ProjectFactory(sales_associate=associate, project_start_date=None)
    surface = SurfaceFactory(room__project=unquoted)
    SelectionFactory(surface=surface, selection_status=SelectionStatus.CONSIDERED)  # tile not chosen
    SelectionFactory(surface=surface, quantity_ordered=None, total_price=None)
    cases.append(talk(associate, project=unquoted, outcome="quote_requested"))

    ordered = ProjectFactory(sales_associate=associate, installation_method="diy")
    SelectionFactory(surface__room__project=ordered)
    cases.append(talk(associate, project=ordered, outcome="order_placed"))
    cases.append(talk(associate, project=ordered, outcome="lost"))  # same project, another outcome
    return cases


def test_completeness_in_the_database_agrees_with_phases_py_conversation_by_conversation(associate):
    cases = _completeness_cases(associate)
    rows = {c.pk: c for c in reviews.with_completeness(ConversationLog.objects.all())}
    seen = set()
    for conversation in cases:
        facts = selectors.captured_facts(conversation)
        for slug in phases.SLUGS:
            expected = phases.completeness(slug, facts)
            computed = reviews.rounded(getattr(rows[conversation.pk], f"captured_{slug}"), CENT)
            assert computed == expected, (conversation.project, slug)
            assert getattr(rows[conversation.pk], f"completeness_{slug}") == expected, "stored by the service"
            seen.add((slug, expected))
    # the cases really exercise partial phases, not only 0 and 1
    partial = {("greeting", "0.50"), ("needs", "0.67"), ("needs", "0.83"), ("design", "0.33"), ("design", "0.67")}
    partial |= {("close", "0.25"), ("close", "0.67"), ("needs", "0.00"), ("close", "1.00")}
    assert {(slug, d(value)) for slug, value in partial} <= seen


def test_dashboard_completeness_is_the_average_of_the_conversations(associate):
    cases = _completeness_cases(associate)
    today = timezone.localdate()
    (row,) = reviews.team_dashboard(period=reviews.Period.default(today), today=today).rows
    for slug in phases.SLUGS:
        # phases.py rounds each conversation to 2 places; the database averages unrounded fractions
        values = [phases.completeness(slug, selectors.captured_facts(c)) for c in cases]
        mean = sum(values) / len(values) * 100
        assert abs(row.current.completeness[slug] - mean) <= 1, slug


# --- the demo data against a hand-written SQL aggregate ---------------------------------------------

HAND_WRITTEN = """
    SELECT u.username,
           COUNT(*),
           AVG(c.aos_score_greeting), AVG(c.aos_score_needs), AVG(c.aos_score_design),
           AVG(c.aos_score_close), AVG(c.aos_score_objection), AVG(c.aos_score_overall),
           SUM(CASE WHEN c.outcome = 'order_placed' THEN 1 ELSE 0 END)
      FROM conversation_log c
      JOIN users u ON u.id = c.sales_associate_id
     WHERE c.conversation_date >= %s AND c.conversation_date < %s
     GROUP BY u.username
     ORDER BY u.username
"""


def _half_up(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture
def demo(db, monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", "pytest-demo-password")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", stdout=io.StringIO())


@pytest.mark.parametrize("weeks", [8, 12])
def test_demo_phase_averages_match_a_hand_written_sql_aggregate(demo, weeks):
    today = timezone.localdate()
    period = reviews.Period.default(today, weeks=weeks)
    with connection.cursor() as cursor:
        # the backend's own parameter form for a timestamp (SQLite stores UTC text)
        cursor.execute(HAND_WRITTEN, [connection.ops.adapt_datetimefield_value(bound) for bound in period.bounds()])
        expected = {row[0]: row[1:] for row in cursor.fetchall()}
    assert set(expected) == {"associate", "associate2", "associate3", "associate4"}

    manager = User.objects.get(username="manager")
    response = logged_in(manager).get(
        "/reviews/team/", {"start": period.start.isoformat(), "end": period.end.isoformat()}
    )
    assert response.status_code == 200
    rows = {row.associate.username: row for row in response.context["dashboard"].rows}
    assert set(rows) == set(expected)
    raw = reviews.per_associate(period=period)
    html = response.content.decode()
    for username, (count, *averages, orders) in expected.items():
        row = rows[username]
        assert row.current.conversations == count
        assert row.current.orders == orders
        for (slug, _, _), sql_average in zip(reviews.SCORES, averages, strict=True):
            assert abs(float(raw[row.associate.pk][f"avg_{slug}"]) - float(sql_average)) < 1e-9, (username, slug)
            assert row.current.averages[slug] == _half_up(sql_average), (username, slug)
        # and the manager sees those numbers on the page
        assert f"{_half_up(averages[-1])}" in html
    # the demo's profiles show through: Alex greets best, Taylor closes best
    assert rows["associate"].current.averages["greeting"] > rows["associate4"].current.averages["greeting"]
    assert rows["associate4"].current.averages["close"] > rows["associate"].current.averages["close"]


def test_demo_associate_cannot_reach_associate2s_scores(demo):
    associate = User.objects.get(username="associate")
    other = User.objects.get(username="associate2")
    client = logged_in(associate)
    assert client.get(f"/reviews/associates/{other.pk}/").status_code == 404
    assert client.get("/reviews/team/", {"associate": other.pk}).status_code == 403
    assert client.get("/reviews/team.csv").status_code == 403
    mine = client.get("/reviews/mine/", {"associate": other.pk})  # a filter it does not have is ignored
    assert mine.status_code == 200
    assert mine.context["associate"] == associate
    shown = {entry["conversation"].sales_associate_id for entry in mine.context["entries"]}
    assert shown == {associate.pk}
    assert other.get_full_name() not in mine.content.decode()


# --- permissions: every URL, every role --------------------------------------------------------------


@pytest.fixture
def world(associate, associate2, manager, catalog_staff):
    own = talk(associate, overall=3, greeting=3, outcome="lost")
    other = talk(associate2, overall=2, greeting=2, outcome="lost")
    other.project.customer.first_name = "Secretname"
    other.project.customer.save()
    return {"own": own, "other": other}


def _urls(world, associate, associate2):
    other = world["other"]
    return {
        "team": "/reviews/team/",
        "csv": "/reviews/team.csv",
        "own page": f"/reviews/associates/{associate.pk}/",
        "other page": f"/reviews/associates/{associate2.pk}/",
        "no such page": "/reviews/associates/999999/",
        "score": f"/reviews/conversations/{other.pk}/score/",
        "mine": "/reviews/mine/",
        "followups": "/reviews/followups/",
    }


EXPECTED = {
    #               associate  manager  catalog staff
    "team": (403, 200, 403),
    "csv": (403, 200, 403),
    "own page": (200, 200, 403),
    "other page": (404, 200, 403),
    "no such page": (404, 404, 403),
    "score": (403, 200, 403),
    "mine": (200, 200, 403),
    "followups": (200, 200, 403),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_url_by_every_role(name, world, associate, associate2, manager, catalog_staff):
    url = _urls(world, associate, associate2)[name]
    for user, status in zip((associate, manager, catalog_staff), EXPECTED[name], strict=True):
        response = logged_in(user).get(url)
        assert response.status_code == status, (name, user.username)
        if status != 200:
            assert b"Secretname" not in response.content


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_url_sends_anonymous_users_to_the_login(name, world, associate, associate2):
    url = _urls(world, associate, associate2)[name]
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_manager_sees_other_associates_and_associate_sees_only_their_own(world, associate, manager):
    page = logged_in(manager).get(f"/reviews/associates/{world['other'].sales_associate_id}/")
    assert b"Secretname" in page.content
    mine = logged_in(associate).get("/reviews/mine/")
    assert b"Secretname" not in mine.content
    assert [e["conversation"].pk for e in mine.context["entries"]] == [world["own"].pk]


def test_only_permitted_methods(manager_client, world):
    assert manager_client.post("/reviews/team/").status_code == 405
    assert manager_client.post("/reviews/team.csv").status_code == 405
    assert manager_client.post("/reviews/mine/").status_code == 405
    assert manager_client.delete(f"/reviews/conversations/{world['own'].pk}/score/").status_code == 405


def test_summary_page_hides_another_associates_scores(world, associate):
    other = world["other"]
    response = logged_in(associate).get(f"/conversations/{other.pk}/summary/")
    assert response.status_code == 200
    assert response.context["scores"] is None
    assert 'data-testid="scores"' not in response.content.decode()
    assert "AOS scores are shown to the associate and managers." in response.content.decode()


# --- the pages ----------------------------------------------------------------------------------------


def test_dashboard_page_shows_the_table_charts_and_the_csv_link(manager_client, world, associate):
    response = manager_client.get("/reviews/team/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="score-table"' in html and 'data-testid="completeness-table"' in html
    assert html.count('data-testid="trend-series"') == 2
    assert html.count('data-testid="distribution-bar"') == 6
    assert html.count('data-testid="close-rate-bar"') == 4
    assert f'href="/reviews/associates/{associate.pk}/?start=' in html
    assert 'href="/reviews/team.csv"' in html
    assert "cdn" not in html.lower()


def test_dashboard_filters_by_associate_and_swaps_a_partial_for_htmx(manager_client, world, associate):
    full = manager_client.get("/reviews/team/", {"associate": associate.pk})
    assert [row.associate for row in full.context["dashboard"].rows] == [associate]
    assert b"<html" in full.content

    partial = manager_client.get("/reviews/team/", {"associate": associate.pk}, headers=HX)
    assert partial.status_code == 200
    html = partial.content.decode()
    assert "<html" not in html and 'id="dashboard"' not in html
    assert 'data-testid="score-table"' in html
    assert f"/reviews/team.csv?associate={associate.pk}" in html
    assert html.count('data-associate="associate"') == 3  # one row in each of the three tables
    assert 'data-associate="associate2"' not in html


def test_dashboard_refuses_a_bad_period_and_shows_the_default(manager_client, world):
    today = timezone.localdate()
    response = manager_client.get("/reviews/team/", {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 200
    assert response.context["dashboard"].period == reviews.Period.default(today)
    assert "The start date must be on or before the end date." in response.content.decode()
    garbage = manager_client.get("/reviews/team/", {"start": "yesterday", "associate": "x"})
    assert garbage.status_code == 200
    assert garbage.context["dashboard"].period == reviews.Period.default(today)


def test_filter_errors_show_in_the_htmx_partial_and_an_unknown_associate_keeps_the_dates(manager_client, world):
    bad = manager_client.get("/reviews/team/", {"start": "2026-03-10", "end": "2026-03-01"}, headers=HX)
    assert 'data-testid="filter-errors"' in bad.content.decode()
    kept = manager_client.get("/reviews/team/", {"start": "2026-03-01", "end": "2026-03-10", "associate": 999999})
    assert kept.context["dashboard"].period == reviews.Period(date(2026, 3, 1), date(2026, 3, 10))
    assert kept.context["form"].chosen() == []  # the unknown associate is dropped, not the dates


def test_an_associate_keeps_their_colour_whoever_else_is_shown(manager_client, world, associate2):
    everyone = manager_client.get("/reviews/team/").context["trend_chart"]["series"]
    alone = manager_client.get("/reviews/team/", {"associate": associate2.pk}).context["trend_chart"]["series"]
    name = associate2.get_full_name()
    (before,) = [s for s in everyone if s["name"] == name]
    assert [(s["name"], s["colour"], s["marker"]) for s in alone] == [(name, before["colour"], before["marker"])]


def test_csv_has_a_header_and_the_pages_values_one_row_per_associate(manager_client, world, associate):
    talk(associate, overall=4, greeting=2, needs=3, outcome="order_placed")
    page = manager_client.get("/reviews/team/")
    response = manager_client.get("/reviews/team.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    header = response.content.decode().splitlines()[0].split(",")
    assert header[:5] == ["associate", "username", "period_start", "period_end", "conversations"]
    assert len(rows) == len(page.context["dashboard"].rows) == 2
    for row, shown in zip(rows, page.context["dashboard"].rows, strict=True):
        assert row["username"] == shown.associate.username
        assert row["associate"] == shown.name
        assert int(row["conversations"]) == shown.current.conversations
        for slug, _, _ in reviews.SCORES:
            assert row[f"avg_{slug}"] == (
                "" if shown.current.averages[slug] is None else str(shown.current.averages[slug])
            )
        for slug in phases.SLUGS:
            assert row[f"completeness_{slug}_pct"] == str(shown.current.completeness[slug])
        assert row["close_rate_pct"] == str(shown.current.close_rate)
        assert int(row["outcome_order_placed"]) == shown.current.outcomes["order_placed"]
        assert int(row["followups_overdue"]) == shown.overdue
    first = next(r for r in rows if r["username"] == "associate")
    assert (first["avg_overall"], first["avg_greeting"], first["close_rate_pct"]) == ("3.50", "2.50", "50.0")
    assert first["avg_overall"] in page.content.decode()


def test_drill_down_lists_newest_first_paginated_with_scores_and_completeness(manager_client, associate):
    base = timezone.now() - timedelta(days=1)
    made = [talk(associate, when=base - timedelta(hours=n), overall=1 + n % 4, outcome="lost") for n in range(30)]
    response = manager_client.get(f"/reviews/associates/{associate.pk}/")
    entries = response.context["entries"]
    assert len(entries) == 25
    assert [e["conversation"].pk for e in entries] == [c.pk for c in made[:25]]
    first = entries[0]
    assert [cell["slug"] for cell in first["cells"]] == [slug for slug, _, _ in reviews.SCORES]
    assert first["cells"][-1]["score"] == 1
    assert first["cells"][0]["completeness"] is not None and first["cells"][4]["completeness"] is None
    html = response.content.decode()
    assert f"/conversations/{made[0].pk}/summary/" in html  # the drill-down reuses the summary page
    assert f"/reviews/conversations/{made[0].pk}/score/" in html
    second = manager_client.get(f"/reviews/associates/{associate.pk}/", {"page": 2})
    assert [e["conversation"].pk for e in second.context["entries"]] == [c.pk for c in made[25:]]


def test_associate_page_has_no_score_buttons_for_associates(associate_client, associate):
    conversation = talk(associate, overall=3)
    html = associate_client.get("/reviews/mine/").content.decode()
    assert f"/conversations/{conversation.pk}/summary/" in html
    assert "/score/" not in html
    assert 'data-testid="trend-chart"' in html


def test_followups_page_groups_by_due_date_with_one_click_actions(associate_client, associate, associate2):
    today = timezone.localdate()
    rows = {}
    for name, offset in (("late", -3), ("now", 0), ("soon", 4)):
        conversation = talk(associate, outcome="follow_up_scheduled", next_action=f"Call {name}")
        ConversationLog.objects.filter(pk=conversation.pk).update(next_contact_date=today + timedelta(days=offset))
        rows[name] = conversation
    theirs = talk(associate2, outcome="follow_up_scheduled", next_action="Not mine")
    ConversationLog.objects.filter(pk=theirs.pk).update(next_contact_date=today)

    response = associate_client.get("/reviews/followups/")
    html = response.content.decode()
    assert response.context["counts"] == {"overdue": 1, "due_today": 1, "upcoming": 1}
    sections = {section["key"]: [c.pk for c in section["rows"]] for section in response.context["sections"]}
    assert sections == {"overdue": [rows["late"].pk], "today": [rows["now"].pk], "upcoming": [rows["soon"].pk]}
    for section in ("overdue", "today", "upcoming"):
        assert f'data-testid="followups-{section}"' in html
    assert html.index("Call late") < html.index("Call now") < html.index("Call soon")
    assert "Not mine" not in html
    customer = rows["late"].project.customer_id
    assert f'href="/customers/{customer}/"' in html
    assert f'href="/conversations/new/{customer}/?project={rows["late"].project_id}"' in html


def test_each_followup_section_pages_on_its_own(associate_client, associate, settings, monkeypatch):
    monkeypatch.setattr(reviews, "FOLLOWUP_ROWS", 2)
    today = timezone.localdate()
    late = []
    for n in range(5):
        conversation = talk(associate, outcome="follow_up_scheduled", next_action=f"Late {n}")
        ConversationLog.objects.filter(pk=conversation.pk).update(next_contact_date=today - timedelta(days=10 - n))
        late.append(conversation)
    soon = talk(associate, outcome="follow_up_scheduled", next_action="Soon")
    ConversationLog.objects.filter(pk=soon.pk).update(next_contact_date=today + timedelta(days=1))

    def shown(response, key):
        return [c.next_action for c in {s["key"]: s for s in response.context["sections"]}[key]["rows"]]

    first = associate_client.get("/reviews/followups/")
    assert shown(first, "overdue") == ["Late 0", "Late 1"]
    html = first.content.decode()
    assert "1–2 by date" in html and 'href="?overdue_page=2#followups-overdue">More overdue</a>' in html
    assert 'data-testid="followups-upcoming-pages"' not in html, "one upcoming follow-up: no pages"

    second = associate_client.get("/reviews/followups/", {"overdue_page": "2", "upcoming_page": "1"})
    assert shown(second, "overdue") == ["Late 2", "Late 3"]
    assert shown(second, "upcoming") == ["Soon"]
    html = second.content.decode()
    assert "3–4 by date" in html and 'href="?upcoming_page=1#followups-overdue">Previous</a>' in html
    assert "overdue_page=3" in html

    for beyond in ("99", "9" * 40):
        last = associate_client.get("/reviews/followups/", {"overdue_page": beyond})
        assert shown(last, "overdue") == ["Late 4"], "a page past the end shows the last one"
    assert associate_client.get("/reviews/followups/", {"overdue_page": "1\x00"}).status_code == 400
    for junk in ("abc", "-1", "0", "2.5"):
        response = associate_client.get("/reviews/followups/", {"overdue_page": junk})
        assert response.status_code == 200 and shown(response, "overdue") == ["Late 0", "Late 1"]
    assert first.context["counts"]["overdue"] == 5


# --- scoring -----------------------------------------------------------------------------------------------

GOOD = {
    "aos_score_greeting": "4",
    "aos_score_needs": "3",
    "aos_score_design": "2",
    "aos_score_close": "1",
    "aos_score_objection": "",
    "aos_score_overall": "3",
}


def test_score_page_shows_the_rubric_for_each_level_and_phase_completeness(manager_client, associate):
    conversation = talk(associate, greeting=2, overall=2)
    response = manager_client.get(f"/reviews/conversations/{conversation.pk}/score/")
    html = response.content.decode()
    assert "Built credibility" in html  # greeting's 4
    assert "A manager would use it as a training example." in html  # overall's 4
    assert "Done partly or late" in html  # the general meaning of a 2
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["aos_score_greeting"]["levels"][1]["checked"]  # the current 2
    facts = selectors.captured_facts(conversation)
    assert rows["aos_score_needs"]["completeness"] == int(phases.completeness("needs", facts) * 100)
    assert rows["aos_score_objection"]["completeness"] is None
    assert f"/conversations/{conversation.pk}/summary/" in html


def test_manager_scores_a_conversation(manager_client, associate):
    conversation = talk(associate, greeting=1, overall=1, objection=2, outcome="lost")
    response = manager_client.post(f"/reviews/conversations/{conversation.pk}/score/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/associates/{associate.pk}/"
    conversation.refresh_from_db()
    assert [getattr(conversation, name) for name in SCORE_FIELDS] == [4, 3, 2, 1, None, 3]
    assert conversation.outcome == "lost"  # only the scores were written


@pytest.mark.parametrize("bad", ["0", "5", "three"])
def test_scores_outside_one_to_four_are_refused_with_a_message(manager_client, associate, bad):
    conversation = talk(associate, greeting=2, overall=2)
    response = manager_client.post(
        f"/reviews/conversations/{conversation.pk}/score/", {**GOOD, "aos_score_greeting": bad}
    )
    assert response.status_code == 200
    assert "Scores run from 1 to 4." in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    conversation.refresh_from_db()
    assert (conversation.aos_score_greeting, conversation.aos_score_overall) == (2, 2)


def test_overall_score_is_required(manager_client, associate):
    conversation = talk(associate, overall=2)
    response = manager_client.post(
        f"/reviews/conversations/{conversation.pk}/score/", {**GOOD, "aos_score_overall": ""}
    )
    assert "Give an overall score from 1 to 4." in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.aos_score_overall == 2


def test_associates_cannot_post_scores(associate_client, associate):
    conversation = talk(associate, greeting=2, overall=2)
    response = associate_client.post(f"/reviews/conversations/{conversation.pk}/score/", GOOD)
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert (conversation.aos_score_greeting, conversation.aos_score_overall) == (2, 2)


def test_associates_cannot_change_a_score_once_the_conversation_is_closed(associate_client, associate):
    conversation = talk(associate, greeting=2, overall=2, outcome="lost")
    response = associate_client.post(
        f"/conversations/{conversation.pk}/close/", {"outcome": "lost", "aos_score_overall": "4", "go": "close"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/conversations/{conversation.pk}/summary/"
    conversation.refresh_from_db()
    assert conversation.aos_score_overall == 2


def test_score_service_checks_the_permission_and_the_database_rule(associate, manager):
    conversation = talk(associate, overall=2)
    with pytest.raises(PermissionDenied):
        reviews.score_conversation(conversation=conversation, manager=associate, scores={"aos_score_overall": 4})
    with pytest.raises(ValidationError, match=r"Scores run from 1 to 4\."):
        reviews.score_conversation(conversation=conversation, manager=manager, scores={"aos_score_overall": 5})
    with pytest.raises(ValueError, match="outcome"):
        reviews.score_conversation(conversation=conversation, manager=manager, scores={"outcome": "lost"})
    conversation.refresh_from_db()
    assert conversation.aos_score_overall == 2
    reviews.score_conversation(conversation=conversation, manager=manager, scores={"aos_score_overall": 4})
    conversation.refresh_from_db()
    assert conversation.aos_score_overall == 4


# --- queries per page: pinned, and constant in the number of conversations -----------------------------


def _grow(associates, n):
    """n more conversations per associate, each on a project with rooms, surfaces and selections."""
    today = timezone.localdate()
    for associate in associates:
        for i in range(n):
            project = ProjectFactory(sales_associate=associate)
            SelectionFactory(surface__room__project=project)
            conversation = talk(
                associate, project=project, overall=1 + i % 4, greeting=1 + i % 3, outcome="follow_up_scheduled"
            )
            ConversationLog.objects.filter(pk=conversation.pk).update(next_contact_date=today + timedelta(days=i - 2))


# Every request costs 4 (session, user, the user's and the groups' permissions); then the team pages
# 3 (reviews.team_dashboard: associates, the period's sums, follow-up counts); an associate's page 5
# (the user, the period's sums, follow-ups, count, page; completeness is stored on the rows; "mine"
# needs no user lookup); follow-ups 4 (counts, three sections); scoring 6 (the conversation,
# selectors.captured_facts, the latest manager's and self scorings, the phase history).
PINS = {
    # url builder, who asks, the most queries allowed
    "team": (lambda a, c: "/reviews/team/", "manager", 7),
    "team partial": (lambda a, c: "/reviews/team/", "manager", 7),
    "csv": (lambda a, c: "/reviews/team.csv", "manager", 7),
    "associate page": (lambda a, c: f"/reviews/associates/{a.pk}/", "manager", 9),
    "mine": (lambda a, c: "/reviews/mine/", "associate", 8),
    "followups": (lambda a, c: "/reviews/followups/", "associate", 8),
    "score": (lambda a, c: f"/reviews/conversations/{c.pk}/score/", "manager", 10),
}


@pytest.mark.parametrize("name", sorted(PINS))
def test_queries_per_page_are_pinned_and_do_not_grow(
    name, associate, associate2, manager, django_assert_max_num_queries
):
    url_for, who, pin = PINS[name]
    users = {"manager": manager, "associate": associate}
    extra = {"headers": HX} if name == "team partial" else {}
    _grow([associate, associate2], 2)
    conversation = ConversationLog.objects.filter(sales_associate=associate).first()
    client = logged_in(users[who])
    small = query_count(client, url_for(associate, conversation), **extra)
    _grow([associate, associate2], 12)
    big = query_count(client, url_for(associate, conversation), **extra)
    assert big == small
    with django_assert_max_num_queries(pin):
        client.get(url_for(associate, conversation), **extra)


def test_dashboard_selector_is_three_queries(associate, django_assert_num_queries):
    _grow([associate], 3)
    today = timezone.localdate()
    with django_assert_num_queries(3):
        reviews.team_dashboard(period=reviews.Period.default(today), today=today)


def test_followup_sections_are_capped_but_the_counts_are_complete(associate, django_assert_num_queries):
    today = timezone.localdate()
    for n in range(5):
        conversation = talk(associate, outcome="follow_up_scheduled")
        ConversationLog.objects.filter(pk=conversation.pk).update(next_contact_date=today - timedelta(days=n + 1))
    with django_assert_num_queries(3):
        queue = reviews.followup_queue(associate=associate, today=today, limit=3)
    assert [c.next_contact_date for c in queue["overdue"]] == [today - timedelta(days=d) for d in (5, 4, 3)]
    assert queue["today"] == [] and queue["upcoming"] == []


# --- the benchmark command ----------------------------------------------------------------------------------


def test_bench_refuses_a_database_with_real_data(associate):
    with pytest.raises(CommandError, match="not bench data"):
        call_command("bench_dashboard", conversations=10, stdout=io.StringIO())


@pytest.mark.bench
@pytest.mark.reporting_view
def test_bench_seeds_bench_data_tops_it_up_and_times_every_page(db):
    out = io.StringIO()
    call_command("bench_dashboard", conversations=60, associates=3, weeks=10, runs=2, stdout=out)
    text = out.getvalue()
    assert ConversationLog.objects.count() == 60
    assert set(ConversationLog.objects.values_list("sales_associate__username", flat=True)) <= {
        "bench-associate01",
        "bench-associate02",
        "bench-associate03",
    }
    for page in ("/reviews/team/", "/reviews/team.csv", "/reviews/associates/<id>/", "/reviews/mine/"):
        sources = ["view", "live"] if connection.vendor == "postgresql" else ["live"]
        for source in sources:
            assert re.search(rf"GET {re.escape(page)}.* {source} +\d+ +[\d.]+ +[\d.]+", text), (page, source)
    assert "GET /reviews/followups/ (associate)" in text
    if connection.vendor == "postgresql":
        assert "Reporting view refreshed" in text
        # the set-based seeder stored what the wizard would have: completeness and the follow-up state
        assert not ConversationLog.objects.filter(completeness_greeting__isnull=True).exists()
        for conversation in ConversationLog.objects.select_related("project__customer")[:20]:
            facts = selectors.captured_facts(conversation)
            assert conversation.completeness_needs == phases.completeness("needs", facts)
        answered = ConversationLog.objects.filter(superseded=True).first()
        if answered:
            assert ConversationLog.objects.filter(
                project_id=answered.project_id, conversation_date__gt=answered.conversation_date
            ).exists()
    again = io.StringIO()
    call_command("bench_dashboard", conversations=80, associates=3, weeks=10, seed_only=True, stdout=again)
    assert ConversationLog.objects.count() == 80
    assert "Seeded 20 conversations" in again.getvalue()


def test_facts_counted_from_the_loaded_rooms_equal_the_databases_count(associate):
    """The needs, design and close pages count the checklist from the rooms they already loaded; the
    answer is the database's for every case, including the edges each count turns on."""
    cases = _completeness_cases(associate)
    edge = ProjectFactory(sales_associate=associate)
    RoomFactory(project=edge)  # a room without surfaces
    no_pattern = SurfaceFactory(room__project=edge, pattern_type=None)
    SelectionFactory(surface=no_pattern, product__product_type="tile", selection_status="considered")  # not chosen
    ordered_tile = SurfaceFactory(room__project=edge)
    SelectionFactory(surface=ordered_tile, product__product_type="tile", selection_status="ordered")
    SelectionFactory(surface=ordered_tile, product_type="grout", quantity_ordered=0)  # no quantity
    cases.append(talk(associate, project=edge))
    for conversation in cases:
        loaded = selectors.captured_facts(conversation, selectors.project_rooms(conversation.project))
        assert loaded == selectors.captured_facts(conversation), conversation.project
    counted = selectors.captured_facts(cases[-1], selectors.project_rooms(edge))
    assert (counted.rooms, counted.rooms_without_surfaces, counted.surfaces) == (3, 1, 2)
    assert (counted.surfaces_with_area_and_pattern, counted.surfaces_with_selected_tile) == (1, 1)
    assert (counted.selections, counted.selections_with_quantity, counted.setting_kit_decided) == (3, 2, True)
