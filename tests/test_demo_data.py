"""`manage.py load_demo_data`: catalog, logins and twelve weeks of activity that satisfy the models'
rules, and a second run that changes nothing."""

import io
import math
import re
from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import phonenumbers
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from aos_crm import roles
from aos_crm.models import User
from catalog.models import ProductCatalog
from conversations.models import AosPhase, ConversationLog, Outcome
from customers.models import Customer, CustomerType
from projects.models import ProductType, Project, ProjectStatus, SelectedProduct, SelectionStatus, Surface
from quotes.models import Quote, QuoteStatus

CENT = Decimal("0.01")
PASSWORD = "pytest-demo-password"
ASSOCIATES = ("associate", "associate2", "associate3", "associate4")


def load(*args):
    out = io.StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_env(monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    # Six PBKDF2 hashes per load would be most of a test's time; the hasher is not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def loaded(db, demo_env):
    return load()


def model_counts():
    # tables only: the reporting view (an unmanaged model) exists on PostgreSQL alone. The change
    # history is left out: it records every load and flush too, so it only grows (by design).
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and model._meta.label != "history.Change"
    }
    counts["group memberships"] = User.groups.through.objects.count()
    return counts


@pytest.mark.django_db
def test_catalog_has_every_product_type_with_consistent_tiles(loaded):
    assert ProductCatalog.objects.count() >= 120
    assert set(ProductCatalog.objects.values_list("product_type", flat=True)) == set(ProductType.values)

    tiles = ProductCatalog.objects.filter(product_type=ProductType.TILE)
    assert tiles.count() >= 80
    for tile in tiles:
        assert tile.unit_of_measure == "box"
        assert tile.edge_type in {"rectified", "pressed", "stone"}
        area = tile.pieces_per_box * tile.size_length * tile.size_width / 144
        assert tile.coverage_per_box == area.quantize(CENT, rounding=ROUND_HALF_UP), tile.sku
        assert tile.size_thickness > 0
        assert Decimal("0.85") <= tile.price_pro / tile.price_retail <= Decimal("0.92"), tile.sku
        assert tile.material == tile.material.lower()
    for product in ProductCatalog.objects.all():
        assert product.price_pro <= product.price_retail
        assert "@" not in product.product_name

    assert ProductCatalog.objects.filter(product_type=ProductType.GROUT, unit_of_measure="bag").count() >= 10
    assert set(
        ProductCatalog.objects.filter(product_type=ProductType.GROUT).values_list("pack_weight_lb", flat=True)
    ) == {Decimal(10), Decimal(25)}
    thinset = ProductCatalog.objects.filter(product_type=ProductType.ADHESIVE)
    assert {p.pack_weight_lb for p in thinset} == {Decimal(50)}
    assert {p.pack_coverage_sf for p in thinset} == {Decimal(95), Decimal(75), Decimal(50), Decimal(45)}
    metal = ProductCatalog.objects.filter(product_type=ProductType.TRIM, piece_length_ft__gt=1)
    assert {p.piece_length_ft for p in metal} == {Decimal("8.00"), Decimal("8.20")}
    assert {p.pack_coverage_sf for p in ProductCatalog.objects.filter(sku__startswith="ESS-UCM")} == {54, 323}

    assert 4 <= ProductCatalog.objects.filter(discontinued=True).count() <= 7
    special = ProductCatalog.objects.filter(special_order=True)
    assert 4 <= special.count() <= 8
    assert all(p.lead_time_days for p in special)
    assert 4 <= ProductCatalog.objects.filter(in_stock=False).count() <= 8


@pytest.mark.django_db
def test_demo_users_are_in_their_groups_and_can_log_in(loaded):
    expected = dict.fromkeys(ASSOCIATES, roles.ASSOCIATE)
    expected |= {"manager": roles.MANAGER, "catalog": roles.CATALOG_STAFF}
    for username, group in expected.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.email.endswith("@example.com")
        assert user.get_full_name()
        # django-axes checks every login against its lockouts, so authenticate gets the request
        assert Client().login(request=RequestFactory().post("/accounts/login/"), username=username, password=PASSWORD)
    assert User.objects.get(username="catalog").is_staff
    assert not User.objects.get(username="associate").is_staff
    assert Group.objects.get(name=roles.ASSOCIATE).user_set.count() == 4
    assert PASSWORD in loaded and "associate4" in loaded


@pytest.mark.django_db
def test_default_password_when_the_environment_has_none(db, monkeypatch, settings):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load()
    assert User.objects.get(username="manager").check_password("tile-demo-2026")


