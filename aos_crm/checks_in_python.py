"""CHECK constraints decided in Python, with the database's answer.

A CHECK passes unless its condition is false: a comparison with NULL is unknown, and unknown
passes. The conditions the app declares are comparisons of a column with a constant, another
column or a list, and NULL tests, joined by AND, OR and NOT: `Q(waste_factor__gte=0)`,
`Q(email="") & Q(email__isnull=False)` negated, `Q(price_pro__lte=F("price_retail"))`. Those are
evaluated here with SQL's three-valued logic (None stands for unknown); anything else (an
arithmetic expression, a function, a lookup not in `_COMPARE`) makes `failed()` answer None, and
the caller asks the database (`aos_crm.db.ChecksInOneQuery`)."""

from __future__ import annotations

import operator

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Q, Value

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class _Unsupported(Exception):
    """A condition this module does not evaluate: the database decides."""


class _Excluded(Exception):
    """The condition names a field left out of this validation: the check is skipped."""


def failed(meta, checks, against: dict) -> list | None:
    """The constraints of `checks` (pairs of model class and CheckConstraint) whose condition is
    false for the values in `against` (`Model._get_field_expression_map`), or None when one of
    them cannot be decided here."""
    values = _Values(meta, against)
    result = []
    try:
        for _model, constraint in checks:
            if not isinstance(constraint.condition, Q):
                raise _Unsupported
            try:
                if _truth(constraint.condition, values) is False:
                    result.append(constraint)
            except _Excluded:
                continue
    except _Unsupported:
        return None
    return result


class _Values:
    """Each field's value as the database would compare it (the field's Python type), read once."""

    def __init__(self, meta, against: dict):
        self.meta, self.against, self.seen = meta, against, {}

    def __getitem__(self, name: str):
        if name in self.seen:
            return self.seen[name]
        if name not in self.against:
            raise _Excluded
        expression = self.against[name]
        if not isinstance(expression, Value) or hasattr(expression.value, "resolve_expression"):
            raise _Unsupported  # an expression assigned to the field, a generated column
        try:
            field = self.meta.pk if name == "pk" else self.meta.get_field(name)
            value = None if expression.value is None else field.to_python(expression.value)
        except (FieldDoesNotExist, ValidationError, TypeError, ValueError):
            raise _Unsupported from None
        self.seen[name] = value
        return value


def _truth(condition: Q, values: _Values) -> bool | None:
    answers = [
        _truth(child, values) if isinstance(child, Q) else _compare(*child, values) for child in condition.children
    ]
    if condition.connector == Q.AND:
        answer = False if False in answers else (None if None in answers else True)
    elif condition.connector == Q.OR:
        answer = True if True in answers else (None if None in answers else False)
    else:
        raise _Unsupported
    if condition.negated and answer is not None:
        answer = not answer
    return answer


def _compare(lookup: str, wanted, values: _Values) -> bool | None:
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    if "__" in kind:
        raise _Unsupported  # a transform (email__lower__…) or a related field
    if kind == "isnull":
        if not isinstance(wanted, bool):
            raise _Unsupported
        return (values[name] is None) == wanted
    if kind == "in":
        if not isinstance(wanted, list | tuple | set | frozenset) or any(
            item is None or hasattr(item, "resolve_expression") for item in wanted
        ):
            raise _Unsupported
        value = values[name]
        return None if value is None else value in wanted
    if kind not in _COMPARE:
        raise _Unsupported
    if isinstance(wanted, F):
        wanted = values[wanted.name]
    elif hasattr(wanted, "resolve_expression"):
        raise _Unsupported
    elif wanted is None:
        raise _Unsupported  # `field=None` means IS NULL to the ORM; not written in the app's checks
    value = values[name]
    if value is None or wanted is None:
        return None
    try:
        return bool(_COMPARE[kind](value, wanted))
    except TypeError:
        raise _Unsupported from None
