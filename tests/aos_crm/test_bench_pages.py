"""`manage.py bench_pages` at a tiny size: seeds, serves the app under gunicorn, measures every page
against the floor and runs the mixed load, with no request failing. The real runs (100k
conversations) are commands, recorded in docs/performance.md."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conversations.models import ConversationLog
from projects.models import ProjectRoom, SelectedProduct, Surface

PAGES = (
    "home /",
    "greeting page",
    "needs page (2 rooms, 5 surfaces)",
    "design page",
    "close page",
    "needs page (6 rooms, 15 surfaces)",
    "design page (6 rooms, 15 surfaces)",
    "product search partial",
    "customer search partial",
    "open conversations /conversations/",
    "customers /customers/?q=<phone>",
    "add room (htmx post)",
    "add surface (htmx post)",
    "add selection (htmx post)",
    "close (htmx post)",
    "quote PDF, repeat download",
)
NUMBER = r"\d+\.\d"
TIMES = rf"{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}"  # p50, p95, min, max


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_bench_pages_measures_every_page_and_the_load_without_a_failure():
    if connection.vendor != "postgresql":
        pytest.skip("bench_pages runs on PostgreSQL only")
    out = io.StringIO()
    call_command(
        "bench_pages",
        conversations=200,
        associates=3,
        runs=2,
        warmup=1,
        load_seconds=2,
        users=2,
        pdf_downloads=5,
        stdout=out,
    )
    text = out.getvalue()
    assert re.search(rf"floor \(one query, /bench/floor/\) +{TIMES} +1\.0x", text)
    for page in PAGES:
        row = rf"{re.escape(page)} +{TIMES} +{NUMBER}x +{NUMBER}  \w+ <= [35]x: (pass|MISS)"
        assert re.search(row, text), page
    for slug in ("needs", "design"):  # what one more surface costs, from the two projects' pages
        assert re.search(rf"  {slug} page +-?\d+\.\d\d ms +-?\d+\.\d\d KB  <= 2 ms and 3 KB: (pass|MISS)", text), text
    load = re.search(
        rf"Mixed wizard load: 2 associates for {NUMBER} s: (\d+) requests, {NUMBER} req/s, .* errors 0 ", text
    )
    assert load and int(load.group(1)) > 0, text
    assert "Failed requests: 0 of the pages', 0 of the load's." in text
    assert "Load average (1 min): " in text
    memory = re.search(
        r"Worker memory \(MB\): fresh [\d, ]+; before 5 repeat PDF downloads [\d, ]+; "
        r"after [\d, ]+ \(0 downloads failed",
        text,
    )
    assert memory, text
    # The measured writes were undone: the big projects kept their two rooms, five surfaces, ten lines.
    showcases = ConversationLog.objects.filter(project__project_name="Bench showcase")
    assert showcases.count() == 3  # the measured session's and one per simulated associate
    for conversation in showcases:
        rooms = ProjectRoom.objects.filter(project_id=conversation.project_id)
        assert rooms.count() == 2
        assert Surface.objects.filter(room__in=rooms).count() == 5
        assert SelectedProduct.objects.filter(surface__room__in=rooms).count() == 10
    growth = ConversationLog.objects.get(project__project_name="Bench growth")
    rooms = ProjectRoom.objects.filter(project_id=growth.project_id)
    assert (rooms.count(), Surface.objects.filter(room__in=rooms).count()) == (6, 15)
    # Every close post closed a fresh conversation of its own.
    closing = ConversationLog.objects.filter(project__project_name="Bench close")
    assert closing.count() == 3 and not closing.filter(closed_at__isnull=True).exists()


def test_bench_pages_refuses_sqlite(db):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is of SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_pages", conversations=10, stdout=io.StringIO())


@pytest.mark.django_db
def test_bench_pages_refuses_a_database_with_real_data(associate):
    if connection.vendor != "postgresql":
        pytest.skip("bench_pages runs on PostgreSQL only")
    with pytest.raises(CommandError, match="not bench data"):
        call_command("bench_pages", conversations=10, stdout=io.StringIO())
