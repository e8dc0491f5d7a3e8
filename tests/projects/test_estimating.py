"""Tests for projects.estimating: hand-computed tables from TILE_MATH.md plus property tests.

No database and no Django: the module is pure.
"""

import ast
import dataclasses
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects import estimating
from projects.estimating import (
    DEFAULTS,
    EstimateWarning,
    GroutEstimate,
    ThinsetEstimate,
    TileEstimate,
    Trowel,
    default_waste_factor,
    format_inches,
    grout_bags,
    grout_pounds,
    is_large_format,
    is_plank,
    is_wet_surface,
    line_total,
    membrane_rolls,
    money,
    parse_fraction,
    spacers,
    thinset_bags,
    tile_boxes,
    trim_pieces,
    trowel_for_tile,
    warnings_for,
)

D = Decimal

# ---------------------------------------------------------------------------------------------------
# Waste factor

# Written out here (not read from DEFAULTS) so a wrong table fails the tests.
PATTERN_WASTE = {
    "straight_lay": "0.10",
    "brick_pattern": "0.10",
    "herringbone": "0.20",
    "diagonal": "0.15",
    "basket_weave": "0.15",
    "chevron": "0.20",
    "versailles": "0.15",
    "pinwheel": "0.10",
    "other": "0.15",
}
COMPLEXITY_ADD = {"simple": "0", "moderate": "0.03", "complex": "0.05"}


@pytest.mark.parametrize(
    ("pattern", "complexity", "expected"),
    [
        (pattern, complexity, D(base) + D(add))
        for (pattern, base), (complexity, add) in itertools.product(PATTERN_WASTE.items(), COMPLEXITY_ADD.items())
    ],
)
def test_default_waste_every_pattern_and_complexity(pattern, complexity, expected):
    assert default_waste_factor(pattern, complexity) == expected


@pytest.mark.parametrize(
    ("pattern", "complexity", "expected"),
    [
        ("herringbone", "simple", D("0.20")),
        ("straight_lay", "simple", D("0.10")),
        ("diagonal", "complex", D("0.20")),
        ("chevron", "moderate", D("0.23")),
    ],
)
def test_default_waste_spot_values(pattern, complexity, expected):
    assert default_waste_factor(pattern, complexity) == expected


@pytest.mark.parametrize("pattern", ["hexagon", "", None, "HERRINGBONE"])
def test_unknown_pattern_uses_the_other_default(pattern):
    assert default_waste_factor(pattern) == D("0.15")
    assert default_waste_factor(pattern, "complex") == D("0.20")


def test_missing_complexity_counts_as_simple():
    assert default_waste_factor("herringbone", None) == D("0.20")
    assert default_waste_factor("herringbone") == D("0.20")


@pytest.mark.parametrize(
    ("pattern", "complexity", "length", "width", "expected"),
    [
        ("straight_lay", "simple", D("12"), D("12"), D("0.10")),  # neither large nor plank
        ("straight_lay", "simple", D("14.9"), D("14.9"), D("0.10")),  # just under large format
        ("straight_lay", "simple", D("15"), D("15"), D("0.13")),  # large: 0.10 + 0.03
        ("straight_lay", "simple", D("12"), D("24"), D("0.13")),  # large, 24 < 3 x 12 so not a plank
        ("straight_lay", "simple", D("4"), D("12"), D("0.13")),  # plank: 12 >= 3 x 4, not large
        ("straight_lay", "simple", D("3"), D("12"), D("0.13")),  # plank
        ("straight_lay", "simple", D("4.1"), D("12"), D("0.10")),  # 12 < 12.3: not a plank
        ("straight_lay", "simple", D("6"), D("24"), D("0.16")),  # large + plank: 0.10 + 0.03 + 0.03
        ("straight_lay", "simple", D("24"), D("6"), D("0.16")),  # same tile given the other way round
        ("herringbone", "complex", D("24"), D("24"), D("0.28")),  # 0.20 + 0.05 + 0.03
        ("herringbone", "complex", D("8"), D("48"), D("0.31")),  # 0.20 + 0.05 + 0.03 + 0.03
        ("brick_pattern", "moderate", 3, 12, D("0.16")),  # ints accepted: 0.10 + 0.03 + plank 0.03
        ("other", "moderate", "6", "36", D("0.24")),  # str accepted: 0.15 + 0.03 + 0.03 + 0.03
    ],
)
def test_default_waste_tile_add_ons(pattern, complexity, length, width, expected):
    assert default_waste_factor(pattern, complexity, length, width) == expected


def test_default_waste_is_capped_below_one():
    greedy = dataclasses.replace(DEFAULTS, waste_by_pattern={**DEFAULTS.waste_by_pattern, "herringbone": D("0.98")})
    # 0.98 + 0.05 + 0.03 + 0.03 = 1.09, capped at 0.99
    assert default_waste_factor("herringbone", "complex", D("8"), D("48"), defaults=greedy) == D("0.99")


def test_default_waste_uses_the_defaults_passed():
    store = dataclasses.replace(DEFAULTS, waste_by_pattern={**DEFAULTS.waste_by_pattern, "straight_lay": D("0.07")})
    assert default_waste_factor("straight_lay", defaults=store) == D("0.07")
    assert default_waste_factor("straight_lay") == D("0.10")