@pytest.mark.django_db
def test_customers_are_invented_and_mostly_homeowners(loaded):
    customers = list(Customer.objects.all())
    assert 150 <= len(customers) <= 170
    diy = sum(c.customer_type == CustomerType.DIY_HOMEOWNER for c in customers)
    assert 0.5 <= diy / len(customers) <= 0.7
    pros = [c for c in customers if c.customer_type != CustomerType.DIY_HOMEOWNER]
    with_account = [c for c in pros if c.pro_account_number]
    assert len(with_account) > len(pros) / 2
    assert all(re.fullmatch(r"PRO-\d{5}", c.pro_account_number) for c in with_account)
    assert any(c.email is None for c in customers)
    for customer in customers:
        assert customer.email is None or re.fullmatch(r"[a-z]+\.[a-z]+\d+@example\.com", customer.email)
        assert re.fullmatch(r"\+1\d{3}55501\d\d", customer.phone_primary)
        assert phonenumbers.is_possible_number(phonenumbers.parse(customer.phone_primary))
    assert all(1 <= c.projects.count() <= 2 for c in customers)


@pytest.mark.django_db
def test_conversations_cover_twelve_weeks_and_every_associate_is_scored(loaded):
    dates = [timezone.localtime(d) for d in ConversationLog.objects.values_list("conversation_date", flat=True)]
    assert len({d.isocalendar()[:2] for d in dates}) >= 11
    today = timezone.localdate()
    assert min(dates).date() >= today - timedelta(days=84)
    assert max(dates) <= timezone.now()

    scored = ConversationLog.objects.filter(aos_score_overall__isnull=False)
    averages = {}
    for username in ASSOCIATES:
        mine = scored.filter(sales_associate__username=username)
        assert mine.count() >= 20, username
        averages[username] = {
            field: sum(getattr(c, f"aos_score_{field}") for c in mine) / mine.count()
            for field in ("greeting", "needs", "design", "close")
        }
    # Skill profiles differ: `associate` greets well and closes weakly, `associate4` the other way round.
    assert averages["associate"]["greeting"] > averages["associate"]["close"] + 0.5
    assert averages["associate4"]["close"] > averages["associate4"]["greeting"] + 0.5

    for conv in scored:
        assert conv.aos_phase == AosPhase.CLOSE and conv.outcome
        assert timedelta(minutes=20) <= conv.closed_at - conv.conversation_date <= timedelta(minutes=50)
    with_objection = scored.filter(aos_score_objection__isnull=False).count()
    assert 0.25 <= with_objection / scored.count() <= 0.55

    # Better conversations close more often.
    def close_rate(scores):
        convs = scored.filter(aos_score_overall__in=scores)
        return convs.filter(outcome=Outcome.ORDER_PLACED).count() / convs.count()

    assert close_rate([4]) > close_rate([1, 2])


@pytest.mark.django_db
def test_a_few_conversations_are_left_open(loaded):
    open_convs = ConversationLog.objects.filter(closed_at__isnull=True)
    assert 5 <= open_convs.count() <= 10
    assert open_convs.filter(sales_associate__username="associate").count() >= 2
    for conv in open_convs:
        assert conv.outcome is None and conv.aos_score_overall is None
        assert conv.aos_phase in {AosPhase.GREETING, AosPhase.NEEDS_ASSESSMENT, AosPhase.DESIGN_DETAILS}
        # It is the project's latest conversation.
        assert not conv.project.conversations.filter(conversation_date__gt=conv.conversation_date).exists()


@pytest.mark.django_db
def test_follow_ups_are_overdue_due_today_and_upcoming(loaded):
    today = timezone.localdate()
    follow_ups = ConversationLog.objects.filter(outcome=Outcome.FOLLOW_UP_SCHEDULED)
    assert follow_ups.filter(next_contact_date__isnull=True).count() == 0
    assert follow_ups.filter(next_action__isnull=True).count() == 0
    assert follow_ups.filter(next_contact_date__lt=today).exists()
    assert follow_ups.filter(next_contact_date=today).exists()
    assert follow_ups.filter(next_contact_date__gt=today).exists()
    assert not ConversationLog.objects.filter(outcome=Outcome.ORDER_PLACED, next_contact_date__isnull=False).exists()


@pytest.mark.django_db
def test_selection_totals_and_tile_boxes(loaded):
    selections = SelectedProduct.objects.select_related("product")
    assert selections.count() > 500
    for s in selections:
        assert s.total_price == (s.quantity_ordered * s.price_per_unit).quantize(CENT, rounding=ROUND_HALF_UP)
        assert s.quantity_ordered == s.quantity_ordered.to_integral_value()
        if s.product_type != ProductType.TILE:  # tile: square feet needed, boxes ordered
            assert s.quantity_ordered >= s.quantity_needed
        assert s.unit_of_measure == s.product.unit_of_measure
        assert s.price_per_unit in {s.product.price_retail, s.product.price_pro}
        if s.product_type == ProductType.TILE:
            assert s.box_coverage_sf == s.product.coverage_per_box
            assert s.quantity_ordered == math.ceil(s.quantity_needed / s.box_coverage_sf)
    statuses = set(selections.values_list("selection_status", flat=True))
    assert statuses == set(SelectionStatus.values)

    surfaces = Surface.objects.prefetch_related("selections")
    for surface in surfaces:
        tiles = [s for s in surface.selections.all() if s.product_type == ProductType.TILE]
        assert tiles, surface.pk
        tile = tiles[0]
        expected = (surface.surface_area_sf * (1 + surface.waste_factor)).quantize(CENT)
        assert abs(tile.quantity_needed - expected) <= CENT
        assert 0 <= surface.waste_factor < 1


