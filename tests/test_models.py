"""Small behaviours of the models: names, pro status and pricing, `__str__`, the seed's column
DEFAULTs applied by the database itself, and UUID primary keys."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from catalog.models import ProductCatalog
from conversations.models import ConversationLog
from customers.models import Customer, CustomerType
from projects.models import Project, ProjectRoom, SelectedProduct, Surface
from quotes.models import Quote
from tests.factories import (
    ConversationFactory,
    CustomerFactory,
    ProductFactory,
    ProjectFactory,
    QuoteFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

D = Decimal


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [("Ann", "Example", "Ann Example"), ("Ann", None, "Ann"), ("Ann", "", "Ann")],
)
def test_full_name_skips_a_missing_last_name(first_name, last_name, expected):
    customer = Customer(first_name=first_name, last_name=last_name)

    assert customer.full_name == expected
    assert str(customer) == expected


@pytest.mark.parametrize(
    ("customer_type", "account", "expected"),
    [
        (CustomerType.CONTRACTOR, "PRO-1001", True),
        (CustomerType.DESIGNER, "PRO-1002", True),
        (CustomerType.BUILDER, "PRO-1003", True),
        (CustomerType.CONTRACTOR, None, False),
        (CustomerType.DESIGNER, "", False),
        (CustomerType.BUILDER, None, False),
        (CustomerType.DIY_HOMEOWNER, "PRO-1004", False),
        (CustomerType.DIY_HOMEOWNER, None, False),
    ],
)
def test_is_pro_needs_a_trade_type_and_an_account(customer_type, account, expected):
    customer = Customer(first_name="Ann", customer_type=customer_type, pro_account_number=account)

    assert customer.is_pro is expected


@pytest.mark.parametrize(
    ("price_pro", "pro", "expected"),
    [
        (D("41.29"), True, D("41.29")),
        (D("41.29"), False, D("45.88")),
        (None, True, D("45.88")),
        (None, False, D("45.88")),
        (D("0.00"), True, D("0.00")),  # a free pro price is still a price, not "missing"
    ],
)
def test_price_for_gives_pro_price_only_to_pros_and_only_when_set(price_pro, pro, expected):
    product = ProductCatalog(sku="TST-1", product_name="Tile", price_retail=D("45.88"), price_pro=price_pro)

    assert product.price_for(pro=pro) == expected


@pytest.mark.django_db
def test_str_of_every_model_says_what_the_row_is():
    customer = CustomerFactory(first_name="Ann", last_name="Example")
    named = ProjectFactory(customer=customer, project_name="Primary bath")
    unnamed = ProjectFactory(customer=customer, project_name=None)
    room = RoomFactory(project=named, room_name="Room A")
    unnamed_room = RoomFactory(project=named, room_name=None, room_type="powder_room")
    surface = SurfaceFactory(room=room, surface_type="shower_walls", surface_area_sf=D("45.50"))
    product = ProductFactory(sku="TST-STR", product_name="Test Porcelain")
    selection = SelectionFactory(surface=surface, product=product, quantity_ordered=D("6.00"), unit_of_measure="box")
    needed_only = SelectionFactory(
        surface=surface, product=product, quantity_ordered=None, quantity_needed=D("3.00"), total_price=None
    )
    conversation = ConversationFactory(
        project=named, interaction_type="quote_review", conversation_date=datetime(2026, 5, 4, 15, tzinfo=UTC)
    )
    quote = QuoteFactory(project=named, quote_number="Q-2026-000042")

    assert str(customer) == "Ann Example"
    assert str(named) == "Primary bath"
    assert str(unnamed) == "Project for Ann Example"
    assert str(room) == "Room A"
    assert str(unnamed_room) == "Powder room"
    assert str(surface) == "Shower walls — 45.50 sq ft"
    assert str(selection) == "TST-STR × 6.00 box"
    assert str(needed_only) == "TST-STR × 3.00 box"
    assert str(product) == "TST-STR — Test Porcelain"
    assert str(conversation) == "Quote review on 2026-05-04"
    assert str(quote) == "Q-2026-000042"


def _insert(table, **values):
    """A raw INSERT naming only the given columns, so the database fills in the rest."""
    columns = ", ".join(values)
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(values.values()))


def _db_id(obj):
    """The primary key as the database stores it: native uuid on PostgreSQL, 32 hex on SQLite."""
    return obj._meta.pk.get_db_prep_value(obj.pk, connection)


@pytest.mark.django_db
def test_database_applies_the_seed_defaults_to_raw_inserts():
    _insert("customers", first_name="Raw", customer_type="diy_homeowner")
    customer = Customer.objects.get(first_name="Raw")
    assert customer.country == "USA"
    assert customer.preferred_contact_method == "phone"
    assert customer.marketing_opt_in is False
    assert customer.created_at is not None
    assert customer.updated_at is not None

    _insert("projects", customer_id=_db_id(customer), installation_method="diy")
    project = Project.objects.get(customer=customer)
    assert project.project_status == "inquiry"
    assert project.urgency_level == "medium"
    assert project.created_at is not None

    _insert("project_rooms", project_id=_db_id(project), room_type="kitchen")
    room = ProjectRoom.objects.get(project=project)
    assert room.created_at is not None

    _insert("surfaces", room_id=_db_id(room), surface_type="floor", surface_area_sf=D("12.50"))
    surface = Surface.objects.get(room=room)
    assert surface.pattern_type == "straight_lay"
    assert surface.complexity_level == "simple"
    assert surface.waste_factor == D("0.10")
    assert surface.obstacles_count == 0

    _insert("product_catalog", sku="RAW-1", product_name="Raw tile")
    product = ProductCatalog.objects.get(pk="RAW-1")
    assert product.in_stock is True
    assert product.discontinued is False
    assert product.special_order is False
    assert product.unit_of_measure == "box"
    assert product.created_at is not None

    _insert(
        "selected_products", surface_id=_db_id(surface), product_sku="RAW-1", product_type="tile", unit_of_measure="box"
    )
    selection = SelectedProduct.objects.get(surface=surface)
    assert selection.selection_status == "considered"
    assert selection.selection_date is not None

    _insert("conversation_log", project_id=_db_id(project), interaction_type="initial_inquiry")
    conversation = ConversationLog.objects.get(project=project)
    assert conversation.conversation_date is not None

    # `lines` is named because it is NOT NULL without a database default (an addition to the seed).
    _insert(
        "quotes",
        project_id=_db_id(project),
        quote_number="Q-RAW-1",
        quote_date="2026-05-04",
        subtotal=D("10.00"),
        total_amount=D("10.00"),
        lines="[]",
    )
    quote = Quote.objects.get(quote_number="Q-RAW-1")
    assert quote.tax_amount == 0
    assert quote.delivery_fee == 0
    assert quote.tax_rate == 0
    assert quote.quote_status == "draft"

    # The database generated every key, and each is a distinct UUID.
    keys = [customer.pk, project.pk, room.pk, surface.pk, selection.pk, conversation.pk, quote.pk]
    assert all(isinstance(key, uuid.UUID) for key in keys)
    assert len(set(keys)) == len(keys)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory",
    [
        CustomerFactory,
        ProjectFactory,
        RoomFactory,
        SurfaceFactory,
        SelectionFactory,
        ConversationFactory,
        QuoteFactory,
    ],
)
def test_orm_created_rows_have_uuid4_primary_keys(factory):
    first, second = factory(), factory()
    model = type(first)

    assert isinstance(first.pk, uuid.UUID)
    assert first.pk.version == 4
    assert first.pk != second.pk
    stored = model.objects.get(pk=first.pk)
    assert isinstance(stored.pk, uuid.UUID)
    assert stored.pk == first.pk