def test_default_waste_is_quantized_to_hundredths():
    result = default_waste_factor("herringbone", "complex", D("8"), D("48"))
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"complexity_level": "extreme"}, ValueError),
        ({"tile_length_in": D("12")}, ValueError),  # one side only
        ({"tile_width_in": D("12")}, ValueError),
        ({"tile_length_in": D("0"), "tile_width_in": D("12")}, ValueError),
        ({"tile_length_in": D("-12"), "tile_width_in": D("12")}, ValueError),
        ({"tile_length_in": 12.0, "tile_width_in": D("12")}, TypeError),
    ],
)
def test_default_waste_rejects_nonsense(kwargs, error):
    with pytest.raises(error):
        default_waste_factor("straight_lay", **kwargs)


@pytest.mark.parametrize(
    ("length", "width", "large", "plank"),
    [
        (D("12"), D("12"), False, False),
        (D("15"), D("6"), True, False),  # 15 < 18
        (D("6"), D("15"), True, False),
        (D("14.99"), D("14.99"), False, False),
        (D("24"), D("24"), True, False),
        (D("6"), D("18"), True, True),  # 18 = 3 x 6
        (D("6"), D("17.99"), True, False),
        (D("2"), D("6"), False, True),
        (D("6"), D("2"), False, True),
        (D("8"), D("48"), True, True),
    ],
)
def test_large_format_and_plank(length, width, large, plank):
    assert is_large_format(length, width) is large
    assert is_plank(length, width) is plank


@pytest.mark.parametrize(("length", "width"), [(0, 12), (12, 0), (-1, 12), (12, -1)])
def test_shape_checks_reject_non_positive_sides(length, width):
    with pytest.raises(ValueError, match="greater than zero"):
        is_large_format(length, width)
    with pytest.raises(ValueError, match="greater than zero"):
        is_plank(length, width)


# ---------------------------------------------------------------------------------------------------
# Tile boxes


@pytest.mark.parametrize(
    ("area", "waste", "coverage", "sf_to_buy", "boxes", "sf_purchased", "effective"),
    [
        # 100 x 1.10 = 110.00; 110 / 10 = 11 boxes; 11 x 10 = 110; 110/100 - 1 = 0.1000
        (D("100"), D("0.10"), D("10"), D("110.00"), 11, D("110"), D("0.1000")),
        # 100 x 1.10 = 110.00; 110 / 15.5 = 7.10 -> 8; 8 x 15.5 = 124.0; 124/100 - 1 = 0.2400
        (D("100"), D("0.10"), D("15.5"), D("110.00"), 8, D("124.0"), D("0.2400")),
        # 47.3 x 1.15 = 54.395 -> up to 54.40; 54.40 / 13.56 = 4.01 -> 5; 5 x 13.56 = 67.80;
        # 67.80 / 47.3 - 1 = 0.43340 -> 0.4334
        (D("47.3"), D("0.15"), D("13.56"), D("54.40"), 5, D("67.80"), D("0.4334")),
        # no waste, exactly one box: 12.34 / 12.34 = 1; effective 0
        (D("12.34"), D("0"), D("12.34"), D("12.34"), 1, D("12.34"), D("0.0000")),
        # 33.33 x 1.20 = 39.996 -> up to 40.00; 40 / 10.76 = 3.72 -> 4; 43.04;
        # 43.04 / 33.33 - 1 = 0.29133 -> 0.2913
        (D("33.33"), D("0.20"), D("10.76"), D("40.00"), 4, D("43.04"), D("0.2913")),
        # 80 x 1.10 = 88.00; 88 / 8 = 11 exactly -> 11 boxes, nothing extra: effective 0.1000
        (D("80"), D("0.10"), D("8"), D("88.00"), 11, D("88"), D("0.1000")),
        # 80.01 x 1.10 = 88.011 -> 88.02; 88.02 / 8 = 11.0025 -> 12; 96; 96/80.01 - 1 = 0.19985 -> 0.1999
        (D("80.01"), D("0.10"), D("8"), D("88.02"), 12, D("96"), D("0.1999")),
        # ints and strings are accepted: 200 x 1.15 = 230; 230 / 15 = 15.33 -> 16; 240; 0.2000
        (200, "0.15", 15, D("230.00"), 16, D("240"), D("0.2000")),
    ],
)
def test_tile_boxes_hand_computed(area, waste, coverage, sf_to_buy, boxes, sf_purchased, effective):
    result = tile_boxes(area, waste, coverage)
    assert result == TileEstimate(
        sf_to_buy=sf_to_buy, boxes=boxes, sf_purchased=sf_purchased, effective_waste=effective
    )
    assert result.sf_to_buy.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("area", "waste", "coverage", "error"),
    [
        (D("0"), D("0.10"), D("10"), ValueError),
        (D("-5"), D("0.10"), D("10"), ValueError),
        (D("100"), D("0.10"), D("0"), ValueError),
        (D("100"), D("0.10"), D("-10"), ValueError),
        (D("100"), D("-0.01"), D("10"), ValueError),
        (D("100"), D("1"), D("10"), ValueError),
        (D("100"), D("1.5"), D("10"), ValueError),
        (100.0, D("0.10"), D("10"), TypeError),
        (D("100"), 0.1, D("10"), TypeError),
        (D("100"), D("0.10"), 10.5, TypeError),
        ("lots", D("0.10"), D("10"), ValueError),
        (D("NaN"), D("0.10"), D("10"), ValueError),
        (D("Infinity"), D("0.10"), D("10"), ValueError),
        (True, D("0.10"), D("10"), TypeError),
        (None, D("0.10"), D("10"), TypeError),
    ],
)
def test_tile_boxes_rejects_nonsense(area, waste, coverage, error):
    with pytest.raises(error):
        tile_boxes(area, waste, coverage)


