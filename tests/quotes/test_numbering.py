"""Many associates creating quotes at the same moment get distinct, gap-free numbers."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection

from quotes import services
from quotes.models import Quote
from tests.factories import AssociateFactory, ProjectFactory, SelectionFactory

CREATORS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_get_unique_numbers_without_errors():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL only (SQLite serializes every write)")
    associate = AssociateFactory()
    projects = []
    for _ in range(CREATORS):
        project = ProjectFactory(sales_associate=associate)
        SelectionFactory(surface__room__project=project)
        projects.append(project)
    barrier = threading.Barrier(CREATORS)
    errors, numbers = [], []

    def create(project):
        try:
            barrier.wait()
            quote = services.quote_create(project=project, associate=associate, today=date(2026, 11, 25))
            numbers.append(quote.quote_number)
        except Exception as error:  # collected and asserted below
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=create, args=(project,)) for project in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"Q-2026-{n:06d}" for n in range(1, CREATORS + 1)]
    assert Quote.objects.count() == CREATORS
