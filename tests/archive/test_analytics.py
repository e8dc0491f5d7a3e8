"""Archiving keeps the analytics whole: every figure of the score review for the archived period
(the team page, its CSV, each associate's page, the follow-up counts, and on PostgreSQL the
materialized view's rows) is the same before and after."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive import services
from conversations import reporting, reviews
from conversations.models import ConversationLog, Outcome
from projects.models import Project, ProjectStatus
from tests.archive.conftest import YEAR, finished_project
from tests.factories import AssociateFactory, ConversationFactory, ManagerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = reviews.Period(TODAY - 3 * YEAR - dt.timedelta(days=40), TODAY - 3 * YEAR + dt.timedelta(days=40))


@pytest.fixture
def history(db):
    """Two associates' old finished projects, scored and unscored, won and lost, one with a
    follow-up never answered; and a recent project that stays live."""
    associates = [AssociateFactory(username=f"old-hand-{n}") for n in range(2)]
    outcomes = [Outcome.ORDER_PLACED, Outcome.LOST, Outcome.FOLLOW_UP_SCHEDULED, Outcome.QUOTE_REQUESTED]
    for n in range(8):
        associate = associates[n % 2]
        project = finished_project(
            associate=associate,
            status=ProjectStatus.CANCELLED if n % 3 == 0 else ProjectStatus.COMPLETED,
            conversation=None,
            rooms=1,
            surfaces=1,
            selections=1,
            quote=3 * YEAR - dt.timedelta(days=n),
        )
        for k in range(2):
            when = timezone.now() - 3 * YEAR + dt.timedelta(days=n * 3 + k * 7 - 20)
            ConversationFactory(
                project=project,
                sales_associate=associate,
                conversation_date=when,
                closed_at=when + dt.timedelta(hours=1),
                outcome=outcomes[(n + k) % 4],
                aos_score_overall=(n + k) % 4 + 1 if (n + k) % 5 else None,
                aos_score_needs=(n * k) % 4 + 1,
                completeness_design=Decimal("0.50") if k else None,
                conversation_summary=f"Old talk {n}-{k}",
                next_action="Call back" if k else None,
                next_contact_date=(when + dt.timedelta(days=10)).date() if k else None,
            )
        Project.objects.filter(pk=project.pk).update(updated_at=timezone.now() - 3 * YEAR)
    finished_project(associate=associates[0], updated=dt.timedelta(days=3), conversation=dt.timedelta(days=3))
    return associates


def _figures(associates, client) -> dict:
    dashboard = reviews.team_dashboard(period=PERIOD, today=TODAY)
    rows = [(row.associate.pk, row.current, row.previous, row.overdue, row.due_today) for row in dashboard.rows]
    csv = client.get(reverse("reviews:team_csv"), {"start": PERIOD.start, "end": PERIOD.end})
    assert csv.status_code == 200
    page = client.get(reverse("reviews:team"), {"start": PERIOD.start, "end": PERIOD.end})
    return {
        "rows": rows,
        "trend": dashboard.trend,
        "distribution": dashboard.distribution,
        "close_by_score": dashboard.close_by_score,
        "csv": csv.content.decode(),
        "team_page_rows": [(r.associate.pk, r.current, r.previous) for r in page.context["dashboard"].rows],
        "associates": [reviews.associate_summary(associate=a, period=PERIOD, today=TODAY)[:2] for a in associates],
        "followups": reviews.followups_per_associate(today=TODAY),
        "followup_counts": ConversationLog.objects.followup_counts(today=TODAY),
    }


def test_every_score_review_figure_is_the_same_after_archiving(history):
    client = Client()
    client.force_login(ManagerFactory(username="reviewing-manager"))
    before = _figures(history, client)
    assert sum(row[1].conversations for row in before["rows"]) == 16, "the period holds the old conversations"
    assert before["followup_counts"]["overdue"] > 0
    moved = services.archive(cutoff=services.cutoff_for("2y"))
    assert moved.projects == 8 and moved.notes == 16 and moved.quotes == 8
    assert not ConversationLog.objects.filter(conversation_summary__startswith="Old talk").exists()
    assert _figures(history, client) == before


@pytest.mark.postgres
@pytest.mark.reporting_view
def test_the_materialized_views_rows_are_the_same_after_archiving(postgres_only, history):
    from django.db import connection

    def view_rows():
        reporting.refresh()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {reporting.VIEW} ORDER BY day, sales_associate_id")
            return cursor.fetchall()

    before_rows = view_rows()
    before = reviews.team_dashboard(period=PERIOD, today=TODAY)
    assert before.refreshed is not None and before_rows
    services.archive(cutoff=services.cutoff_for("2y"))
    assert view_rows() == before_rows
    after = reviews.team_dashboard(period=PERIOD, today=TODAY)
    assert [(r.associate.pk, r.current, r.previous) for r in after.rows] == [
        (r.associate.pk, r.current, r.previous) for r in before.rows
    ]
