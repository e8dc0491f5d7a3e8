"""full_clean checks every CHECK constraint in one query (aos_crm.db.ChecksInOneQuery), with the same
answer as Django's one query per constraint."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from conversations.models import ConversationLog
from projects.models import SelectedProduct, Surface
from tests.factories import ConversationFactory, SelectionFactory, SurfaceFactory

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


def test_all_checks_cost_one_query():
    surface = SurfaceFactory()
    checks = [c for c in Surface._meta.constraints if isinstance(c, models.CheckConstraint)]
    assert len(checks) >= 5
    with CaptureQueriesContext(connection) as batched:
        surface.validate_constraints()
    with CaptureQueriesContext(connection) as django:
        models.Model.validate_constraints(surface)
    selects = [q for q in batched.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1
    assert len(django.captured_queries) > len(checks)