areas = st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2, allow_nan=False, allow_infinity=False)
wastes = st.decimals(min_value=D("0"), max_value=D("0.99"), places=2, allow_nan=False, allow_infinity=False)
coverages = st.decimals(min_value=D("0.01"), max_value=D("200"), places=2, allow_nan=False, allow_infinity=False)


@given(area=areas, waste=wastes, coverage=coverages)
def test_boxes_always_cover_area_plus_waste(area, waste, coverage):
    result = tile_boxes(area, waste, coverage)
    assert result.boxes * coverage >= area * (1 + waste)
    assert result.sf_purchased == result.boxes * coverage
    assert result.sf_to_buy >= area * (1 + waste)
    # one box fewer would not be enough
    assert (result.boxes - 1) * coverage < result.sf_to_buy


@given(area=areas, extra=areas, waste=wastes, coverage=coverages)
def test_more_area_never_means_fewer_boxes(area, extra, waste, coverage):
    assert tile_boxes(area + extra, waste, coverage).boxes >= tile_boxes(area, waste, coverage).boxes


@given(area=areas, waste=wastes, coverage=coverages)
def test_tile_boxes_types_and_signs(area, waste, coverage):
    result = tile_boxes(area, waste, coverage)
    assert type(result.boxes) is int
    for value in (result.sf_to_buy, result.sf_purchased, result.effective_waste):
        assert isinstance(value, Decimal)
        assert value >= 0
    assert result.boxes >= 1


@given(area=areas, waste=wastes, coverage=coverages)
def test_effective_waste_is_at_least_the_waste_asked_for(area, waste, coverage):
    assert tile_boxes(area, waste, coverage).effective_waste >= waste - D("0.0001")


# ---------------------------------------------------------------------------------------------------
# Grout


def test_grout_worked_check_from_tile_math():
    # ((12 + 12) / (12 x 12)) x 1/8 x 3/8 x (100 x 144) = 112.5 in³; x 100/1728 = 6.5104 lb -> 6.5
    result = grout_pounds(D("12"), D("12"), D("0.375"), D("0.125"), D("100"))
    assert result.volume_cubic_in == D("112.5")
    assert result.pounds == D("6.5")
    # 6.5104 x 1.10 = 7.1615 -> up to 7.2
    assert result.pounds_with_loss == D("7.2")
    assert result.sanded is False


@pytest.mark.parametrize(
    ("length", "width", "thickness", "joint", "area", "sanded", "volume", "pounds", "with_loss", "is_sanded"),
    [
        # forced sanded on the worked check: 112.5 x 110/1728 = 7.1615 -> 7.2; x 1.1 = 7.8776 -> 7.9
        (D("12"), D("12"), D("0.375"), D("0.125"), D("100"), True, D("112.50"), D("7.2"), D("7.9"), True),
        # 3/16 in joint defaults to sanded: (36/288) x 0.1875 x 0.375 x 14400 = 126.5625 -> 126.56 in³;
        # x 110/1728 = 8.0566 -> 8.1; x 1.1 = 8.8623 -> up to 8.9
        (D("12"), D("24"), D("0.375"), D("0.1875"), D("100"), None, D("126.56"), D("8.1"), D("8.9"), True),
        # same tile forced unsanded: 126.5625 x 100/1728 = 7.3242 -> 7.3; x 1.1 = 8.0566 -> 8.1
        (D("12"), D("24"), D("0.375"), D("0.1875"), D("100"), False, D("126.56"), D("7.3"), D("8.1"), False),
        # 1/8 in joint is not wider than 1/8: unsanded. 2x2 mosaic, 1/4 thick, 50 sq ft:
        # (4/4) x 0.125 x 0.25 x 7200 = 225 in³; x 100/1728 = 13.0208 -> 13.0; x 1.1 = 14.3229 -> 14.4
        (D("2"), D("2"), D("0.25"), D("0.125"), D("50"), None, D("225.00"), D("13.0"), D("14.4"), False),
        # 1/4 in joint, 6x6 tile 3/8 thick, 40 sq ft: (12/36) x 0.25 x 0.375 x 5760 = 180 in³;
        # sanded: 180 x 110/1728 = 11.4583 -> 11.5; x 1.1 = 12.6042 -> 12.7
        (D("6"), D("6"), D("0.375"), D("0.25"), D("40"), None, D("180.00"), D("11.5"), D("12.7"), True),
    ],
)
def test_grout_pounds_table(length, width, thickness, joint, area, sanded, volume, pounds, with_loss, is_sanded):
    result = grout_pounds(length, width, thickness, joint, area, sanded=sanded)
    assert result == GroutEstimate(volume_cubic_in=volume, pounds=pounds, pounds_with_loss=with_loss, sanded=is_sanded)


@pytest.mark.parametrize(
    "args",
    [
        (0, 12, D("0.375"), D("0.125"), 100),
        (12, -12, D("0.375"), D("0.125"), 100),
        (12, 12, 0, D("0.125"), 100),
        (12, 12, D("0.375"), 0, 100),
        (12, 12, D("0.375"), D("0.125"), 0),
        (12, 12, D("0.375"), D("0.125"), -100),
    ],
)
def test_grout_pounds_rejects_non_positive_inputs(args):
    with pytest.raises(ValueError, match="greater than zero"):
        grout_pounds(*args)


def test_grout_pounds_rejects_floats():
    with pytest.raises(TypeError, match="float"):
        grout_pounds(12, 12, 0.375, D("0.125"), 100)


