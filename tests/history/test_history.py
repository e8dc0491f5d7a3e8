"""The change history: every write of a tracked row is recorded by a PostgreSQL trigger with who
made it (the request's user, or a `history_context`), when, and each changed column's old and new
value, whether the write came from a service behind a view, the admin or a bulk `update()`. The
History panel shows it to managers only; nobody can edit it."""

import html as htmllib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from catalog.models import ProductCatalog
from customers.models import Customer
from history.context import history_context, untracked
from history.models import Change
from history.selectors import PANEL_SIZE
from tests.catalog.helpers import change_form_data
from tests.factories import (
    ConversationFactory,
    CustomerFactory,
    ProductFactory,
    QuoteFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
HX = {"HTTP_HX_REQUEST": "true"}


def visible(response) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def changes_of(table, object_id):
    return list(Change.objects.filter(table_name=table, object_id=str(object_id)).order_by("change_id"))


@pytest.fixture
def pg(postgres_only):
    """The history is written by triggers, which exist on PostgreSQL only."""


@pytest.fixture
def wizard(associate):
    conversation = ConversationFactory(project__sales_associate=associate, aos_phase="needs_assessment")
    room = RoomFactory(project=conversation.project, room_name="Primary bath")
    surface = SurfaceFactory(room=room, surface_area_sf=D("80.00"), waste_factor=D("0.10"))
    return conversation, room, surface


# --- what is recorded -----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_change_through_the_app_is_recorded_with_its_user_and_old_and_new_values(
    pg, associate_client, associate, wizard, headers
):
    conversation, _, surface = wizard
    response = associate_client.post(
        reverse("conversations:surface_edit", args=[conversation.pk, surface.pk]),
        {"surface_type": "floor", "surface_area_sf": "160", "pattern_type": "straight_lay", "waste_factor": "10"},
        **headers,
    )
    assert response.status_code in (200, 302)

    [change] = [c for c in changes_of("surfaces", surface.pk) if c.operation == "update"]
    assert change.user_id == associate.pk
    assert change.changes["surface_area_sf"] == [80.0, 160.0]
    assert "updated_at" not in change.changes
    assert change.project_id == conversation.project_id
    assert change.url == reverse("conversations:surface_edit", args=[conversation.pk, surface.pk])


def test_a_change_through_the_admin_is_recorded_with_the_staff_user(pg, catalog_staff):
    product = ProductFactory(sku="POR-1224-GRY", price_retail=D("45.88"))
    staff = Client()
    staff.force_login(catalog_staff)
    data = change_form_data(staff, product, price_retail="49.90")

    response = staff.post(reverse("admin:catalog_productcatalog_change", args=[product.pk]), data)

    assert response.status_code == 302
    [change] = [c for c in changes_of("product_catalog", product.pk) if c.operation == "update"]
    assert change.user_id == catalog_staff.pk
    assert change.changes == {"price_retail": [45.88, 49.9]}


def test_a_bulk_admin_action_records_every_row_with_the_staff_user(pg, catalog_staff):
    products = [ProductFactory(sku=f"BULK-{n}", discontinued=False) for n in range(3)]
    staff = Client()
    staff.force_login(catalog_staff)

    staff.post(
        reverse("admin:catalog_productcatalog_changelist"),
        {"action": "mark_discontinued", "_selected_action": [p.pk for p in products]},
    )

    assert ProductCatalog.objects.filter(discontinued=True).count() == 3
    for product in products:
        [change] = [c for c in changes_of("product_catalog", product.pk) if c.operation == "update"]
        assert (change.user_id, change.changes) == (catalog_staff.pk, {"discontinued": [False, True]})


def test_a_bulk_queryset_update_inside_a_context_is_recorded_per_row_with_its_user(pg, manager):
    customers = [CustomerFactory(city="Springfield") for _ in range(3)]

    with history_context(user=manager, url="bulk"):
        updated = Customer.objects.filter(pk__in=[c.pk for c in customers]).update(city="Shelbyville")

    assert updated == 3
    for customer in customers:
        [change] = [c for c in changes_of("customers", customer.pk) if c.operation == "update"]
        assert (change.user_id, change.url) == (manager.pk, "bulk")
        assert change.changes == {"city": ["Springfield", "Shelbyville"]}


