"""full_clean checks every CHECK constraint in one query (aos_crm.db.ChecksInOneQuery), with the same
answer as Django's one query per constraint."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from conversations.models import ConversationLog
from projects.models import SelectedProduct, Surface
from tests.factories import ConversationFactory, QuoteFactory, SelectionFactory, SurfaceFactory

pytestmark = pytest.mark.django_db


def _errors(validate) -> dict:
    try:
        validate()
    except ValidationError as error:
        return {field: sorted(str(message) for message in messages) for field, messages in error.message_dict.items()}
    return {}


def _both(instance, exclude=None) -> tuple[dict, dict]:
    """(batched, Django's own) errors of the same instance."""
    batched = _errors(lambda: instance.validate_constraints(exclude=exclude))
    django = _errors(lambda: models.Model.validate_constraints(instance, exclude=exclude))
    return batched, django


SURFACE_CASES = [
    ("valid", {}, False),
    ("negative area", {"surface_area_sf": Decimal("-5")}, True),
    ("zero area", {"surface_area_sf": Decimal("0")}, True),
    ("waste of 100 %", {"waste_factor": Decimal("1.00")}, True),
    ("unknown pattern", {"pattern_type": "spiral"}, True),
    ("negative obstacles", {"obstacles_count": -1}, True),
    ("two at once", {"surface_area_sf": Decimal("-1"), "waste_factor": Decimal("2")}, True),
    ("a NULL passes", {"length_ft": None}, False),
]


@pytest.mark.parametrize(("label", "values", "fails"), SURFACE_CASES, ids=[case[0] for case in SURFACE_CASES])
def test_a_surface_gets_the_same_answer_as_one_query_per_check(label, values, fails):
    surface = SurfaceFactory()
    for name, value in values.items():
        setattr(surface, name, value)
    batched, django = _both(surface)
    assert batched == django
    assert bool(batched) is fails


def test_a_check_on_an_excluded_field_is_skipped_as_django_does():
    surface = SurfaceFactory()
    surface.surface_area_sf = Decimal("-5")
    batched, django = _both(surface, exclude={"surface_area_sf"})
    assert batched == django == {}


@pytest.mark.parametrize(
    ("model", "make", "bad"),
    [
        (SelectedProduct, SelectionFactory, {"quantity_ordered": Decimal("-1")}),
        (ConversationLog, ConversationFactory, {"aos_score_greeting": 7, "outcome": "maybe"}),
    ],
    ids=["selection", "conversation"],
)
def test_other_models_batch_their_checks_too(model, make, bad):
    instance = make()
    assert _both(instance) == ({}, {})
    for name, value in bad.items():
        setattr(instance, name, value)
    batched, django = _both(instance)
    assert batched == django and batched


def test_all_checks_cost_no_query_when_python_decides_them_and_one_when_it_cannot():
    surface = SurfaceFactory()
    checks = [c for c in Surface._meta.constraints if isinstance(c, models.CheckConstraint)]
    assert len(checks) >= 5
    with CaptureQueriesContext(connection) as batched:
        surface.validate_constraints()
    with CaptureQueriesContext(connection) as django:
        models.Model.validate_constraints(surface)
    assert [q for q in batched.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")] == []
    assert len(django.captured_queries) > len(checks)
    # A quote's total is checked with arithmetic (subtotal + tax + delivery): one query for all of
    # its checks.
    quote = QuoteFactory()
    with CaptureQueriesContext(connection) as quoted:
        quote.validate_constraints(exclude={"quote_number"})
    assert len([q for q in quoted.captured_queries if "_check_" in q["sql"]]) == 1


# --- foreign keys and new keys: no lookups the database constraints already make --------------


def _new_selection(surface):
    product = SelectionFactory().product
    return SelectedProduct(
        surface=surface,
        product=product,
        product_name=product.product_name,
        product_type=product.product_type,
        quantity_needed=Decimal("1"),
        quantity_ordered=Decimal("1"),
        unit_of_measure=product.unit_of_measure,
        price_per_unit=Decimal("2.00"),
        total_price=Decimal("2.00"),
    )


def test_attached_rows_from_the_database_are_not_looked_up_again():
    selection = _new_selection(SurfaceFactory())
    with CaptureQueriesContext(connection) as queries:
        selection.full_clean()
    lookups = [q["sql"] for q in queries if 'FROM "surfaces"' in q["sql"] or 'FROM "product_catalog"' in q["sql"]]
    assert lookups == []
    assert not [q for q in queries if 'FROM "selected_products"' in q["sql"]], "the new random key was looked up"


FOREIGN_KEY_CASES = [
    ("key set by value to no row", lambda s: setattr(s, "surface_id", __import__("uuid").uuid4()), "surface"),
    ("attached row never saved", lambda s: setattr(s, "surface", Surface(surface_area_sf=Decimal("9"))), "surface"),
    ("unknown SKU by value", lambda s: setattr(s, "product_id", "NO-SUCH-SKU"), "product"),
]


@pytest.mark.parametrize(("label", "change", "field"), FOREIGN_KEY_CASES, ids=[c[0] for c in FOREIGN_KEY_CASES])
def test_a_key_not_backed_by_an_attached_saved_row_is_still_checked(label, change, field):
    selection = _new_selection(SurfaceFactory())
    change(selection)
    errors = _errors(lambda: selection.full_clean(exclude=["surface"] if field == "product" else None))
    assert field in errors


def test_a_duplicate_key_set_by_hand_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    existing = SelectionFactory()
    copy = _new_selection(existing.surface)
    copy.pk = existing.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save(force_insert=True)