@given(
    side=st.decimals(min_value=D("1"), max_value=D("48"), places=2),
    joint=st.decimals(min_value=D("0.0625"), max_value=D("0.5"), places=4),
    area=st.decimals(min_value=D("1"), max_value=D("2000"), places=2),
)
def test_grout_with_loss_is_never_below_pounds(side, joint, area):
    result = grout_pounds(side, side, D("0.375"), joint, area)
    assert result.pounds_with_loss >= result.pounds
    assert all(isinstance(v, Decimal) for v in (result.volume_cubic_in, result.pounds, result.pounds_with_loss))
    assert result.pounds >= 0
    # rounded up, so even a tiny job buys some grout
    assert result.pounds_with_loss > 0
    assert result.sanded is (joint > D("0.125"))


@pytest.mark.parametrize(
    ("pounds", "bag", "expected"),
    [
        (D("7.2"), D("10"), 1),  # 0.72 -> 1
        (D("25"), D("25"), 1),  # exactly one bag
        (D("25.1"), D("25"), 2),  # 1.004 -> 2
        (D("0"), D("25"), 0),  # nothing to grout
        (D("49.9"), D("10"), 5),  # 4.99 -> 5
        (D("50.0"), D("10"), 5),  # 5 exactly
        (12, 25, 1),
    ],
)
def test_grout_bags(pounds, bag, expected):
    assert grout_bags(pounds, bag) == expected
    assert type(grout_bags(pounds, bag)) is int


@pytest.mark.parametrize(("pounds", "bag"), [(D("-1"), D("25")), (D("10"), D("0")), (D("10"), D("-25"))])
def test_grout_bags_rejects_nonsense(pounds, bag):
    with pytest.raises(ValueError):
        grout_bags(pounds, bag)


# ---------------------------------------------------------------------------------------------------
# Thinset

QUARTER = Trowel("1/4 x 1/4 in square", D("95"))
QUARTER_3_8 = Trowel("1/4 x 3/8 in square", D("75"))
HALF = Trowel("1/2 x 1/2 in square", D("50"))
U_NOTCH = Trowel("3/4 in U-notch", D("45"))


@pytest.mark.parametrize(
    ("length", "width", "trowel"),
    [
        (D("2"), D("2"), QUARTER),  # mosaic
        (D("4"), D("4"), QUARTER),
        (D("3"), D("6"), QUARTER),  # small subway
        (D("8"), D("8"), QUARTER),  # top of the small band
        (D("8.5"), D("8.5"), QUARTER_3_8),  # gap between bands goes to the next one
        (D("10"), D("10"), QUARTER_3_8),
        (D("12"), D("12"), QUARTER_3_8),
        (D("4"), D("12"), QUARTER_3_8),  # subway plank, longest side 12
        (D("17"), D("17"), QUARTER_3_8),  # top of the medium band
        (D("17.5"), D("17.5"), HALF),
        (D("18"), D("18"), HALF),
        (D("12"), D("24"), HALF),
        (D("24"), D("12"), HALF),
        (D("12"), D("36"), HALF),
        (D("6"), D("24"), HALF),  # plank
        (D("8"), D("48"), HALF),  # long plank, short side under 24
        (D("23.4"), D("48"), HALF),  # more than 1/2 in short of 24: not a nominal 24
        (D("23.5"), D("48"), U_NOTCH),  # within the 1/2 in nominal tolerance
        (D("23.62"), D("23.62"), U_NOTCH),  # 600 x 600 mm, sold as 24 x 24
        (D("24"), D("24"), U_NOTCH),
        (D("24"), D("48"), U_NOTCH),
        (D("48"), D("48"), U_NOTCH),
    ],
)
def test_trowel_for_tile(length, width, trowel):
    assert trowel_for_tile(length, width) == trowel


