"""Every CHECK constraint of the app, decided in Python, gives the database's answer: for each
model, hundreds of rows of edge values (NULL, negative, zero, a bound, a wrong choice, dates in
either order) are judged both ways and must agree; and the checks the wizard saves on every click
need no query."""

import random
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from aos_crm import checks_in_python
from aos_crm.db import ChecksInOneQuery

pytestmark = pytest.mark.django_db

APP_MODELS = [
    model
    for model in apps.get_models()
    if issubclass(model, ChecksInOneQuery)
    and any(isinstance(c, models.CheckConstraint) for c in model._meta.constraints)
]
# Checks with arithmetic (a quote's total = subtotal + tax + delivery) go to the database.
DECIDED_BY_DATABASE = {"quotes_total_is_sum"}


def _fields_named(condition: models.Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, models.Q):
            names |= _fields_named(child)
        else:
            lookup, wanted = child
            names.add(lookup.split("__")[0])
            if isinstance(wanted, models.F):
                names.add(wanted.name)
            for inner in getattr(wanted, "flatten", lambda: [])():
                if isinstance(inner, models.F):
                    names.add(inner.name)
    return names


def _candidates(field) -> list:
    if field.choices:
        return [None, "", "not-a-choice", *[value for value, _ in field.flatchoices][:3]]
    if isinstance(field, models.BooleanField):
        return [None, True, False]
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        return [None, -1, 0, 1, 4, 5, 100, Decimal("0.25"), Decimal("0.26"), Decimal("-0.01")]
    if isinstance(field, models.DateTimeField):
        return [None, timezone.make_aware(datetime(2026, 1, 1)), timezone.make_aware(datetime(2026, 6, 1))]
    if isinstance(field, models.DateField):
        return [None, date(2026, 1, 1), date(2026, 6, 1), date(2025, 12, 31)]
    if isinstance(field, models.CharField | models.TextField):
        return [None, "", "x", " "]
    return [None]


def _checks(model):
    return [(model, c) for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]


@pytest.mark.parametrize("model", APP_MODELS, ids=lambda m: m.__name__)
def test_python_and_the_database_agree_on_every_check(model):
    checks = _checks(model)
    names = sorted(set().union(*(_fields_named(c.condition) for _, c in checks)))
    fields = {name: model._meta.get_field(name) for name in names}
    rng = random.Random(model.__name__)
    decided = 0
    for _ in range(150):
        row = model()
        for field in fields.values():
            setattr(row, field.attname, rng.choice(_candidates(field)))
        against = row._get_field_expression_map(meta=model._meta)
        in_python = checks_in_python.failed(model._meta, checks, against)
        in_database = row._failed_checks_in_database(checks, set(), "default", against)
        if in_python is None:
            continue
        decided += 1
        assert [c.name for c in in_python] == [c.name for c in in_database], {n: getattr(row, n) for n in names}
    if not {c.name for _, c in checks} & DECIDED_BY_DATABASE:
        assert decided == 150, f"{model.__name__}: only {decided} of 150 decided in Python"


@pytest.mark.parametrize("model", APP_MODELS, ids=lambda m: m.__name__)
def test_each_check_alone_agrees_too(model):
    """One constraint at a time, so a failure names it."""
    rng = random.Random(f"alone-{model.__name__}")
    for check in _checks(model):
        _, constraint = check
        names = sorted(_fields_named(constraint.condition))
        fields = {name: model._meta.get_field(name) for name in names}
        for _ in range(40):
            row = model()
            for field in fields.values():
                setattr(row, field.attname, rng.choice(_candidates(field)))
            against = row._get_field_expression_map(meta=model._meta)
            in_python = checks_in_python.failed(model._meta, [check], against)
            if in_python is None:
                assert constraint.name in DECIDED_BY_DATABASE
                continue
            in_database = row._failed_checks_in_database([check], set(), "default", against)
            assert bool(in_python) == bool(in_database), (constraint.name, {n: getattr(row, n) for n in names})


def test_a_check_naming_an_excluded_field_is_skipped_as_django_does():
    from projects.models import Surface

    surface = Surface(waste_factor=Decimal("-1"))
    checks = _checks(Surface)
    against = surface._get_field_expression_map(meta=Surface._meta, exclude={"waste_factor"})
    failed = checks_in_python.failed(Surface._meta, checks, against)
    assert failed is not None and all("waste" not in c.name for c in failed)
    assert [c.name for c in failed] == [
        c.name for c in surface._failed_checks_in_database(checks, {"waste_factor"}, "default", against)
    ]


def test_saving_a_surface_checks_its_constraints_without_a_query(django_assert_num_queries):
    from tests.factories import SurfaceFactory

    surface = SurfaceFactory()
    surface.waste_factor = Decimal("0.12")
    checks = _checks(type(surface))
    with django_assert_num_queries(0):
        assert surface._failed_checks(checks, None, "default") == []
    surface.waste_factor = Decimal("-0.5")
    with django_assert_num_queries(0):
        assert [c.name for c in surface._failed_checks(checks, None, "default")] == ["surfaces_waste_factor_range"]
