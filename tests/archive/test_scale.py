"""Issue 12's proof at size: a generated history of 5,000 projects archived in batches of 1,000,
killed in the middle and re-run. Nothing is lost or doubled (live + archive = before, per table),
every score review figure is unchanged, and unarchived projects come back column for column."""

import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive import services
from archive.models import TWIN_OF
from conversations import reviews
from conversations.models import ConversationLog, Outcome
from customers.models import Customer
from projects.models import Project, ProjectRoom, ProjectStatus, SelectedProduct, Surface
from quotes.models import Quote
from tests.factories import AssociateFactory, ManagerFactory, ProductFactory

pytestmark = pytest.mark.django_db

PROJECTS = 5000
NOW = timezone.now()
OLD = NOW - dt.timedelta(days=3 * 365)
PERIOD = reviews.Period(
    timezone.localdate(OLD) - dt.timedelta(days=60), timezone.localdate(OLD) + dt.timedelta(days=60)
)
STATUSES = [ProjectStatus.COMPLETED] * 5 + [ProjectStatus.CANCELLED] * 2 + [ProjectStatus.ORDERED, ProjectStatus.QUOTED]
OUTCOMES = list(Outcome.values)


def _history():
    """PROJECTS projects, each with a room, a surface, a selection, a conversation and a quote; 1 in
    10 recent. Set-based (bulk_create), a few seconds on either database."""
    associates = [AssociateFactory(username=f"history-{n}") for n in range(3)]
    product = ProductFactory()
    customers = Customer.objects.bulk_create(
        Customer(first_name=f"Histor{n}", last_name="Example", customer_type="diy_homeowner") for n in range(500)
    )
    projects, rooms, surfaces, selections, conversations, quotes = [], [], [], [], [], []
    for n in range(PROJECTS):
        associate = associates[n % 3]
        project = Project(
            customer=customers[n % 500],
            project_name=f"History project {n}",
            project_status=STATUSES[n % len(STATUSES)],
            installation_method="contractor",
            sales_associate=associate,
            notes=f"Notes of project {n}",
        )
        projects.append(project)
        room = ProjectRoom(project=project, room_type="kitchen", room_name=f"Kitchen {n}", room_notes="Old")
        surface = Surface(room=room, surface_type="floor", surface_area_sf=Decimal("100.00") + n % 7)
        rooms.append(room)
        surfaces.append(surface)
        selections.append(
            SelectedProduct(
                surface=surface,
                product=product,
                product_type="tile",
                unit_of_measure="box",
                quantity_ordered=Decimal("7.00"),
                price_per_unit=Decimal("45.88"),
                total_price=Decimal("321.16"),
                selection_status="selected",
            )
        )
        when = (NOW if n % 10 == 9 else OLD) - dt.timedelta(hours=n % 1000)
        conversations.append(
            ConversationLog(
                project=project,
                sales_associate=associate,
                conversation_date=when,
                closed_at=when + dt.timedelta(hours=1),
                interaction_type="initial_inquiry",
                outcome=OUTCOMES[n % len(OUTCOMES)],
                aos_score_overall=n % 4 + 1 if n % 6 else None,
                aos_score_needs=(n // 3) % 4 + 1,
                completeness_close=Decimal("0.50") if n % 2 else None,
                conversation_summary=f"Summary {n}",
                next_action="Call back" if n % 3 else None,
                next_contact_date=timezone.localdate(when) + dt.timedelta(days=14) if n % 3 else None,
            )
        )
        quotes.append(
            Quote(
                project=project,
                quote_number=f"Q-2023-{n + 1:06d}",
                quote_date=timezone.localdate(when),
                subtotal=Decimal("321.16"),
                total_amount=Decimal("321.16"),
                sales_associate=associate,
                lines=[{"sku": product.sku, "line_total": "321.16"}],
            )
        )
    for model, rows in (
        (Project, projects),
        (ProjectRoom, rooms),
        (Surface, surfaces),
        (SelectedProduct, selections),
        (ConversationLog, conversations),
        (Quote, quotes),
    ):
        model.objects.bulk_create(rows, batch_size=500)
    recent = [p.pk for p in projects[9::10]]
    Project.objects.exclude(pk__in=recent).update(updated_at=OLD)
    Quote.objects.exclude(project_id__in=recent).update(updated_at=OLD)
    return associates


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in (ProjectRoom, Surface, SelectedProduct, Quote)}