@pytest.mark.parametrize(
    ("area", "length", "width", "kwargs", "bags", "sf_per_bag", "coverage", "back_butter"),
    [
        # 4x4: 95 sq ft a bag; 90 / 95 -> 1; 100 / 95 = 1.05 -> 2
        (D("90"), D("4"), D("4"), {}, 1, D("95"), D("80"), False),
        (D("100"), D("4"), D("4"), {}, 2, D("95"), D("80"), False),
        # 12x12: 75 a bag; 70 / 75 -> 1 dry
        (D("70"), D("12"), D("12"), {}, 1, D("75"), D("80"), False),
        # wet: 70 x 95/80 = 83.125; / 75 = 1.11 -> 2
        (D("70"), D("12"), D("12"), {"wet_area": True}, 2, D("75"), D("95"), False),
        # stone: 64 x 100/80 = 80; / 75 = 1.07 -> 2 (dry would be 64 / 75 -> 1)
        (D("64"), D("12"), D("12"), {"natural_stone": True}, 2, D("75"), D("100"), False),
        (D("64"), D("12"), D("12"), {}, 1, D("75"), D("80"), False),
        # wet stone takes the higher 100 %: 60 x 1.25 = 75; / 75 = 1 exactly
        (D("60"), D("12"), D("12"), {"wet_area": True, "natural_stone": True}, 1, D("75"), D("100"), False),
        # 25 lb bag: 75 x 25/50 = 37.5 sq ft a bag; 70 / 37.5 = 1.87 -> 2
        (D("70"), D("12"), D("12"), {"bag_lb": D("25")}, 2, D("37.5"), D("80"), False),
        # 12x24: 50 a bag, large format -> back-butter; 200 / 50 = 4, + 200/100 x 0.5 = 1 -> 5
        (D("200"), D("12"), D("24"), {}, 5, D("50"), D("80"), True),
        # 12x24 wet: 200 x 95/80 = 237.5; / 50 = 4.75, + 1 back-butter = 5.75 -> 6
        (D("200"), D("12"), D("24"), {"wet_area": True}, 6, D("50"), D("95"), True),
        # 24x24: U-notch 45 a bag; 100 / 45 = 2.22, + 0.5 back-butter = 2.72 -> 3
        (D("100"), D("24"), D("24"), {}, 3, D("45"), D("80"), True),
        # 24x48 wet: 100 x 95/80 = 118.75; / 45 = 2.64, + 0.5 = 3.14 -> 4
        (D("100"), D("24"), D("48"), {"wet_area": True}, 4, D("45"), D("95"), True),
        # 18x18 stone: 120 x 1.25 = 150; / 50 = 3, + 1.2 x 0.5 = 0.6 -> 3.6 -> 4
        (D("120"), D("18"), D("18"), {"natural_stone": True}, 4, D("50"), D("100"), True),
        # 40 lb bag on 6x24 plank: 50 x 40/50 = 40 a bag; 100 / 40 = 2.5, + 0.5 x 50/40 = 0.625 -> 4
        (D("100"), D("6"), D("24"), {"bag_lb": 40}, 4, D("40"), D("80"), True),
        # explicit 50 lb bag behaves like the default
        (D("100"), D("12"), D("12"), {"bag_lb": D("50")}, 2, D("75"), D("80"), False),
    ],
)
def test_thinset_bags(area, length, width, kwargs, bags, sf_per_bag, coverage, back_butter):
    result = thinset_bags(area, length, width, **kwargs)
    assert result.bags == bags
    assert result.sf_per_bag == sf_per_bag
    assert result.coverage_pct == coverage
    assert result.back_butter is back_butter
    assert result.trowel == trowel_for_tile(length, width)
    assert isinstance(result, ThinsetEstimate)


@pytest.mark.parametrize(
    ("area", "length", "width", "kwargs"),
    [
        (D("0"), D("12"), D("12"), {}),
        (D("-10"), D("12"), D("12"), {}),
        (D("100"), D("0"), D("12"), {}),
        (D("100"), D("12"), D("12"), {"bag_lb": D("0")}),
        (D("100"), D("12"), D("12"), {"bag_lb": D("-50")}),
    ],
)
def test_thinset_rejects_nonsense(area, length, width, kwargs):
    with pytest.raises(ValueError):
        thinset_bags(area, length, width, **kwargs)


@given(
    area=st.decimals(min_value=D("1"), max_value=D("5000"), places=2),
    length=st.decimals(min_value=D("1"), max_value=D("48"), places=2),
    width=st.decimals(min_value=D("1"), max_value=D("48"), places=2),
)
def test_wet_and_stone_never_need_fewer_bags_than_dry(area, length, width):
    dry = thinset_bags(area, length, width)
    wet = thinset_bags(area, length, width, wet_area=True)
    stone = thinset_bags(area, length, width, natural_stone=True)
    assert dry.bags >= 1
    assert dry.bags <= wet.bags <= stone.bags
    # bags always cover the area at the wanted contact
    assert wet.bags * wet.sf_per_bag * D("80") >= area * D("95")


# ---------------------------------------------------------------------------------------------------
# Trim, membrane, spacers


@pytest.mark.parametrize(
    ("linear_ft", "piece_ft", "expected"),
    [
        (D("20"), None, 5),  # 20 x 1.05 = 21; / 8 = 2.625 -> 3; + 2 spares
        (D("0"), None, 0),  # no trim run, no spares either
        (D("7.6"), None, 3),  # 7.98 / 8 -> 1; + 2
        (D("7.62"), None, 4),  # 8.001 / 8 -> 2; + 2
        (D("10"), D("4"), 5),  # 10.5 / 4 = 2.625 -> 3; + 2
        (D("40"), D("8"), 8),  # 42 / 8 = 5.25 -> 6; + 2
        (D("80"), D("10.5"), 10),  # 84 / 10.5 = 8 exactly; + 2
        (12, "8", 4),  # 12.6 / 8 -> 2; + 2
    ],
)
def test_trim_pieces(linear_ft, piece_ft, expected):
    assert trim_pieces(linear_ft, piece_ft) == expected


@pytest.mark.parametrize(("linear_ft", "piece_ft"), [(D("-1"), None), (D("10"), D("0")), (D("10"), D("-8"))])
def test_trim_pieces_rejects_nonsense(linear_ft, piece_ft):
    with pytest.raises(ValueError):
        trim_pieces(linear_ft, piece_ft)


def test_membrane_roll_sizes_are_in_the_table():
    assert DEFAULTS.membrane_roll_small_sf == D("54")
    assert DEFAULTS.membrane_roll_large_sf == D("323")


@pytest.mark.parametrize(
    ("area", "roll", "expected"),
    [
        (D("54"), D("54"), 1),  # exactly one small roll
        (D("55"), D("54"), 2),  # 1.02 -> 2
        (D("100"), D("54"), 2),  # 1.85 -> 2
        (D("108"), D("54"), 2),  # exactly two
        (D("323"), D("323"), 1),
        (D("324"), D("323"), 2),
        (D("1000"), D("323"), 4),  # 3.10 -> 4
        (D("0.5"), D("323"), 1),
    ],
)
def test_membrane_rolls(area, roll, expected):
    assert membrane_rolls(area, roll) == expected


