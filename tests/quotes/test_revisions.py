"""Only a project's newest quote revision can be sent or accepted, and a project holds at most one
accepted quote: in the services, on the pages, in the admin and in the database itself."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse

from quotes import services
from quotes.models import Quote, QuoteStatus
from tests.factories import AssociateFactory, ProjectFactory, QuoteFactory, SelectionFactory, UserFactory

TODAY = date(2026, 11, 25)


@pytest.fixture
def project(db):
    project = ProjectFactory()
    SelectionFactory(surface__room__project=project, quantity_ordered=Decimal("6"), price_per_unit=Decimal("45.88"))
    return project


def _create(project, associate):
    return services.quote_create(project=project, associate=associate, today=TODAY)


def _move(quote, *steps):
    for step in steps:
        services.quote_transition(quote=quote, to=step, today=TODAY)
    quote.refresh_from_db()
    return quote


def _statuses(project):
    return list(
        Quote.objects.filter(project=project).order_by("created_at").values_list("quote_status", "status_reason")
    )


def test_a_new_revision_retires_the_open_older_ones(project, associate):
    first = _create(project, associate)
    sent = _move(_create(project, associate), QuoteStatus.SENT)
    newest = _create(project, associate)
    assert _statuses(project) == [
        ("rejected", f"Superseded by {sent.quote_number}"),
        ("rejected", f"Superseded by {newest.quote_number}"),
        ("draft", None),
    ]
    assert newest.revision_of == sent.quote_number
    assert first.quote_number != sent.quote_number


@pytest.mark.parametrize("to", [QuoteStatus.SENT, QuoteStatus.ACCEPTED])
def test_an_older_revision_can_be_neither_sent_nor_accepted(project, associate, to):
    older = _create(project, associate)
    newer = _create(project, associate)
    # Even an older quote put back to "sent" behind the app's back is refused.
    Quote.objects.filter(pk=older.pk).update(quote_status=QuoteStatus.DRAFT if to == "sent" else QuoteStatus.SENT)
    with pytest.raises(ValidationError, match=f"has a newer revision, {newer.quote_number}: only the newest"):
        services.quote_transition(quote=older, to=to, today=TODAY)
    older.refresh_from_db()
    assert older.quote_status != to


def test_the_reported_case_ends_with_one_accepted_quote(project, associate):
    older = _move(_create(project, associate), QuoteStatus.SENT)
    newer = _create(project, associate)
    with pytest.raises(ValidationError):
        services.quote_transition(quote=older, to=QuoteStatus.ACCEPTED, today=TODAY)
    _move(newer, QuoteStatus.SENT, QuoteStatus.ACCEPTED)
    assert Quote.objects.filter(project=project, quote_status=QuoteStatus.ACCEPTED).get() == newer


def test_accepting_a_revision_of_an_accepted_order_retires_the_old_acceptance(project, associate):
    accepted = _move(_create(project, associate), QuoteStatus.SENT, QuoteStatus.ACCEPTED)
    revision = _create(project, associate)
    accepted.refresh_from_db()
    assert accepted.quote_status == QuoteStatus.ACCEPTED  # still the order until the revision is accepted
    _move(revision, QuoteStatus.SENT, QuoteStatus.ACCEPTED)
    assert _statuses(project) == [("rejected", f"Superseded by {revision.quote_number}"), ("accepted", None)]


def test_both_pages_say_which_quote_superseded_which(associate_client, project, associate):
    older = _create(project, associate)
    newer = _create(project, associate)
    old_page = associate_client.get(reverse("quotes:detail", args=[older.pk])).content.decode()
    assert f"Superseded by {newer.quote_number}" in old_page
    assert "is the newest revision of this project" in old_page
    assert "Mark sent" not in old_page
    new_page = associate_client.get(reverse("quotes:detail", args=[newer.pk])).content.decode()
    assert f"This quote supersedes {older.quote_number} (now rejected)." in new_page
    assert "Mark sent" in new_page
    project_page = associate_client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert f"(Superseded by {newer.quote_number})" in project_page


def test_posting_a_send_for_an_older_revision_is_refused_with_a_message(associate_client, project, associate):
    older = _create(project, associate)
    Quote.objects.filter(pk=older.pk).update(quote_status=QuoteStatus.DRAFT)
    newer = _create(project, associate)
    response = associate_client.post(reverse("quotes:transition", args=[older.pk]), {"to": "sent"}, follow=True)
    assert "only the newest revision can be sent" in response.content.decode()
    assert Quote.objects.get(pk=older.pk).quote_status == QuoteStatus.REJECTED
    assert Quote.objects.get(pk=newer.pk).quote_status == QuoteStatus.DRAFT


def test_the_admin_actions_follow_the_same_rules(client, project, associate):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    older = _move(_create(project, associate), QuoteStatus.SENT)
    newer = _move(_create(project, associate), QuoteStatus.SENT)
    Quote.objects.filter(pk=older.pk).update(quote_status=QuoteStatus.SENT, status_reason=None)
    response = client.post(
        reverse("admin:quotes_quote_changelist"),
        {"action": "mark_accepted", "_selected_action": [older.pk, newer.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 quote(s) marked accepted." in html
    assert f"{older.quote_number}: Quote {older.quote_number} has a newer revision" in html
    assert Quote.objects.filter(project=project, quote_status=QuoteStatus.ACCEPTED).get() == newer


def test_the_database_refuses_a_second_accepted_quote_for_a_project(db):
    project = ProjectFactory()
    QuoteFactory(project=project, quote_status=QuoteStatus.ACCEPTED)
    other = QuoteFactory(project=project, quote_status=QuoteStatus.SENT)
    with (
        pytest.raises(IntegrityError, match=r"quotes_one_accepted_per_project|UNIQUE constraint"),
        transaction.atomic(),
    ):
        Quote.objects.filter(pk=other.pk).update(quote_status=QuoteStatus.ACCEPTED)
    # Rejected and other statuses may repeat; another project may have its own accepted quote.
    Quote.objects.filter(pk=other.pk).update(quote_status=QuoteStatus.REJECTED)
    QuoteFactory(project=project, quote_status=QuoteStatus.REJECTED)
    QuoteFactory(quote_status=QuoteStatus.ACCEPTED)


def test_on_postgresql_a_raw_insert_of_a_second_accepted_quote_is_refused(postgres_only):
    first = QuoteFactory(quote_status=QuoteStatus.ACCEPTED)
    with pytest.raises(IntegrityError, match="quotes_one_accepted_per_project"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO quotes (quote_number, project_id, quote_date, subtotal, total_amount, quote_status)"
            " VALUES ('Q-TEST-2', %s, '2026-11-25', 10, 10, 'accepted')",
            [first.project_id],
        )


def _race(targets):
    """Runs each target in its own thread and connection, all released at once; returns
    (results, errors)."""
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target):
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_two_revisions_cannot_both_win():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL only (SQLite serializes every write)")
    project = ProjectFactory()
    first = QuoteFactory(project=project, quote_status=QuoteStatus.SENT)
    second = QuoteFactory(project=project, quote_status=QuoteStatus.SENT)

    def accept_behind_the_services(quote):
        # Straight to the database, as a second app server with an older rule would: only the
        # index stands between two accepted quotes.
        return lambda: Quote.objects.filter(pk=quote.pk).update(quote_status=QuoteStatus.ACCEPTED)

    results, errors = _race([accept_behind_the_services(first), accept_behind_the_services(second)])
    assert results == [1]
    assert [type(error) for error in errors] == [IntegrityError]
    assert Quote.objects.filter(project=project, quote_status=QuoteStatus.ACCEPTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_revision_and_accept_leave_one_acceptable_quote():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL only (SQLite serializes every write)")
    associate = AssociateFactory()
    project = ProjectFactory(sales_associate=associate)
    SelectionFactory(surface__room__project=project)
    sent = _move(services.quote_create(project=project, associate=associate, today=TODAY), QuoteStatus.SENT)
    accepters = [lambda: services.quote_transition(quote=sent, to=QuoteStatus.ACCEPTED, today=TODAY) for _ in range(4)]
    reviser = [lambda: services.quote_create(project=project, associate=associate, today=TODAY)]
    _, errors = _race(accepters + reviser)
    assert all(isinstance(error, ValidationError) for error in errors), errors
    assert Quote.objects.filter(project=project, quote_status=QuoteStatus.ACCEPTED).count() <= 1
    # Either the accept came first (one accepted, one draft revision) or the revision did (the
    # sent quote retired, every accept refused).
    statuses = sorted(Quote.objects.filter(project=project).values_list("quote_status", flat=True))
    assert statuses in (["accepted", "draft"], ["draft", "rejected"])
