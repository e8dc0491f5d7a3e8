"""An archived project is found and opens read-only: its page reads the archive, nothing on it
links to the wizard or to a new quote, and every write to it is refused with a message and
changes nothing. Its customer is found with an "archived" badge and opens normally."""

import pytest
from django.urls import reverse

from archive import guards, services
from archive.models import ArchivedQuote, ArchivedSelection
from conversations.models import ConversationLog
from customers.models import Customer
from projects.models import Project, ProjectRoom, ProjectStatus
from quotes.models import Quote
from tests.archive.conftest import YEAR, finished_project
from tests.factories import ConversationFactory, CustomerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(db, associate):
    """An archived project with an open conversation (the wizard's writes go through one) and a
    quote; its customer has no other project."""
    customer = CustomerFactory(first_name="Quillon", last_name="Oldhouse")
    project = finished_project(customer=customer, associate=associate, quote=3 * YEAR)
    conversation = ConversationFactory(
        project=project, conversation_date=project.updated_at, closed_at=None, conversation_summary="Open talk"
    )
    services.archive(cutoff=services.cutoff_for("2y"))
    project.refresh_from_db()
    assert project.archived_at
    return project, conversation


def _page(client, project) -> str:
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_archived_project_page_shows_the_archive_read_only(associate_client, archived):
    project, conversation = archived
    html = _page(associate_client, project)
    assert 'data-testid="archived-badge"' in html and 'data-testid="archived-note"' in html
    for name in ("Room 0", "Room 1"):
        assert name in html, "rooms come from the archive"
    assert html.count('data-testid="room"') == 2
    number = ArchivedQuote.objects.get(project_id=project.pk).quote_number
    assert number in html
    assert ArchivedSelection.objects.filter(surface__room__project_id=project.pk).first().product_id in html
    assert "Talked through the herringbone layout" in html and "Call when the tile arrives" in html
    assert "$2,202.24" in html, "the selected total comes from the archive"
    # No way into a write from this page.
    assert reverse("quotes:new", args=[project.pk]) not in html
    assert reverse("conversations:resume", args=[conversation.pk]) not in html
    assert reverse("conversations:summary", args=[conversation.pk]) not in html
    assert reverse("quotes:detail", args=[ArchivedQuote.objects.get(project_id=project.pk).pk]) not in html
    assert "Start follow-up" not in html


def test_a_live_project_page_keeps_its_links(associate_client, associate):
    project = finished_project(associate=associate, updated=YEAR, conversation=YEAR, quote=YEAR)
    ConversationFactory(project=project, closed_at=None)
    html = _page(associate_client, project)
    assert 'data-testid="archived-badge"' not in html
    assert reverse("quotes:new", args=[project.pk]) in html
    assert html.count('data-testid="room"') == 2
    assert "/conversations/" in html


def _refused(client, response, project):
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    page = client.get(response["Location"]).content.decode()
    assert "is archived: it is read-only. Nothing was saved." in page


def _write_requests(project, conversation):
    room = {"room_type": "kitchen", "room_name": "Sneaky kitchen"}
    return {
        "add a room": (reverse("conversations:room_add", args=[conversation.pk]), room),
        "needs phase": (
            reverse("conversations:phase", args=[conversation.pk, "needs"]),
            {"installation_method": "diy", "go": "next"},
        ),
        "greeting phase": (
            reverse("conversations:phase", args=[conversation.pk, "greeting"]),
            {"first_name": "Renamed", "customer_type": "diy_homeowner", "installation_method": "diy"},
        ),
        "close": (
            reverse("conversations:phase", args=[conversation.pk, "close"]),
            {"go": "close", "outcome": "order_placed", "conversation_summary": "x"},
        ),
        "close moment": (reverse("conversations:close_moment", args=[conversation.pk]), {"aos_phase": "negotiation"}),
        "new quote": (reverse("quotes:new", args=[project.pk]), {"tax_rate": "8.25", "delivery_fee": "0"}),
        "follow-up conversation": (
            reverse("conversations:new_for_customer", args=[project.customer_id]),
            {"project": str(project.pk), "interaction_type": "followup", "installation_method": "diy"},
        ),
    }


WRITES = ["add a room", "needs phase", "greeting phase", "close", "close moment", "new quote", "follow-up conversation"]