@pytest.mark.parametrize(("area", "roll"), [(D("0"), D("54")), (D("-1"), D("54")), (D("10"), D("0"))])
def test_membrane_rolls_rejects_nonsense(area, roll):
    with pytest.raises(ValueError):
        membrane_rolls(area, roll)


@pytest.mark.parametrize(
    ("area", "length", "width", "joint", "expected"),
    [
        # side = sqrt(14400) = 120; 120 / 12.125 = 9.9 -> 10 each way; 9 x 9 = 81
        (D("100"), D("12"), D("12"), D("0.125"), 81),
        (D("100"), D("12"), D("12"), None, 81),  # default joint is 1/8 in
        # 120 / 24.125 = 4.97 -> 5; 120 / 12.125 -> 10; 4 x 9 = 36
        (D("100"), D("24"), D("12"), D("0.125"), 36),
        # side 12 in: one 12x12 tile, no inside corners
        (D("1"), D("12"), D("12"), D("0.125"), 0),
        # side = sqrt(7200) = 84.85; / 6.1875 = 13.7 -> 14; 13 x 13 = 169
        (D("50"), D("6"), D("6"), D("0.1875"), 169),
        # side = sqrt(3600) = 60; / 3.0625 = 19.6 -> 20 and / 6.0625 = 9.9 -> 10; 19 x 9 = 171
        (D("25"), D("3"), D("6"), D("0.0625"), 171),
    ],
)
def test_spacers(area, length, width, joint, expected):
    assert spacers(area, length, width, joint) == expected


@pytest.mark.parametrize(
    "args",
    [
        (D("0"), D("12"), D("12"), D("0.125")),
        (D("100"), D("0"), D("12"), D("0.125")),
        (D("100"), D("12"), D("-12"), D("0.125")),
        (D("100"), D("12"), D("12"), D("0")),
        (D("100"), D("12"), D("12"), D("-0.125")),
    ],
)
def test_spacers_rejects_nonsense(args):
    with pytest.raises(ValueError):
        spacers(*args)


@given(
    area=st.decimals(min_value=D("1"), max_value=D("2000"), places=2),
    extra=st.decimals(min_value=D("0"), max_value=D("500"), places=2),
    side=st.decimals(min_value=D("1"), max_value=D("48"), places=2),
)
def test_spacers_never_negative_and_grow_with_area(area, extra, side):
    count = spacers(area, side, side)
    assert count >= 0
    assert spacers(area + extra, side, side) >= count


@pytest.mark.parametrize(
    ("surface", "wet"),
    [
        ("shower_walls", True),
        ("shower_floor", True),
        ("tub_surround", True),
        ("exterior_wall", True),
        ("backsplash", False),
        ("floor", False),
        ("accent_wall", False),
        ("fireplace", False),
        ("countertop", False),
        ("wainscoting", False),
        ("ceiling", False),
        ("other", False),
        ("", False),
        (None, False),
    ],
)
def test_is_wet_surface(surface, wet):
    assert is_wet_surface(surface) is wet


# ---------------------------------------------------------------------------------------------------
# Inches


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("0.125"), "1/8 in"),
        (D("0.1875"), "3/16 in"),
        (D("12"), "12 in"),
        (D("12.00"), "12 in"),
        (D("11.25"), "11 1/4 in"),
        (D("0.0625"), "1/16 in"),
        (D("0.5"), "1/2 in"),
        (D("0.375"), "3/8 in"),
        (D("1.5"), "1 1/2 in"),
        (D("23.75"), "23 3/4 in"),
        (D("0.015625"), "1/64 in"),
        (D("100"), "100 in"),
        (D("0"), "0 in"),
        (D("0.1"), "0.1 in"),  # not a 64th: plain decimal
        (D("12.3"), "12.3 in"),
        (3, "3 in"),
        ("0.25", "1/4 in"),
    ],
)
def test_format_inches(value, text):
    assert format_inches(value) == text


@pytest.mark.parametrize(("value", "error"), [(D("-0.125"), ValueError), (0.125, TypeError), ("eighth", ValueError)])
def test_format_inches_rejects_nonsense(value, error):
    with pytest.raises(error):
        format_inches(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1/8", D("0.125")),
        ("3/16", D("0.1875")),
        ("1/16", D("0.0625")),
        ("0.125", D("0.125")),
        (".5", D("0.5")),
        ("12", D("12")),
        ("1 1/4", D("1.25")),
        ("1-1/4", D("1.25")),
        ("11 1/4", D("11.25")),
        ("  3/8  ", D("0.375")),
        ("3 / 8", D("0.375")),
        ("3/8 in", D("0.375")),
        ('3/8"', D("0.375")),
        ("12 inches", D("12")),
        ("5/4", D("1.25")),
        ("0", D("0")),
    ],
)
def test_parse_fraction(text, value):
    result = parse_fraction(text)
    assert result == value
    assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "1/0",
        "1 1/0",
        "1/",
        "/8",
        "-1/8",
        "-0.125",
        "1 5/4",
        "1.5/2",
        "1e3",
        "nan",
        "inf",
        "1 1",
        "1//8",
    ],
)
def test_parse_fraction_rejects_nonsense(text):
    with pytest.raises(ValueError):
        parse_fraction(text)


def test_parse_fraction_rejects_non_text():
    with pytest.raises(TypeError):
        parse_fraction(0.125)


@given(sixty_fourths=st.integers(min_value=0, max_value=64 * 60))
def test_format_and_parse_round_trip(sixty_fourths):
    value = D(sixty_fourths) / 64
    text = format_inches(value)
    assert text.endswith(" in")
    assert parse_fraction(text) == value


