"""Tests that notice small mistakes in rules that had no test watching them (issue 13, item 12).
Each was checked by making the mistake by hand, seeing the test fail, and reverting."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from conversations import phases, selectors
from projects import kit
from projects.models import SelectionStatus
from quotes import services as quote_services
from quotes.models import Quote, QuoteStatus
from tests.factories import ConversationFactory, CustomerFactory, ProductFactory, SelectionFactory, SurfaceFactory
from tests.projects.test_kit import NO_TILE, _tile, setting_products  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


# --- the kit's prices: pro prices need a trade customer *with* a pro account ------------------------


@pytest.mark.parametrize(
    ("customer_type", "account", "expected"),
    [
        ("contractor", "", "14.98"),  # a trade customer without an account pays retail
        ("contractor", "PRO-4411", "13.00"),
        ("designer", None, "14.98"),
        ("diy_homeowner", "PRO-4411", "14.98"),  # an account number alone does not make a pro
    ],
)
def test_kit_prices_follow_the_pro_account(setting_products, customer_type, account, expected):  # noqa: F811
    customer = CustomerFactory(customer_type=customer_type, pro_account_number=account)
    surface = SurfaceFactory(room__project__customer=customer, surface_area_sf=Decimal("100"))
    lines = kit.suggest(
        surface=surface,
        tile=_tile(),
        customer=customer,
        inputs=kit.KitInputs(Decimal("0.125")),
        products=kit.candidates(),
    )
    thinset = next(line for line in lines if line.role == "thinset")
    assert thinset.unit_price == Decimal(expected)


# --- spacers: bags round up --------------------------------------------------------------------------


def test_spacer_bags_round_up(db):
    ProductFactory(
        sku="SPC-18-250",
        product_name="Tile Spacers 1/8 in, Bag of 250",
        product_type="spacers",
        unit_of_measure="bag",
        price_retail=Decimal("4.48"),
        price_pro=None,
        pieces_per_box=None,
        **NO_TILE,
    )
    # 10 x 10 ft: 30 x 30 tiles of 4 in + 1/8 in joints, so 29 x 29 inside corners
    surface = SurfaceFactory(surface_area_sf=Decimal("100"), length_ft=Decimal("10"), width_ft=Decimal("10"))
    tile = _tile(size_length=Decimal("4"), size_width=Decimal("4"))
    lines = kit.suggest(
        surface=surface,
        tile=tile,
        customer=surface.room.project.customer,
        inputs=kit.KitInputs(Decimal("0.125")),
        products=kit.candidates(),
    )
    spacers = next(line for line in lines if line.role == "spacers")
    assert spacers.detail == "≈ 841 crosses at 1/8 in"
    assert spacers.quantity == 4  # 841 / 250 = 3.36 → 4 bags, never 3
    assert spacers.line_total == Decimal("17.92")


# --- quote tax: half a cent rounds up -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("subtotal", "rate", "tax"),
    [
        ("10.00", "0.0825", "0.83"),  # 0.825 exactly: half up → 0.83 (half-even would give 0.82)
        ("1.00", "0.0050", "0.01"),  # 0.005 exactly: half up → 0.01 (half-even would give 0.00)
        ("30.00", "0.0750", "2.25"),  # 2.25 exactly: no rounding at all
    ],
)
def test_quote_tax_on_an_exact_half_cent_rounds_up(subtotal, rate, tax):
    result = quote_services.totals(subtotal=Decimal(subtotal), tax_rate=Decimal(rate), delivery_fee=Decimal("0"))
    assert result["tax_amount"] == Decimal(tax)
    assert result["total_amount"] == Decimal(subtotal) + Decimal(tax)


# --- the nightly expiry: a quote is still good on its last valid day -----------------------------------


def test_the_nightly_expiry_leaves_a_quote_alone_on_its_last_valid_day(db):
    last_day = date(2026, 12, 31)
    quote = SelectionFactory().surface.room.project
    sent = Quote.objects.create(
        project=quote,
        quote_number="Q-2026-000901",
        quote_date=last_day - timedelta(days=30),
        expiration_date=last_day,
        subtotal=Decimal("100.00"),
        tax_amount=Decimal("0.00"),
        delivery_fee=Decimal("0.00"),
        total_amount=Decimal("100.00"),
        quote_status=QuoteStatus.SENT,
    )
    assert quote_services.expire_past_quotes(today=last_day) == 0
    sent.refresh_from_db()
    assert sent.quote_status == QuoteStatus.SENT
    assert sent.status_on(last_day) == QuoteStatus.SENT
    assert quote_services.expire_past_quotes(today=last_day + timedelta(days=1)) == 1
    sent.refresh_from_db()
    assert sent.quote_status == QuoteStatus.EXPIRED


def test_the_expire_quotes_command_spares_a_quote_expiring_today(db):
    from django.utils import timezone

    today = timezone.localdate()
    project = SelectionFactory().surface.room.project
    Quote.objects.create(
        project=project,
        quote_number="Q-2026-000902",
        quote_date=today - timedelta(days=30),
        expiration_date=today,
        subtotal=Decimal("10.00"),
        total_amount=Decimal("10.00"),
        quote_status=QuoteStatus.DRAFT,
    )
    call_command("expire_quotes", verbosity=0)
    assert Quote.objects.get(quote_number="Q-2026-000902").quote_status == QuoteStatus.DRAFT


# --- the completeness checklist: an ordered or delivered tile is still the surface's tile ----------------


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (SelectionStatus.SELECTED, True),
        (SelectionStatus.ORDERED, True),
        (SelectionStatus.DELIVERED, True),
        (SelectionStatus.CONSIDERED, False),
    ],
)
def test_an_ordered_or_delivered_tile_still_counts_as_chosen(db, status, counts):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project)
    SelectionFactory(surface=surface, selection_status=status)
    facts = selectors.captured_facts(conversation)
    assert facts.surfaces_with_selected_tile == (1 if counts else 0)
    design = dict(phases.checklist("design", facts))
    assert design["Every surface has a selected tile"] is counts