def test_a_write_outside_any_request_or_context_has_no_user(pg, manager):
    customer = CustomerFactory(city="Springfield")
    with history_context(user=manager):
        Customer.objects.filter(pk=customer.pk).update(city="Ogdenville")

    # The context is cleared when its block ends: a later write is nobody's.
    Customer.objects.filter(pk=customer.pk).update(city="North Haverbrook")

    updates = [c for c in changes_of("customers", customer.pk) if c.operation == "update"]
    assert [(c.user_id, c.changes["city"][1]) for c in updates] == [
        (manager.pk, "Ogdenville"),
        (None, "North Haverbrook"),
    ]


def test_inserts_and_deletes_are_recorded_and_an_unchanged_save_is_not(pg, wizard):
    _, room, surface = wizard
    selection = SelectionFactory(surface=surface)

    selection_id = selection.pk
    surface.save()  # nothing changed but updated_at
    selection.delete()

    ops = [c.operation for c in changes_of("surfaces", surface.pk)]
    assert ops == ["insert"]
    inserted, deleted = changes_of("selected_products", selection_id)
    assert (inserted.operation, deleted.operation) == ("insert", "delete")
    assert deleted.changes["product_sku"] == [selection.product_id, None]
    assert deleted.project_id == room.project_id


def test_a_conversations_scores_are_recorded_on_the_partitioned_table(pg, manager):
    conversation = ConversationFactory()
    with history_context(user=manager):
        type(conversation).objects.filter(pk=conversation.pk).update(aos_score_greeting=3, aos_score_overall=4)

    [change] = [c for c in changes_of("conversation_log", conversation.pk) if c.operation == "update"]
    assert change.user_id == manager.pk
    assert change.changes == {"aos_score_greeting": [None, 3], "aos_score_overall": [None, 4]}
    assert change.project_id == conversation.project_id


def test_the_trigger_is_on_every_partition_of_conversation_log(pg):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits i WHERE i.inhparent = 'conversation_log'::regclass AND NOT EXISTS"
            " (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = i.inhrelid AND t.tgname LIKE 'pgtrigger_history%%')"
        )
        assert cursor.fetchone()[0] == 0


# --- the History panel ----------------------------------------------------------------------------


def _pages(customer, conversation, quote):
    return {
        "customer": reverse("customers:detail", args=[customer.pk]),
        "project": reverse("projects:detail", args=[conversation.project_id]),
        "quote": reverse("quotes:detail", args=[quote.pk]),
        "conversation": reverse("conversations:summary", args=[conversation.pk]),
    }


@pytest.fixture
def changed(manager, associate):
    """A customer, project, closed conversation and quote, each changed once by the associate."""
    conversation = ConversationFactory(project__sales_associate=associate, closed_at="2026-03-02T10:00:00Z")
    project = conversation.project
    customer = project.customer
    quote = QuoteFactory(project=project)
    with history_context(user=associate):
        Customer.objects.filter(pk=customer.pk).update(phone_primary="+13125550199")
        type(project).objects.filter(pk=project.pk).update(project_name="Kitchen redo")
        type(quote).objects.filter(pk=quote.pk).update(quote_status="sent")
        type(conversation).objects.filter(pk=conversation.pk).update(aos_score_close=2)
    return customer, conversation, quote


@pytest.mark.parametrize("page", ["customer", "project", "quote", "conversation"])
def test_a_manager_sees_who_changed_what_on_the_history_panel(pg, manager_client, changed, page):
    customer, conversation, quote = changed
    text = visible(manager_client.get(_pages(customer, conversation, quote)[page]))

    assert "History" in text
    expected = {
        "customer": "Customer changed by Avery Associate",
        "project": "Project changed by Avery Associate",
        "quote": "Quote changed by Avery Associate",
        "conversation": "Conversation changed by Avery Associate",
    }[page]
    assert expected in text
    shown = {
        "customer": "Phone primary: ",
        "project": "→ Kitchen redo",
        "quote": "Quote status: Draft → Sent",
        "conversation": "Close score: — → 2",
    }[page]
    assert shown in text