# ---------------------------------------------------------------------------------------------------
# Money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1.005"), D("1.01")),  # half-up, not banker's rounding
        (D("1.004"), D("1.00")),
        (D("2.675"), D("2.68")),
        (D("0.125"), D("0.13")),
        (D("-1.005"), D("-1.01")),
        (12, D("12.00")),
        ("19.999", D("20.00")),
    ],
)
def test_money(value, expected):
    result = money(value)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("quantity", "price", "expected"),
    [
        (D("11"), D("42.99"), D("472.89")),  # 11 x 42.99
        (D("3"), D("0.335"), D("1.01")),  # 1.005 -> 1.01: rounds once, on the total
        (D("124.0"), D("3.49"), D("432.76")),  # sq ft priced: 432.76
        (D("0"), D("9.99"), D("0.00")),
        (2, "5.50", D("11.00")),
    ],
)
def test_line_total(quantity, price, expected):
    assert line_total(quantity, price) == expected


@pytest.mark.parametrize(
    ("quantity", "price", "error"),
    [
        (D("-1"), D("5"), ValueError),
        (D("1"), D("-5"), ValueError),
        (1.5, D("5"), TypeError),
        (D("1"), 4.99, TypeError),
    ],
)
def test_line_total_rejects_nonsense(quantity, price, error):
    with pytest.raises(error):
        line_total(quantity, price)


def test_money_rejects_float():
    with pytest.raises(TypeError, match="float"):
        money(0.1)


# ---------------------------------------------------------------------------------------------------
# Warnings


def codes(found):
    return [w.code for w in found]


def test_no_inputs_no_warnings():
    assert warnings_for() == []


@pytest.mark.parametrize(
    ("edge", "joint", "warned"),
    [
        ("rectified", D("0.0625"), True),
        ("rectified", D("0.125"), False),  # exactly the minimum is fine
        ("rectified", D("0.1875"), False),
        ("pressed", D("0.125"), True),
        ("pressed", D("0.1875"), False),
        ("pressed", D("0.25"), False),
        ("stone", D("0.03125"), True),
        ("stone", D("0.0625"), False),
        ("stone", D("0"), True),
    ],
)
def test_joint_minimum_by_edge_type(edge, joint, warned):
    found = warnings_for(edge_type=edge, joint_width_in=joint)
    assert codes(found) == (["joint_below_minimum"] if warned else [])


@pytest.mark.parametrize(
    ("edge", "joint", "message"),
    [
        (
            "pressed",
            D("0.0625"),
            "Joint 1/16 in is narrower than the 3/16 in ANSI A108.02 minimum for pressed tile.",
        ),
        (
            "rectified",
            D("0.0625"),
            "Joint 1/16 in is narrower than the 1/8 in ANSI A108.02 minimum for rectified tile.",
        ),
        (
            "stone",
            D("0.03125"),
            "Joint 1/32 in is narrower than the 1/16 in ANSI A108.02 minimum for natural stone.",
        ),
    ],
)
def test_joint_warning_message(edge, joint, message):
    (warning,) = warnings_for(edge_type=edge, joint_width_in=joint)
    assert warning == EstimateWarning(code="joint_below_minimum", message=message, level="warning")


def test_joint_check_needs_both_inputs():
    assert warnings_for(edge_type="pressed") == []
    assert warnings_for(joint_width_in=D("0.0625")) == []


def test_unknown_edge_type_is_an_error():
    with pytest.raises(ValueError, match="edge type"):
        warnings_for(edge_type="tumbled", joint_width_in=D("0.125"))


@pytest.mark.parametrize(
    ("pattern", "length", "width", "offset", "warned"),
    [
        ("brick_pattern", D("24"), D("12"), D("50"), True),
        ("brick_pattern", D("12"), D("24"), D("50"), True),  # long side is the width here
        ("brick_pattern", D("24"), D("12"), D("34"), True),
        ("brick_pattern", D("24"), D("12"), D("33"), False),  # 33 % is the limit, not over it
        ("brick_pattern", D("24"), D("12"), D("25"), False),
        ("brick_pattern", D("14"), D("7"), D("50"), False),  # long side not over 14 in
        ("brick_pattern", D("14.5"), D("7"), D("50"), True),
        ("brick_pattern", D("3"), D("6"), D("50"), False),  # small subway: half offset is fine
        ("straight_lay", D("24"), D("12"), D("50"), False),  # not a running bond
        ("brick_pattern", D("24"), D("12"), None, False),  # offset unknown
        ("brick_pattern", D("24"), None, D("50"), True),  # one side known is enough
    ],
)
def test_running_bond_lippage(pattern, length, width, offset, warned):
    found = warnings_for(pattern_type=pattern, tile_length_in=length, tile_width_in=width, bond_offset_pct=offset)
    assert codes(found) == (["bond_offset_lippage"] if warned else [])


def test_running_bond_message_has_the_numbers():
    (warning,) = warnings_for(
        pattern_type="brick_pattern", tile_length_in=D("24"), tile_width_in=D("12"), bond_offset_pct=D("50")
    )
    assert warning.level == "warning"
    assert "50%" in warning.message
    assert "24 in" in warning.message
    assert "33%" in warning.message
    assert "lippage" in warning.message


@pytest.mark.parametrize("offset", [D("-1"), D("101")])
def test_running_bond_offset_must_be_a_percent(offset):
    with pytest.raises(ValueError):
        warnings_for(pattern_type="brick_pattern", tile_length_in=24, tile_width_in=12, bond_offset_pct=offset)


