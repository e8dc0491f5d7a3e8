from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from catalog.models import ProductCatalog
from projects.models import ProjectStatus, SelectionStatus
from projects.services import selection_update
from quotes import services
from quotes.models import Quote, QuoteStatus
from tests.factories import ProjectFactory, QuoteFactory, SelectionFactory, SurfaceFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)

SEED_PROJECT_TOTAL = """
SELECT
    p.project_id,
    SUM(sp.total_price) as project_total,
    COUNT(DISTINCT s.surface_id) as surface_count
FROM projects p
JOIN project_rooms pr ON p.project_id = pr.project_id
JOIN surfaces s ON pr.room_id = s.room_id
JOIN selected_products sp ON s.surface_id = sp.surface_id
WHERE p.project_id = %s AND sp.selection_status = 'selected'
GROUP BY p.project_id
"""


def _seed_total(project):
    with connection.cursor() as cursor:
        pk = project.pk.hex if connection.vendor == "sqlite" else project.pk
        cursor.execute(SEED_PROJECT_TOTAL, [pk])
        return Decimal(str(cursor.fetchone()[1])).quantize(Decimal("0.01"))


@pytest.fixture
def project():
    project = ProjectFactory()
    floor = SurfaceFactory(room__project=project, room__room_name="Kitchen")
    wall = SurfaceFactory(room=floor.room, surface_type="backsplash", surface_area_sf=Decimal("30"))
    SelectionFactory(surface=floor, quantity_ordered=Decimal("7"), price_per_unit=Decimal("45.88"))  # 321.16
    SelectionFactory(surface=wall, quantity_ordered=Decimal("3"), price_per_unit=Decimal("19.99"))  # 59.97
    SelectionFactory(
        surface=wall,
        quantity_ordered=Decimal("2"),
        price_per_unit=Decimal("99.00"),
        selection_status=SelectionStatus.CONSIDERED,
    )
    return project


def test_quote_snapshots_the_selected_lines_with_exact_totals(project, associate):
    quote = services.quote_create(
        project=project, associate=associate, tax_rate=Decimal("0.0825"), delivery_fee=Decimal("75"), today=TODAY
    )
    assert [line["line_total"] for line in quote.lines] == ["321.16", "59.97"]
    assert {line["room"] for line in quote.lines} == {"Kitchen"}
    assert quote.subtotal == Decimal("381.13")
    assert quote.tax_amount == Decimal("31.44")  # 381.13 × 0.0825 = 31.443225 → 31.44
    assert quote.total_amount == Decimal("487.57")
    assert quote.total_amount == _seed_total(project) + quote.tax_amount + quote.delivery_fee
    assert quote.quote_date == TODAY
    assert quote.expiration_date == TODAY + timedelta(days=30)
    assert quote.quote_status == QuoteStatus.DRAFT
    assert quote.quote_number == "Q-2026-000001"


@pytest.mark.parametrize(
    ("subtotal", "rate", "tax"),
    [
        ("0.01", "0.0825", "0.00"),  # 0.000825
        ("6.06", "0.0825", "0.50"),  # 0.49995 → half up
        ("100.00", "0.0725", "7.25"),
        ("19.99", "0.0625", "1.25"),  # 1.249375
        ("33.33", "0.0850", "2.83"),  # 2.83305
        ("999999.99", "0.2500", "250000.00"),  # 249999.9975
    ],
)
def test_tax_rounds_half_up_to_the_cent(subtotal, rate, tax):
    result = services.totals(subtotal=Decimal(subtotal), tax_rate=Decimal(rate), delivery_fee=Decimal("0"))
    assert result["tax_amount"] == Decimal(tax)
    assert result["total_amount"] == Decimal(subtotal) + Decimal(tax)


