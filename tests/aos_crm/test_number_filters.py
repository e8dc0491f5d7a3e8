"""The design page's `money` and `quantity` filters write what Django's `floatformat:"2g"` and
`floatformat:"-2"` write for the same values (they replace them on the hot path)."""

from decimal import Decimal as D

import pytest
from django.template.defaultfilters import floatformat

from aos_crm.templatetags.aos_tags import money, quantity

VALUES = [
    None,
    "",
    "abc",
    "12.5",
    True,
    0,
    1000,
    165,
    0.1 + 0.2,
    1e-7,
    1234567.891,
    D("0"),
    D("-0"),
    D("0.004"),
    D("0.005"),
    D("-0.004"),
    D("2.345"),
    D("2.355"),
    D("-2.345"),
    D("35.2"),
    D("35.20"),
    D("1443.3"),
    D("1443.30"),
    D("999999.995"),
    D("1E+3"),
    D("12.999"),
    D("NaN"),
    D("Infinity"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_money_writes_what_floatformat_2g_writes(value):
    assert money(value) == floatformat(value, "2g")


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_quantity_writes_what_floatformat_minus_2_writes(value):
    assert quantity(value) == floatformat(value, "-2")