@pytest.mark.parametrize(
    ("surface", "length", "width", "warned"),
    [
        ("shower_walls", D("24"), D("12"), True),
        ("shower_floor", D("15"), D("15"), True),
        ("tub_surround", D("12"), D("24"), True),
        ("exterior_wall", D("24"), D("48"), True),
        ("shower_walls", D("12"), D("12"), False),  # not large format
        ("shower_walls", D("14.99"), D("3"), False),
        ("backsplash", D("24"), D("12"), False),  # not wet
        ("floor", D("24"), D("24"), False),
        (None, D("24"), D("24"), False),
        ("shower_walls", None, None, False),  # size unknown
    ],
)
def test_large_format_in_wet_area(surface, length, width, warned):
    found = warnings_for(surface_type=surface, tile_length_in=length, tile_width_in=width)
    assert codes(found) == (["large_format_wet_area"] if warned else [])


def test_large_format_wet_message():
    (warning,) = warnings_for(surface_type="shower_walls", tile_length_in=D("24"), tile_width_in=D("12"))
    assert warning.message == (
        "Large-format tile (24 x 12 in) in a wet area: trowel for 95% mortar coverage and back-butter every tile."
    )
    assert warning.level == "warning"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"discontinued": True}, [("discontinued", "warning")]),
        ({"special_order": True}, [("special_order", "info")]),
        ({"in_stock": False}, [("out_of_stock", "warning")]),
        ({"discontinued": False, "special_order": False, "in_stock": True}, []),
        (
            {"discontinued": True, "special_order": True, "in_stock": False},
            [("discontinued", "warning"), ("special_order", "info"), ("out_of_stock", "warning")],
        ),
    ],
)
def test_product_status_warnings(kwargs, expected):
    assert [(w.code, w.level) for w in warnings_for(**kwargs)] == expected


def test_special_order_mentions_lead_time():
    (warning,) = warnings_for(special_order=True)
    assert "lead time" in warning.message


@pytest.mark.parametrize(
    ("needed", "ordered", "message"),
    [
        (10, 8, "Only 8 boxes ordered but 10 boxes needed: add 2 boxes."),
        (D("3"), D("2"), "Only 2 boxes ordered but 3 boxes needed: add 1 box."),
        (D("2"), D("1"), "Only 1 box ordered but 2 boxes needed: add 1 box."),
        (D("12.00"), D("0"), "Only 0 boxes ordered but 12 boxes needed: add 12 boxes."),
        (10, 10, None),  # enough
        (10, 12, None),  # more than enough
        (10, None, None),  # nothing ordered yet: nothing to compare
        (None, 5, None),
    ],
)
def test_boxes_short(needed, ordered, message):
    found = warnings_for(boxes_needed=needed, boxes_ordered=ordered)
    if message is None:
        assert found == []
    else:
        assert found == [EstimateWarning(code="boxes_short", message=message, level="warning")]


def test_boxes_cannot_be_negative():
    with pytest.raises(ValueError):
        warnings_for(boxes_needed=-1, boxes_ordered=0)


def test_everything_at_once_in_a_stable_order():
    found = warnings_for(
        surface_type="shower_walls",
        pattern_type="brick_pattern",
        tile_length_in=D("24"),
        tile_width_in=D("12"),
        edge_type="pressed",
        joint_width_in=D("0.0625"),
        bond_offset_pct=D("50"),
        discontinued=True,
        special_order=True,
        in_stock=False,
        boxes_needed=10,
        boxes_ordered=8,
    )
    assert codes(found) == [
        "joint_below_minimum",
        "bond_offset_lippage",
        "large_format_wet_area",
        "discontinued",
        "special_order",
        "out_of_stock",
        "boxes_short",
    ]
    assert all(w.level in {"info", "warning"} for w in found)


def test_a_good_selection_has_no_warnings():
    found = warnings_for(
        surface_type="floor",
        pattern_type="brick_pattern",
        tile_length_in=D("24"),
        tile_width_in=D("12"),
        edge_type="rectified",
        joint_width_in=D("0.125"),
        bond_offset_pct=D("33"),
        boxes_needed=10,
        boxes_ordered=10,
    )
    assert found == []


def test_warnings_are_frozen():
    (warning,) = warnings_for(discontinued=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        warning.level = "info"


# ---------------------------------------------------------------------------------------------------
# Coercion shared by every function


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: tile_boxes(D("100"), D("0.1"), 10.0), TypeError),
        (lambda: grout_bags(7.2, 10), TypeError),
        (lambda: thinset_bags(100.0, 12, 12), TypeError),
        (lambda: trim_pieces(20.0), TypeError),
        (lambda: membrane_rolls(100, 54.0), TypeError),
        (lambda: spacers(100, 12, 12, 0.125), TypeError),
        (lambda: trowel_for_tile(12.0, 12), TypeError),
        (lambda: warnings_for(edge_type="pressed", joint_width_in=0.0625), TypeError),
        (lambda: money(True), TypeError),
        (lambda: line_total([1], 2), TypeError),
        (lambda: membrane_rolls("a lot", 54), ValueError),
    ],
)
def test_floats_and_junk_are_refused_everywhere(call, error):
    with pytest.raises(error):
        call()


def test_defaults_table_cannot_be_edited_in_place():
    with pytest.raises(TypeError):
        DEFAULTS.waste_by_pattern["herringbone"] = D("0.50")
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULTS.plank_add = D("0.10")


def test_module_imports_only_the_standard_library():
    tree = ast.parse(Path(estimating.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "collections", "dataclasses", "decimal", "enum", "math", "re", "types"}