def test_numbers_run_on_and_continue_after_existing_ones(project, associate):
    QuoteFactory(quote_number="Q-2026-000041", project=project)
    first = services.quote_create(project=project, associate=associate, today=TODAY)
    second = services.quote_create(project=project, associate=associate, today=TODAY)
    next_year = services.quote_create(project=project, associate=associate, today=date(2027, 1, 2))
    assert [first.quote_number, second.quote_number] == ["Q-2026-000042", "Q-2026-000043"]
    assert next_year.quote_number == "Q-2027-000001"
    assert second.revision_of == "Q-2026-000042"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"tax_rate": Decimal("0.26")}, "tax_rate", "The tax rate must be between 0 and 25 %."),
        ({"tax_rate": Decimal("-0.01")}, "tax_rate", "The tax rate must be between 0 and 25 %."),
        ({"delivery_fee": Decimal("-1")}, "delivery_fee", "The delivery fee cannot be negative."),
        (
            {"expiration_date": TODAY - timedelta(days=1)},
            "expiration_date",
            "The expiration date cannot be before the quote date.",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(project, associate, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        services.quote_create(project=project, associate=associate, today=TODAY, **kwargs)
    assert error.value.message_dict[field] == [message]
    assert Quote.objects.count() == 0


def test_a_project_with_no_selected_products_cannot_be_quoted(associate):
    project = ProjectFactory()
    SelectionFactory(surface__room__project=project, selection_status=SelectionStatus.CONSIDERED)
    with pytest.raises(ValidationError, match="no selected products"):
        services.quote_create(project=project, associate=associate, today=TODAY)
    assert Quote.objects.count() == 0


def test_snapshot_does_not_change_when_prices_do(project, associate):
    quote = services.quote_create(project=project, associate=associate, today=TODAY)
    before = (quote.lines, quote.total_amount)
    ProductCatalog.objects.update(price_retail=Decimal("999.00"), price_pro=Decimal("999.00"))
    for selection in project.rooms.first().surfaces.first().selections.all():
        selection_update(selection=selection, quantity_ordered=Decimal("50"))
    quote.refresh_from_db()
    assert (quote.lines, quote.total_amount) == before


def test_sending_and_accepting_move_the_project(project, associate):
    quote = services.quote_create(project=project, associate=associate, today=TODAY)
    services.quote_transition(quote=quote, to=QuoteStatus.SENT, today=TODAY)
    project.refresh_from_db()
    assert project.project_status == ProjectStatus.QUOTED
    services.quote_transition(quote=quote, to=QuoteStatus.ACCEPTED, today=TODAY)
    project.refresh_from_db()
    assert project.project_status == ProjectStatus.ORDERED


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ([], QuoteStatus.ACCEPTED, "A draft quote cannot be marked accepted."),
        (
            [QuoteStatus.SENT, QuoteStatus.REJECTED],
            QuoteStatus.SENT,
            "This quote is rejected; it can no longer change.",
        ),
        ([QuoteStatus.SENT, QuoteStatus.ACCEPTED], QuoteStatus.REJECTED, "This quote is accepted"),
    ],
)
def test_invalid_transitions_are_refused(project, associate, path, to, message):
    quote = services.quote_create(project=project, associate=associate, today=TODAY)
    for step in path:
        services.quote_transition(quote=quote, to=step, today=TODAY)
    with pytest.raises(ValidationError, match=message):
        services.quote_transition(quote=quote, to=to, today=TODAY)
    quote.refresh_from_db()
    assert quote.quote_status == (path[-1] if path else QuoteStatus.DRAFT)


def test_a_quote_past_expiration_reads_expired_and_the_command_writes_it(project, associate):
    quote = services.quote_create(project=project, associate=associate, today=TODAY)
    later = quote.expiration_date + timedelta(days=1)
    assert quote.status_on(quote.expiration_date) == QuoteStatus.DRAFT
    assert quote.status_on(later) == QuoteStatus.EXPIRED
    with pytest.raises(ValidationError, match="expired on"):
        services.quote_transition(quote=quote, to=QuoteStatus.SENT, today=later)
    assert services.expire_past_quotes(today=later) == 1
    quote.refresh_from_db()
    assert quote.quote_status == QuoteStatus.EXPIRED


def test_an_accepted_quote_locks_the_selections_until_a_revision(project, associate):
    quote = services.quote_create(project=project, associate=associate, today=TODAY)
    services.quote_transition(quote=quote, to=QuoteStatus.SENT, today=TODAY)
    services.quote_transition(quote=quote, to=QuoteStatus.ACCEPTED, today=TODAY)
    selection = project.rooms.first().surfaces.first().selections.first()
    with pytest.raises(ValidationError, match="was accepted"):
        selection_update(selection=selection, quantity_ordered=Decimal("1"))
    selection.refresh_from_db()
    assert selection.quantity_ordered == Decimal("7")
    revision = services.quote_create(project=project, associate=associate, today=TODAY)
    assert revision.revision_of == quote.quote_number
    selection_update(selection=selection, quantity_ordered=Decimal("8"))
    selection.refresh_from_db()
    assert selection.quantity_ordered == Decimal("8")