def _archived_counts() -> dict:
    return {model.__name__: TWIN_OF[model].objects.count() for model in (ProjectRoom, Surface, SelectedProduct, Quote)}


def _figures(associates, client) -> dict:
    today = timezone.localdate()
    dashboard = reviews.team_dashboard(period=PERIOD, today=today)
    csv = client.get(reverse("reviews:team_csv"), {"start": PERIOD.start, "end": PERIOD.end}).content.decode()
    return {
        "team": [(r.associate.pk, r.current, r.previous, r.overdue, r.due_today) for r in dashboard.rows],
        "trend": dashboard.trend,
        "distribution": dashboard.distribution,
        "close_by_score": dashboard.close_by_score,
        "csv": csv,
        "associates": [reviews.associate_summary(associate=a, period=PERIOD, today=today)[:2] for a in associates],
        "followups": ConversationLog.objects.followup_counts(today=today),
    }


def _rows(project_id) -> dict:
    return {
        "project": list(Project.objects.filter(pk=project_id).values()),
        "room": list(ProjectRoom.objects.filter(project_id=project_id).values()),
        "surface": list(Surface.objects.filter(room__project_id=project_id).values()),
        "selection": list(SelectedProduct.objects.filter(surface__room__project_id=project_id).values()),
        "quote": list(Quote.objects.filter(project_id=project_id).values()),
        "conversation": list(ConversationLog.objects.filter(project_id=project_id).values()),
    }


def test_five_thousand_projects_archived_killed_rerun_and_brought_back(monkeypatch):
    associates = _history()
    client = Client()
    client.force_login(ManagerFactory(username="history-manager"))
    before_counts = _counts()
    conversations_before = list(ConversationLog.objects.order_by("pk").values_list("pk", "aos_score_overall"))
    figures = _figures(associates, client)
    assert sum(row[1].conversations for row in figures["team"]) > 4000
    expected = services.candidates(services.cutoff_for("2y")).count()
    assert expected == sum(
        1 for n in range(PROJECTS) if n % 10 != 9 and STATUSES[n % len(STATUSES)] in services.FINISHED
    )
    samples = list(services.candidates(services.cutoff_for("2y")).values_list("pk", flat=True)[:: expected // 3][:3])
    sample_rows = {pk: _rows(pk) for pk in samples}

    real, calls = services.archive_batch, itertools.count(1)

    def killed_in_the_third_batch(ids):
        moved = real(ids)
        if next(calls) == 3:
            raise KeyboardInterrupt
        return moved

    monkeypatch.setattr(services, "archive_batch", killed_in_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        call_command("archive", "--older-than", "2y", stdout=io.StringIO())
    assert Project.objects.filter(archived_at__isnull=False).count() == 2000
    partial = {name: _counts()[name] + _archived_counts()[name] for name in before_counts}
    assert partial == before_counts, "live + archive = before, even mid-run"

    monkeypatch.setattr(services, "archive_batch", real)
    out = io.StringIO()
    call_command("archive", "--older-than", "2y", stdout=out)
    assert f"Total: moved {expected - 2000} projects" in out.getvalue()
    assert Project.objects.filter(archived_at__isnull=False).count() == expected
    live, archived = _counts(), _archived_counts()
    assert {name: live[name] + archived[name] for name in before_counts} == before_counts
    assert archived["ProjectRoom"] == expected
    assert TWIN_OF[ConversationLog].objects.count() == expected
    assert list(ConversationLog.objects.order_by("pk").values_list("pk", "aos_score_overall")) == conversations_before
    assert _figures(associates, client) == figures

    for pk in samples:
        services.unarchive(pk)
        assert _rows(pk) == sample_rows[pk]
