"""manage.py archive / unarchive: which projects are picked, what moves, in what batches, and
that nothing is lost or counted twice (issue 12, archival)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from archive import services
from archive.models import ArchivedConversation, ArchivedQuote, ArchivedRoom, ArchivedSelection, ArchivedSurface
from conversations.models import ConversationLog
from projects.models import Project, ProjectRoom, ProjectStatus, SelectedProduct, Surface
from quotes.models import Quote
from tests.archive.conftest import YEAR, ago
from tests.factories import ConversationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

MONTH = dt.timedelta(days=30)
TWO_YEARS = services.cutoff_for("2y")


# --- the cut-off ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("2y", dt.datetime(2024, 3, 15, 12, 0, tzinfo=dt.UTC)),
        ("18m", dt.datetime(2024, 9, 15, 12, 0, tzinfo=dt.UTC)),
        ("1m", dt.datetime(2026, 2, 15, 12, 0, tzinfo=dt.UTC)),
        ("730d", dt.datetime(2024, 3, 15, 12, 0, tzinfo=dt.UTC)),
        ("1d", dt.datetime(2026, 3, 14, 12, 0, tzinfo=dt.UTC)),
        (" 3M ", dt.datetime(2025, 12, 15, 12, 0, tzinfo=dt.UTC)),
    ],
)
def test_the_age_reads_years_months_and_days(age, expected):
    assert services.cutoff_for(age, now=dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)) == expected


def test_a_month_back_from_the_31st_lands_on_the_months_last_day():
    now = dt.datetime(2026, 3, 31, 8, 0, tzinfo=dt.UTC)
    assert services.cutoff_for("1m", now=now) == dt.datetime(2026, 2, 28, 8, 0, tzinfo=dt.UTC)
    leap = dt.datetime(2028, 2, 29, 8, 0, tzinfo=dt.UTC)
    assert services.cutoff_for("1y", now=leap) == dt.datetime(2027, 2, 28, 8, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("age", ["", "2", "two years", "2w", "-2y", "2y3m", "3000y"])
def test_an_unreadable_age_is_refused(age):
    with pytest.raises(services.ArchiveError):
        services.cutoff_for(age)


def test_the_command_says_why_it_refuses_an_age():
    with pytest.raises(CommandError, match="Cannot read the age 'two years'"):
        call_command("archive", older_than="two years", stdout=io.StringIO())


# --- which projects are picked ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "kwargs", "picked"),
    [
        ("completed, quiet for 3 years", {}, True),
        ("cancelled, quiet for 3 years", {"status": ProjectStatus.CANCELLED}, True),
        ("inquiry", {"status": ProjectStatus.INQUIRY}, False),
        ("quoted", {"status": ProjectStatus.QUOTED}, False),
        ("ordered", {"status": ProjectStatus.ORDERED}, False),
        ("in progress", {"status": ProjectStatus.IN_PROGRESS}, False),
        ("project row updated a year ago", {"updated": YEAR}, False),
        ("updated a day after the cut-off", {"updated": 2 * YEAR - dt.timedelta(days=3)}, False),
        ("updated a day before the cut-off", {"updated": 2 * YEAR + dt.timedelta(days=3)}, True),
        ("a conversation a year ago", {"conversation": YEAR}, False),
        ("an old conversation closed a year ago", {"closed": YEAR}, False),
        ("no conversation at all", {"conversation": None}, True),
        ("a quote dated a year ago", {"quote": YEAR, "quote_updated": 3 * YEAR}, False),
        ("an old quote changed a year ago", {"quote": 3 * YEAR, "quote_updated": YEAR}, False),
        ("an old quote, untouched", {"quote": 3 * YEAR}, True),
    ],
)
def test_which_projects_are_picked(make_finished, case, kwargs, picked):
    project = make_finished(**kwargs)
    ProjectFactory(project_status=ProjectStatus.COMPLETED)  # a fresh one is never picked
    assert (project.pk in set(services.candidates(TWO_YEARS).values_list("pk", flat=True))) is picked, case
    call_command("archive", older_than="2y", stdout=io.StringIO())
    project.refresh_from_db()
    assert (project.archived_at is not None) is picked, case
    assert ProjectRoom.objects.filter(project=project).exists() is not picked
    assert Project.objects.filter(archived_at__isnull=False).count() == int(picked)


# --- what moves ---------------------------------------------------------------------------------------


def _live_counts(project) -> dict:
    return {
        "rooms": ProjectRoom.objects.filter(project=project).count(),
        "surfaces": Surface.objects.filter(room__project=project).count(),
        "selections": SelectedProduct.objects.filter(surface__room__project=project).count(),
        "quotes": Quote.objects.filter(project=project).count(),
        "notes": ConversationLog.objects.filter(project=project, conversation_summary__isnull=False).count(),
    }


def _archived_counts(project) -> dict:
    return {
        "rooms": ArchivedRoom.objects.filter(project_id=project.pk).count(),
        "surfaces": ArchivedSurface.objects.filter(room__project_id=project.pk).count(),
        "selections": ArchivedSelection.objects.filter(surface__room__project_id=project.pk).count(),
        "quotes": ArchivedQuote.objects.filter(project_id=project.pk).count(),
        "notes": ArchivedConversation.objects.filter(project_id=project.pk).count(),
    }


def test_archiving_moves_the_detail_rows_and_the_notes_and_keeps_the_conversation(make_finished):
    project = make_finished(quote=3 * YEAR)
    before = _live_counts(project)
    assert before == {"rooms": 2, "surfaces": 4, "selections": 8, "quotes": 1, "notes": 1}
    conversation = ConversationLog.objects.get(project=project)
    moved = services.archive(cutoff=TWO_YEARS)
    assert moved == services.Moved(projects=1, rooms=2, surfaces=4, selections=8, quotes=1, notes=1)
    assert _live_counts(project) == dict.fromkeys(before, 0)
    assert _archived_counts(project) == before
    live = ConversationLog.objects.get(pk=conversation.pk)
    assert live.conversation_summary is None and live.next_action is None
    kept = ("conversation_date", "closed_at", "outcome", "aos_score_overall", "aos_score_greeting")
    kept += ("sales_associate_id", "next_contact_date", "completeness_needs", "project_id", "superseded")
    assert {name: getattr(live, name) for name in kept} == {name: getattr(conversation, name) for name in kept}
    copy = ArchivedConversation.objects.get(log_id=conversation.pk)
    assert copy.conversation_summary == conversation.conversation_summary
    assert copy.next_action == conversation.next_action
    project.refresh_from_db()
    assert project.archived_at is not None and project.project_name and project.notes  # the row stays whole


def test_a_conversation_without_notes_is_not_copied(make_finished):
    project = make_finished()
    ConversationFactory(project=project, conversation_date=ago(3 * YEAR), conversation_summary=None, next_action=None)
    moved = services.archive(cutoff=TWO_YEARS)
    assert moved.notes == 1
    assert ArchivedConversation.objects.filter(project_id=project.pk).count() == 1


def test_other_projects_of_the_customer_are_untouched(make_finished):
    old = make_finished()
    recent = make_finished(customer=old.customer, updated=MONTH, conversation=MONTH)
    before = _live_counts(recent)
    services.archive(cutoff=TWO_YEARS)
    assert _live_counts(recent) == before
    assert _archived_counts(recent) == dict.fromkeys(before, 0)


# --- dry run, counts, batches, interruption, idempotence ---------------------------------------------


def _run(*args) -> str:
    out = io.StringIO()
    call_command("archive", *args, stdout=out)
    return out.getvalue()


def _everything() -> dict:
    return {
        model.__name__: sorted(map(repr, model.objects.order_by().values_list()))
        for model in (Project, ProjectRoom, Surface, SelectedProduct, Quote, ConversationLog)
    }


def test_a_dry_run_prints_the_counts_and_changes_nothing(make_finished):
    for _ in range(3):
        make_finished(quote=3 * YEAR, rooms=1)
    before = _everything()
    output = _run("--older-than", "2y", "--dry-run", "--batch-size", "2")
    assert "batch 1: would move 2 projects, 2 rooms, 4 surfaces, 8 selections, 2 quotes, 2 conversation notes" in output
    assert "batch 2: would move 1 projects, 1 rooms, 2 surfaces, 4 selections, 1 quotes, 1 conversation notes" in output
    assert "nothing changed" in output
    assert "Total: would move 3 projects, 3 rooms, 6 surfaces, 12 selections, 3 quotes, 3 conversation notes" in output
    assert _everything() == before
    assert ArchivedRoom.objects.count() == ArchivedConversation.objects.count() == 0


def test_the_command_prints_what_each_batch_moved_and_the_total(make_finished):
    for rooms in (1, 2, 3):
        make_finished(rooms=rooms, surfaces=1, selections=1)
    output = _run("--older-than", "2y", "--batch-size", "2")
    batches = re.findall(r"batch (\d+): moved (\d+) projects, (\d+) rooms", output)
    assert [b[0] for b in batches] == ["1", "2"]
    assert sum(int(b[1]) for b in batches) == 3
    assert sum(int(b[2]) for b in batches) == 6
    assert "Total: moved 3 projects, 6 rooms, 6 surfaces, 6 selections, 0 quotes, 3 conversation notes" in output


def test_batches_are_one_transaction_each(make_finished, monkeypatch):
    for _ in range(5):
        make_finished(rooms=1, surfaces=1, selections=1)
    seen = []
    real = services.archive_batch

    def spy(ids):
        seen.append((len(ids), connection.in_atomic_block, len(connection.savepoint_ids)))
        return real(ids)

    monkeypatch.setattr(services, "archive_batch", spy)
    moved = services.archive(cutoff=TWO_YEARS, batch_size=2)
    assert [size for size, _, _ in seen] == [2, 2, 1]
    assert all(atomic for _, atomic, _ in seen)
    # Inside the test's own transaction each batch's atomic block is a savepoint of its own.
    assert {depth for _, _, depth in seen} == {seen[0][2]} and seen[0][2] >= 1
    assert moved.projects == 5


def test_an_interrupted_run_leaves_whole_batches_and_a_rerun_finishes_exactly_once(make_finished, monkeypatch):
    projects = [make_finished(quote=3 * YEAR, rooms=1) for _ in range(5)]
    before = {p.pk: (_live_counts(p)) for p in projects}
    real = services.archive_batch
    calls = []

    def dies_in_the_second_batch(ids):
        calls.append(ids)
        moved = real(ids)
        if len(calls) == 2:
            raise RuntimeError("killed mid-batch")
        return moved

    monkeypatch.setattr(services, "archive_batch", dies_in_the_second_batch)
    with pytest.raises(RuntimeError):
        services.archive(cutoff=TWO_YEARS, batch_size=2)
    first, second = calls
    for project in projects:
        project.refresh_from_db()
        done = project.pk in first
        assert (project.archived_at is not None) is done
        # No half-moved project: all of it live, or all of it archived.
        expected_live = dict.fromkeys(before[project.pk], 0) if done else before[project.pk]
        assert _live_counts(project) == expected_live
        assert _archived_counts(project) == (before[project.pk] if done else dict.fromkeys(before[project.pk], 0))
    assert not set(second) & set(first)

    monkeypatch.setattr(services, "archive_batch", real)
    output = _run("--older-than", "2y", "--batch-size", "2")
    assert "Total: moved 3 projects" in output
    for project in projects:
        assert _archived_counts(project) == before[project.pk]
        assert _live_counts(project) == dict.fromkeys(before[project.pk], 0)
    assert ArchivedRoom.objects.count() == 5 and ArchivedConversation.objects.count() == 5


def test_a_rerun_moves_nothing_new(make_finished):
    make_finished(quote=3 * YEAR)
    _run("--older-than", "2y")
    archived = {m.__name__: m.objects.count() for m in (ArchivedRoom, ArchivedSelection, ArchivedQuote)}
    stamps = list(Project.objects.values_list("archived_at", flat=True))
    output = _run("--older-than", "2y")
    assert "Total: moved 0 projects, 0 rooms, 0 surfaces, 0 selections, 0 quotes, 0 conversation notes" in output
    assert {m.__name__: m.objects.count() for m in (ArchivedRoom, ArchivedSelection, ArchivedQuote)} == archived
    assert list(Project.objects.values_list("archived_at", flat=True)) == stamps


@pytest.mark.parametrize("size", ["0", "1001"])
def test_a_batch_is_one_to_a_thousand_projects(size):
    with pytest.raises(CommandError, match="from 1 to 1000"):
        _run("--older-than", "2y", "--batch-size", size)


# --- unarchive -----------------------------------------------------------------------------------------


def _rows_of(project) -> dict:
    """Every column of every row of the project, live."""
    return {
        "project": list(Project.objects.filter(pk=project.pk).values()),
        "rooms": list(ProjectRoom.objects.filter(project=project).order_by("pk").values()),
        "surfaces": list(Surface.objects.filter(room__project=project).order_by("pk").values()),
        "selections": list(SelectedProduct.objects.filter(surface__room__project=project).order_by("pk").values()),
        "quotes": list(Quote.objects.filter(project=project).order_by("pk").values()),
        "conversations": list(ConversationLog.objects.filter(project=project).order_by("pk").values()),
    }


def test_unarchive_brings_every_column_of_every_row_back(make_finished):
    project = make_finished(quote=3 * YEAR)
    ConversationFactory(project=project, conversation_date=ago(3 * YEAR), conversation_summary="", next_action=None)
    other = make_finished(quote=3 * YEAR)
    before = _rows_of(project)
    services.archive(cutoff=TWO_YEARS)
    assert _rows_of(project) != before
    out = io.StringIO()
    call_command("unarchive", str(project.pk), stdout=out)
    assert "1 projects, 2 rooms, 4 surfaces, 8 selections, 1 quotes, 2 conversation notes" in out.getvalue()
    assert _rows_of(project) == before
    assert _archived_counts(project) == dict.fromkeys(_archived_counts(project), 0)
    other.refresh_from_db()
    assert other.archived_at is not None and _archived_counts(other)["rooms"] == 2


def test_an_unarchived_project_can_be_archived_and_brought_back_again(make_finished):
    project = make_finished(quote=3 * YEAR)
    before = _rows_of(project)
    for _ in range(2):
        assert services.archive(cutoff=TWO_YEARS).projects == 1
        services.unarchive(project.pk)
    assert _rows_of(project) == before


def test_unarchive_refuses_a_live_project_an_unknown_one_and_a_malformed_id(make_finished):
    project = make_finished()
    with pytest.raises(CommandError, match="is not archived"):
        call_command("unarchive", str(project.pk), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No project"):
        call_command("unarchive", "00000000-0000-0000-0000-000000000000", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a project id"):
        call_command("unarchive", "not-a-uuid", stdout=io.StringIO())


def test_the_project_page_total_after_archive_matches_before(make_finished):
    project = make_finished(rooms=1, surfaces=2, selections=3)
    live = Project.objects.with_selected_total().get(pk=project.pk)
    services.archive(cutoff=TWO_YEARS)
    from archive import selectors

    archived = selectors.selected_total(project)
    assert archived["project_total"] == live.project_total and live.project_total
    assert archived["surface_count"] == live.surface_count == 2


def test_last_activity_is_in_the_store_time_zone_for_quote_dates(make_finished, settings):
    # A quote dated the cut-off's own local day counts as activity on that day (not picked).
    project = make_finished()
    from tests.factories import QuoteFactory

    QuoteFactory(project=project, quote_date=timezone.localdate(TWO_YEARS))
    Quote.objects.filter(project=project).update(updated_at=ago(3 * YEAR))
    assert not services.candidates(TWO_YEARS).filter(pk=project.pk).exists()