@pytest.mark.django_db
def test_pro_accounts_get_pro_prices(loaded):
    for s in SelectedProduct.objects.select_related("product", "surface__room__project__customer")[:400]:
        customer = s.surface.room.project.customer
        assert s.price_per_unit == s.product.price_for(pro=customer.is_pro)


@pytest.mark.django_db
def test_quotes_add_up_and_snapshot_their_lines(loaded):
    quotes = list(Quote.objects.all())
    assert len(quotes) >= 30
    numbers = [q.quote_number for q in quotes]
    assert len(set(numbers)) == len(numbers)
    for quote in quotes:
        assert re.fullmatch(rf"Q-{quote.quote_date.year}-\d{{6}}", quote.quote_number)
        assert quote.total_amount == quote.subtotal + quote.tax_amount + quote.delivery_fee
        assert quote.subtotal == sum((Decimal(line["line_total"]) for line in quote.lines), Decimal("0"))
        assert quote.tax_rate == Decimal("0.0825")
        assert quote.tax_amount == (quote.subtotal * quote.tax_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        assert quote.delivery_fee in {Decimal("0.00"), Decimal("75.00")}
        assert quote.expiration_date == quote.quote_date + timedelta(days=30)
        assert quote.lines
        for line in quote.lines:
            assert set(line) == {"room", "surface", "sku", "name", "quantity", "unit", "unit_price", "line_total"}
            assert Decimal(line["line_total"]) == (Decimal(line["quantity"]) * Decimal(line["unit_price"])).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
        if quote.project.project_status in (ProjectStatus.ORDERED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED):
            assert quote.quote_status == QuoteStatus.ACCEPTED
    assert {QuoteStatus.ACCEPTED, QuoteStatus.SENT} <= {q.quote_status for q in quotes}


@pytest.mark.django_db
def test_project_status_follows_the_latest_closed_conversation(loaded):
    latest = {}
    for conv in ConversationLog.objects.filter(outcome__isnull=False).order_by("conversation_date"):
        latest[conv.project_id] = conv.outcome
    quoted = set(Quote.objects.values_list("project_id", flat=True))
    by_status = defaultdict(int)
    for project in Project.objects.all():
        outcome = latest.get(project.project_id)
        by_status[project.project_status] += 1
        if outcome == Outcome.ORDER_PLACED:
            assert project.project_status in {ProjectStatus.ORDERED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED}
            assert project.project_id in quoted
        elif outcome == Outcome.LOST:
            assert project.project_status == ProjectStatus.CANCELLED
        elif outcome == Outcome.QUOTE_REQUESTED:
            assert project.project_status == ProjectStatus.QUOTED
            assert project.project_id in quoted
        else:
            assert project.project_status in {ProjectStatus.INQUIRY, ProjectStatus.QUOTED}
        assert 1 <= project.rooms.count() <= 3
        assert 1 <= project.conversations.count() <= 3
        if project.total_budget_min is not None and project.total_budget_max is not None:
            assert project.total_budget_min <= project.total_budget_max
    assert set(by_status) == set(ProjectStatus.values)


@pytest.mark.django_db
def test_a_second_run_changes_nothing(loaded):
    before = model_counts()
    stamps = dict(ProductCatalog.objects.values_list("sku", "updated_at"))
    passwords = dict(User.objects.values_list("username", "password"))

    output = load()

    assert model_counts() == before
    assert dict(ProductCatalog.objects.values_list("sku", "updated_at")) == stamps
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "0 created, 0 updated" in output
    assert "Activity: skipped" in output


@pytest.mark.django_db
def test_reset_passwords_and_flush_activity(loaded, monkeypatch):
    manager = User.objects.get(username="manager")
    manager.set_password("changed-by-the-user")
    manager.save()
    customers = set(Customer.objects.values_list("first_name", "last_name", "email"))
    counts = model_counts()

    load()
    assert User.objects.get(username="manager").check_password("changed-by-the-user")

    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password")
    output = load("--reset-passwords", "--flush-activity")
    assert User.objects.get(username="manager").check_password("another-demo-password")
    assert "Flushed activity" in output
    # The same seed on the same day regenerates the same activity.
    assert model_counts() == counts
    assert set(Customer.objects.values_list("first_name", "last_name", "email")) == customers