@pytest.mark.parametrize("page", ["customer", "project", "quote", "conversation"])
def test_an_associate_gets_no_history_panel(associate_client, changed, page):
    customer, conversation, quote = changed
    response = associate_client.get(_pages(customer, conversation, quote)[page])

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="history"' not in html
    assert "changed by" not in visible(response)


def test_the_panel_pages_ten_changes_at_a_time_and_pages_back(pg, manager_client, manager):
    customer = CustomerFactory()
    with history_context(user=manager):
        for n in range(PANEL_SIZE + 3):
            Customer.objects.filter(pk=customer.pk).update(city=f"Town {n}")
    page_url = reverse("customers:detail", args=[customer.pk])

    first = manager_client.get(page_url)
    second = manager_client.get(page_url, {"history_page": 2})

    assert len(first.context["changes"].rows) == PANEL_SIZE
    assert "→ Town 12" in visible(first)  # newest first
    assert "Older" in visible(first)
    # The rest (3 updates and the insert) on page two, and no further page.
    assert len(second.context["changes"].rows) == 4
    assert "Older" not in visible(second)
    assert "→ Town 0" in visible(second)


def test_on_sqlite_the_manager_is_told_no_history_is_kept(manager_client, changed):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    customer, _, _ = changed
    assert "recorded on PostgreSQL only" in visible(manager_client.get(reverse("customers:detail", args=[customer.pk])))


# --- nobody edits the history ------------------------------------------------------------------


def test_history_rows_cannot_be_added_changed_or_deleted_in_the_admin(pg, admin_client, manager):
    customer = CustomerFactory()
    with history_context(user=manager):
        Customer.objects.filter(pk=customer.pk).update(city="Capital City")
    change = Change.objects.filter(table_name="customers", operation="update").get()
    change_url = reverse("admin:history_change_change", args=[change.pk])

    page = admin_client.get(change_url)
    posted = admin_client.post(change_url, {"table_name": "x"})
    deleted = admin_client.post(reverse("admin:history_change_delete", args=[change.pk]), {"post": "yes"})
    added = admin_client.get(reverse("admin:history_change_add"))

    assert page.status_code == 200 and "Capital City" in visible(page)
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert added.status_code == 403
    change.refresh_from_db()
    assert change.table_name == "customers"


def test_an_associate_cannot_open_the_history_in_the_admin(associate_client):
    response = associate_client.get(reverse("admin:history_change_changelist"))
    assert response.status_code in (302, 403)


def test_the_products_admin_page_shows_its_recent_changes(pg, catalog_staff):
    product = ProductFactory(sku="MAR-HEX-2", price_retail=D("12.00"), price_pro=D("10.00"))
    staff = Client()
    staff.force_login(catalog_staff)
    staff.post(
        reverse("admin:catalog_productcatalog_change", args=[product.pk]),
        change_form_data(staff, product, price_retail="13.50"),
    )

    text = visible(staff.get(reverse("admin:catalog_productcatalog_change", args=[product.pk])))

    assert "Recent changes" in text
    assert "Casey Catalog" in text
    assert "12.0 → 13.5" in text


def test_the_benchmarks_synthetic_rows_can_skip_the_history_and_nothing_else_does(pg, manager):
    with untracked(Customer):
        skipped = CustomerFactory()
    recorded = CustomerFactory()

    assert changes_of("customers", skipped.pk) == []
    assert [c.operation for c in changes_of("customers", recorded.pk)] == ["insert"]


def test_catalog_staff_read_only_the_catalogs_history_in_the_admin(pg, catalog_staff, manager):
    product = ProductFactory(sku="POR-1224-WHT")
    customer = CustomerFactory(city="Springfield")
    with history_context(user=manager):
        Customer.objects.filter(pk=customer.pk).update(city="Shelbyville")
        ProductCatalog.objects.filter(pk=product.pk).update(in_stock=False)
    staff = Client()
    staff.force_login(catalog_staff)

    listed = staff.get(reverse("admin:history_change_changelist")).context["cl"].result_list

    assert {change.table_name for change in listed} == {"product_catalog"}
    customer_change = Change.objects.filter(table_name="customers").first()
    assert staff.get(reverse("admin:history_change_change", args=[customer_change.pk])).status_code in (302, 404)