def _state(project) -> tuple:
    return (
        ProjectRoom.objects.count(),
        Quote.objects.count(),
        list(ConversationLog.objects.order_by("pk").values()),
        list(Project.objects.order_by("pk").values()),
        list(Customer.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize("write", WRITES)
def test_every_write_to_an_archived_project_is_refused_and_changes_nothing(associate_client, archived, write):
    project, conversation = archived
    url, data = _write_requests(project, conversation)[write]
    before = _state(project)
    response = associate_client.post(url, data)
    _refused(associate_client, response, project)
    assert _state(project) == before


def test_an_htmx_write_is_sent_to_the_read_only_page(associate_client, archived):
    project, conversation = archived
    response = associate_client.post(
        reverse("conversations:room_add", args=[conversation.pk]),
        {"room_type": "kitchen"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == reverse("projects:detail", args=[project.pk])
    assert not ProjectRoom.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda p, c: reverse("conversations:phase", args=[c.pk, "needs"]),
        lambda p, c: reverse("quotes:new", args=[p.pk]),
        lambda p, c: reverse("conversations:new_for_customer", args=[p.customer_id]) + f"?project={p.pk}",
    ],
    ids=["wizard page", "new quote page", "follow-up start"],
)
def test_the_wizard_and_quote_pages_of_an_archived_project_are_refused_too(associate_client, archived, url):
    project, conversation = archived
    _refused(associate_client, associate_client.get(url(project, conversation)), project)


def test_resuming_or_reading_an_archived_conversation_opens_the_project_page(associate_client, archived):
    project, conversation = archived
    for name in ("conversations:resume", "conversations:summary"):
        response = associate_client.get(reverse(name, args=[conversation.pk]))
        assert response["Location"] == reverse("projects:detail", args=[project.pk])


def test_a_returning_customer_is_not_offered_the_archived_project(associate_client, archived):
    project, _ = archived
    html = associate_client.get(reverse("conversations:new_for_customer", args=[project.customer_id])).content
    assert str(project.pk) not in html.decode()
    # A new project for the same customer is still fine.
    before = ConversationLog.objects.count()
    response = associate_client.post(
        reverse("conversations:new_for_customer", args=[project.customer_id]),
        {"project": "new", "interaction_type": "followup", "installation_method": "diy"},
    )
    assert response.status_code == 302 and ConversationLog.objects.count() == before + 1


def test_an_unarchived_project_is_writable_again(associate_client, archived):
    project, conversation = archived
    services.unarchive(project.pk)
    response = associate_client.post(
        reverse("conversations:room_add", args=[conversation.pk]), {"room_type": "kitchen", "room_name": "Back"}
    )
    assert response.status_code == 302 and "projects" not in response["Location"]
    assert ProjectRoom.objects.filter(project=project, room_name="Back").exists()


# --- search and the customer's page ---------------------------------------------------------------


def _badges(html: str) -> int:
    return html.count('data-testid="archived-badge"')


@pytest.mark.usefixtures("archived")
def test_search_finds_the_archived_customer_with_a_badge(associate_client):
    live = CustomerFactory(first_name="Quillon", last_name="Newhouse")
    ProjectFactory(customer=live)
    html = associate_client.get(reverse("customers:list"), {"q": "quillon"}).content.decode()
    assert "Oldhouse" in html and "Newhouse" in html
    assert _badges(html) == 1
    assert 'title="Every project of this customer is archived">Archived<' in html
    wizard = associate_client.get(reverse("conversations:customer_search"), {"q": "quillon"}).content.decode()
    assert "Oldhouse" in wizard and _badges(wizard) == 1


def test_a_customer_with_some_projects_archived_gets_the_lighter_badge(associate_client, archived):
    project, _ = archived
    ProjectFactory(customer=project.customer, project_status=ProjectStatus.INQUIRY)
    html = associate_client.get(reverse("customers:list"), {"q": "oldhouse"}).content.decode()
    assert "Archived projects" in html and ">Archived<" not in html


def test_the_customer_page_opens_with_the_archived_project_marked(associate_client, archived):
    project, conversation = archived
    response = associate_client.get(reverse("customers:detail", args=[project.customer_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert _badges(html) >= 1
    (row,) = [p for p in response.context["projects"].object_list if p.pk == project.pk]
    assert (row.distinct_rooms, row.total_sf) == (2, 320), "rooms and area from the archive"
    assert "Talked through the herringbone layout" in html, "the notes from the archive"
    assert f"?project={project.pk}" not in html, "no follow-up on an archived project"
    assert reverse("conversations:resume", args=[conversation.pk]) not in html


def test_the_archived_page_needs_a_login_and_the_permission(client, archived, catalog_staff):
    project, _ = archived
    url = reverse("projects:detail", args=[project.pk])
    assert client.get(url).status_code == 302
    client.force_login(catalog_staff)
    assert client.get(url).status_code == 403


def test_the_message_names_the_project():
    assert "“Deck” is archived" in guards.MESSAGE.format(project="Deck")


# --- a manager brings a project back from its page ---------------------------------------------------


def test_a_manager_brings_the_project_back_from_its_page(manager_client, archived):
    project, _ = archived
    html = _page(manager_client, project)
    url = reverse("archive:unarchive", args=[project.pk])
    assert 'data-testid="unarchive"' in html and url in html
    response = manager_client.post(url)
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    project.refresh_from_db()
    assert project.archived_at is None
    assert ProjectRoom.objects.filter(project=project).count() == 2
    page = manager_client.get(response["Location"]).content.decode()
    assert "is back from the archive: 2 rooms, 1 quotes" in page
    assert 'data-testid="archived-badge"' not in page
    again = manager_client.post(url)
    assert "is not archived" in manager_client.get(again["Location"]).content.decode()


def test_an_associate_may_not_unarchive_and_sees_no_button(associate_client, archived):
    project, _ = archived
    assert 'data-testid="unarchive"' not in _page(associate_client, project)
    assert associate_client.post(reverse("archive:unarchive", args=[project.pk])).status_code == 403
    project.refresh_from_db()
    assert project.archived_at is not None and not ProjectRoom.objects.filter(project=project).exists()


def test_unarchiving_is_a_post(manager_client, archived):
    project, _ = archived
    assert manager_client.get(reverse("archive:unarchive", args=[project.pk])).status_code == 405
    project.refresh_from_db()
    assert project.archived_at is not None
