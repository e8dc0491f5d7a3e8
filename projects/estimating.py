"""Tile estimating: how much tile, grout, thinset, trim, membrane and spacers a surface needs.

Pure rules, no Django: nothing here touches the ORM or a request, so a view, a service, a quote or a
test can call it with plain values. The figures come from ``/work/shared/TILE_MATH.md`` (industry
numbers gathered from public calculators, manufacturer guides and the ANSI A108 notes they cite).
Sources disagree, so every default number lives in one table, :data:`DEFAULTS`; a store that wants
other figures builds its own with ``dataclasses.replace(DEFAULTS, ...)`` and passes it as
``defaults=``.

Money and quantities never touch ``float``: every input goes through :func:`_d`, which accepts
``Decimal``, ``int`` or a numeric ``str`` and refuses floats. Rounding is always explicit:

* anything bought in whole units (boxes, bags, rolls, trim pieces, spacers) rounds up
  (``ROUND_CEILING``) and comes back as ``int``;
* square feet to buy round up to the cent of a square foot (0.01 sq ft);
* money rounds half-up to cents;
* pounds round to 0.1 lb.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType

__all__ = [
    "DEFAULTS",
    "INFO",
    "WARNING",
    "ChipShape",
    "EstimateWarning",
    "EstimatingDefaults",
    "GroutEstimate",
    "ThinsetEstimate",
    "TileEstimate",
    "Trowel",
    "default_waste_factor",
    "format_inches",
    "grout_bags",
    "grout_joint_share",
    "grout_pounds",
    "grout_pounds_for_chip",
    "is_large_format",
    "is_plank",
    "is_wet_surface",
    "line_total",
    "membrane_rolls",
    "missing_data_warnings",
    "money",
    "obstacle_waste",
    "openings_area_sf",
    "parse_fraction",
    "parse_openings",
    "spacers",
    "thinset_bags",
    "tile_boxes",
    "trim_pieces",
    "trowel_for_tile",
    "warnings_for",
]

# What callers may pass for a number (a float is refused at run time).
Number = Decimal | int | str

INFO = "info"
WARNING = "warning"

_CENT = Decimal("0.01")
_HUNDREDTH = Decimal("0.01")
_TENTH_LB = Decimal("0.1")
_WASTE_STEP = Decimal("0.01")
_EFFECTIVE_WASTE_STEP = Decimal("0.0001")
_SQ_IN_PER_SQ_FT = Decimal("144")
_CU_IN_PER_CU_FT = Decimal("1728")
# Enough digits for the shapes' geometry; every result is rounded far coarser than this.
_PI = Decimal("3.14159265358979323846264338")
_SQRT3 = Decimal(3).sqrt()


class ChipShape:
    """The shapes a sheet-mounted mosaic's chips come in (the catalog's ``chip_shape``)."""

    SQUARE = "square"
    RECTANGLE = "rectangle"
    HEXAGON = "hexagon"
    PENNY_ROUND = "penny_round"
    OTHER = "other"
    ALL = (SQUARE, RECTANGLE, HEXAGON, PENNY_ROUND, OTHER)


@dataclass(frozen=True)
class Trowel:
    """A trowel notch and how many square feet one 50 lb bag of thinset covers with it."""

    notch: str
    sf_per_bag: Decimal


def _table(values: dict) -> Mapping:
    """A read-only mapping, so nobody edits the shared defaults in place by accident."""
    return MappingProxyType(values)


@dataclass(frozen=True)
class EstimatingDefaults:
    """Every default number the estimator uses, in one place (see TILE_MATH.md).

    Fractions (waste, overage, loss) are written as 0.10 = 10 %; mortar coverage and bond offsets are
    percentages (80 = 80 %); lengths are inches unless the name says ``_ft``.
    """

    # Waste factor by the seed's ``pattern_type``; unknown patterns use ``fallback_pattern``.
    waste_by_pattern: Mapping[str, Decimal] = field(
        default_factory=lambda: _table(
            {
                "straight_lay": Decimal("0.10"),
                "brick_pattern": Decimal("0.10"),
                "herringbone": Decimal("0.20"),
                "diagonal": Decimal("0.15"),
                "basket_weave": Decimal("0.15"),
                "chevron": Decimal("0.20"),
                "versailles": Decimal("0.15"),
                "pinwheel": Decimal("0.10"),
                "other": Decimal("0.15"),
            }
        )
    )
    fallback_pattern: str = "other"
    # Added to the pattern's waste by the seed's ``complexity_level``.
    complexity_add: Mapping[str, Decimal] = field(
        default_factory=lambda: _table(
            {"simple": Decimal("0"), "moderate": Decimal("0.03"), "complex": Decimal("0.05")}
        )
    )
    large_format_add: Decimal = Decimal("0.03")
    plank_add: Decimal = Decimal("0.03")
    # Sheet-mounted mosaics: whole sheets are cut into strips around every edge and fixture, and
    # published guidance for mosaics is 15-20 % against 10 % for field tile (docs/estimating.md).
    mosaic_add: Decimal = Decimal("0.05")
    # Each obstacle on a surface (toilet flange, vent, pipe, column) costs cut tiles: this much per
    # obstacle, never more than the cap in all.
    obstacle_add: Decimal = Decimal("0.01")
    obstacle_add_cap: Decimal = Decimal("0.05")
    # The waste factor never reaches 100 %: buying double the area is a data-entry mistake.
    max_waste_factor: Decimal = Decimal("0.99")

    # Large format: either side at least this long. Plank: long side at least ratio x short side.
    large_format_min_side_in: Decimal = Decimal("15")
    plank_ratio: Decimal = Decimal("3")

    # Thinset: trowel by tile size, coverage per bag of ``thinset_bag_lb``.
    trowel_small: Trowel = Trowel("1/4 x 1/4 in square", Decimal("95"))
    trowel_medium: Trowel = Trowel("1/4 x 3/8 in square", Decimal("75"))
    trowel_large: Trowel = Trowel("1/2 x 1/2 in square", Decimal("50"))
    trowel_u_notch: Trowel = Trowel("3/4 in U-notch", Decimal("45"))
    trowel_small_max_side_in: Decimal = Decimal("8")
    trowel_medium_max_side_in: Decimal = Decimal("17")
    trowel_u_notch_min_side_in: Decimal = Decimal("24")
    # Metric formats are sold by a nominal inch size a little above their real one (600 mm is
    # 23.62 in, sold as 24 in): a side this close under a band's minimum takes that band.
    trowel_nominal_tolerance_in: Decimal = Decimal("0.5")
    # Back-buttering large format (a flat skim coat on the tile's back, about 1/32 in) takes about
    # this many 50 lb bags per 100 sq ft on top of the trowelled bed (docs/estimating.md).
    back_butter_bags_per_100_sf: Decimal = Decimal("0.5")
    thinset_bag_lb: Decimal = Decimal("50")
    # Mortar contact, percent. The sq ft per bag figures assume the dry-area figure.
    mortar_coverage_dry_pct: Decimal = Decimal("80")
    mortar_coverage_wet_pct: Decimal = Decimal("95")
    mortar_coverage_stone_pct: Decimal = Decimal("100")

    # Grout densities in lb per cubic foot (100/1728 and 110/1728 lb per cubic inch).
    grout_unsanded_lb_per_cu_ft: Decimal = Decimal("100")
    grout_sanded_lb_per_cu_ft: Decimal = Decimal("110")
    # Joints wider than this take sanded grout.
    sanded_grout_above_joint_in: Decimal = Decimal("0.125")
    grout_loss_factor: Decimal = Decimal("0.10")

    # ANSI A108.02 minimum grout joint by edge type.
    min_joint_by_edge_in: Mapping[str, Decimal] = field(
        default_factory=lambda: _table(
            {"rectified": Decimal("0.125"), "pressed": Decimal("0.1875"), "stone": Decimal("0.0625")}
        )
    )
    edge_labels: Mapping[str, str] = field(
        default_factory=lambda: _table(
            {"rectified": "rectified tile", "pressed": "pressed tile", "stone": "natural stone"}
        )
    )

    # Running bond: offsets over this percent on tile whose long side is over the threshold lip.
    max_bond_offset_pct: Decimal = Decimal("33")
    lippage_long_side_over_in: Decimal = Decimal("14")

    # Trim: overage on the linear feet, spare pieces, stock piece length.
    trim_overage: Decimal = Decimal("0.05")
    trim_spares: int = 2
    trim_piece_length_ft: Decimal = Decimal("8")

    # Uncoupling membrane rolls commonly stocked, in square feet.
    membrane_roll_small_sf: Decimal = Decimal("54")
    membrane_roll_large_sf: Decimal = Decimal("323")

    # Spacer joint when the caller does not say.
    spacer_joint_width_in: Decimal = Decimal("0.125")

    # The seed's ``surface_type`` values that get wet (backsplash does not count).
    wet_surface_types: frozenset[str] = frozenset({"shower_walls", "shower_floor", "tub_surround", "exterior_wall"})

    # Largest denominator format_inches uses for fractions (1/64 in).
    inch_fraction_denominator: int = 64

    # Sanity checks (warnings, never blocks). A floor-like surface larger than this many times the
    # room's length x width, or a wall surface larger than this many times the room's perimeter x
    # height, is most likely a typing mistake; a room without a height is taken as this tall.
    floor_area_over_room_factor: Decimal = Decimal("1.5")
    wall_area_over_room_factor: Decimal = Decimal("1.0")
    assumed_room_height_ft: Decimal = Decimal("10")
    floor_like_surface_types: frozenset[str] = frozenset({"floor", "shower_floor", "ceiling", "countertop"})
    room_wall_surface_types: frozenset[str] = frozenset(
        {"backsplash", "shower_walls", "tub_surround", "accent_wall", "fireplace", "wainscoting"}
    )
    # A single selection line above this many dollars gets a second look.
    large_line_total: Decimal = Decimal("15000")


DEFAULTS = EstimatingDefaults()


# --------------------------------------------------------------------------------------------------
# Coercion and validation


def _d(value: object, name: str = "value") -> Decimal:
    """Coerce ``Decimal``, ``int`` or a numeric ``str`` to a finite ``Decimal``; refuse ``float``."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, not a bool ({value!r}).")
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, int or str, not a float ({value!r}); floats lose precision.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{name} must be a number; got {value!r}.") from None
    else:
        raise TypeError(f"{name} must be a Decimal, int or str, not {type(value).__name__}.")
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number; got {value!r}.")
    return result


def _positive(value: Number, name: str) -> Decimal:
    result = _d(value, name)
    if result <= 0:
        raise ValueError(f"{name} must be greater than zero; got {result}.")
    return result


def _non_negative(value: Number, name: str) -> Decimal:
    result = _d(value, name)
    if result < 0:
        raise ValueError(f"{name} must not be negative; got {result}.")
    return result


def _ceil_div(numerator: Decimal, denominator: Decimal) -> int:
    """Exact ceiling of numerator / denominator for numerator >= 0 and denominator > 0.

    Uses Decimal integer division and remainder, which are exact, so a quotient like 3.000…01 cannot
    be rounded to 3 by the context precision and under-buy a box.
    """
    quotient, remainder = divmod(numerator, denominator)
    return int(quotient) + (1 if remainder else 0)


def _sides(length_in: Number, width_in: Number) -> tuple[Decimal, Decimal]:
    """Validated (long side, short side) of a tile, whatever order the caller gave them in."""
    length = _positive(length_in, "tile_length_in")
    width = _positive(width_in, "tile_width_in")
    return max(length, width), min(length, width)


# --------------------------------------------------------------------------------------------------
# Tile shape and waste


def is_large_format(length_in: Number, width_in: Number, *, defaults: EstimatingDefaults = DEFAULTS) -> bool:
    """True when either side is at least 15 in (TILE_MATH.md)."""
    long_side, _ = _sides(length_in, width_in)
    return long_side >= defaults.large_format_min_side_in


def is_plank(length_in: Number, width_in: Number, *, defaults: EstimatingDefaults = DEFAULTS) -> bool:
    """True when the longer side is at least 3 x the shorter one (so a 4 x 12 in subway tile counts)."""
    long_side, short_side = _sides(length_in, width_in)
    return long_side >= defaults.plank_ratio * short_side


def default_waste_factor(
    pattern_type: str | None,
    complexity_level: str | None = "simple",
    tile_length_in: Number | None = None,
    tile_width_in: Number | None = None,
    *,
    obstacles: int | None = 0,
    mosaic: bool = False,
    defaults: EstimatingDefaults = DEFAULTS,
) -> Decimal:
    """The waste factor to suggest for a surface (0.10 = 10 %), quantized to 0.01.

    Pattern default + complexity add-on (simple +0, moderate +0.03, complex +0.05) + 0.03 for large
    format + 0.03 for a plank + 0.01 per obstacle (at most 0.05, :func:`obstacle_waste`) + 0.05 for a
    sheet-mounted mosaic, capped at ``defaults.max_waste_factor`` so it stays below 1. An unknown
    or missing pattern uses the ``other`` default (and :func:`missing_data_warnings` says so); a
    missing complexity counts as simple. The tile add-ons apply only when both sides are given.
    """
    waste = defaults.waste_by_pattern.get(pattern_type or "", defaults.waste_by_pattern[defaults.fallback_pattern])
    complexity = complexity_level or "simple"
    if complexity not in defaults.complexity_add:
        known = ", ".join(defaults.complexity_add)
        raise ValueError(f"Unknown complexity level {complexity_level!r}; expected one of: {known}.")
    waste += defaults.complexity_add[complexity]
    if (tile_length_in is None) != (tile_width_in is None):
        raise ValueError("Give both tile_length_in and tile_width_in, or neither.")
    if tile_length_in is not None:
        if is_large_format(tile_length_in, tile_width_in, defaults=defaults):
            waste += defaults.large_format_add
        if is_plank(tile_length_in, tile_width_in, defaults=defaults):
            waste += defaults.plank_add
    waste += obstacle_waste(obstacles, defaults=defaults)
    if mosaic:
        waste += defaults.mosaic_add
    waste = min(waste, defaults.max_waste_factor)
    return waste.quantize(_WASTE_STEP, rounding=ROUND_HALF_UP)


def obstacle_waste(obstacles: int | None, *, defaults: EstimatingDefaults = DEFAULTS) -> Decimal:
    """Waste added for a surface's obstacles: ``obstacle_add`` each, at most ``obstacle_add_cap``
    (1 % each up to 5 % by default). None counts as no obstacle."""
    if obstacles is None:
        return Decimal("0")
    if isinstance(obstacles, bool) or not isinstance(obstacles, int):
        raise TypeError(f"obstacles must be a whole number; got {obstacles!r}.")
    if obstacles < 0:
        raise ValueError(f"obstacles must not be negative; got {obstacles}.")
    return min(obstacles * defaults.obstacle_add, defaults.obstacle_add_cap)


_OPENING_RE = re.compile(r"^\s*([0-9][0-9./ -]*?)\s*(?:x|×|\*|by)\s*([0-9][0-9./ -]*?)\s*(?:in|\")?\s*$", re.IGNORECASE)
_MAX_OPENINGS = 50


def parse_openings(text: str | None) -> list[tuple[Decimal, Decimal]]:
    """Openings typed as "36x80, 24x36" (width x height in inches; ``×``, ``*`` or "by" work too, and
    fractions such as 29 1/2): a list of (width, height). Entries are separated by commas,
    semicolons or new lines; an empty text has none. Anything unreadable raises ``ValueError``
    naming the entry."""
    if text is None or not text.strip():
        return []
    entries = [entry for entry in re.split(r"[,;\n]+", text) if entry.strip()]
    if len(entries) > _MAX_OPENINGS:
        raise ValueError(f"At most {_MAX_OPENINGS} openings per surface.")
    openings = []
    for entry in entries:
        match = _OPENING_RE.match(entry)
        if match is None:
            raise ValueError(
                f"Cannot read “{entry.strip()[:40]}”: write each opening as width x height in inches, e.g. 36x80."
            )
        try:
            width, height = parse_fraction(match[1].strip()), parse_fraction(match[2].strip())
        except ValueError:
            raise ValueError(
                f"Cannot read “{entry.strip()[:40]}”: write each opening as width x height in inches, e.g. 36x80."
            ) from None
        if width <= 0 or height <= 0:
            raise ValueError(f"“{entry.strip()[:40]}”: an opening's width and height must be more than zero.")
        openings.append((width, height))
    return openings


def openings_area_sf(openings: list[tuple[Number, Number]]) -> Decimal:
    """Square feet of a wall's openings (doors, windows, niches), each given as (width in, height in):
    the sum of width x height / 144, to 0.01 sq ft (half-up). Subtracted from the wall's area."""
    total = Decimal("0")
    for width, height in openings:
        total += _positive(width, "opening width") * _positive(height, "opening height")
    return (total / _SQ_IN_PER_SQ_FT).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------------
# Tile boxes


@dataclass(frozen=True)
class TileEstimate:
    """Tile to buy: square feet wanted, whole boxes, and the waste the rounding really buys."""

    sf_to_buy: Decimal
    boxes: int
    sf_purchased: Decimal
    effective_waste: Decimal


def tile_boxes(area_sf: Number, waste_factor: Number, coverage_per_box_sf: Number) -> TileEstimate:
    """Boxes of tile for ``area_sf`` with ``waste_factor`` extra (TILE_MATH.md, "Tile, sold by the box").

    ``sf_to_buy`` = area x (1 + waste) rounded up to 0.01 sq ft; ``boxes`` = ceil(sf_to_buy / coverage);
    ``sf_purchased`` = boxes x coverage; ``effective_waste`` = sf_purchased / area - 1 (to 0.0001,
    half-up) — show it, because rounding to whole boxes often buys more than the waste asked for.
    """
    area = _positive(area_sf, "area_sf")
    waste = _non_negative(waste_factor, "waste_factor")
    if waste >= 1:
        raise ValueError(f"waste_factor is a fraction (0.10 = 10 %) and must be below 1; got {waste}.")
    coverage = _positive(coverage_per_box_sf, "coverage_per_box_sf")
    sf_to_buy = (area * (1 + waste)).quantize(_HUNDREDTH, rounding=ROUND_CEILING)
    boxes = _ceil_div(sf_to_buy, coverage)
    sf_purchased = boxes * coverage
    effective_waste = (sf_purchased / area - 1).quantize(_EFFECTIVE_WASTE_STEP, rounding=ROUND_HALF_UP)
    return TileEstimate(sf_to_buy=sf_to_buy, boxes=boxes, sf_purchased=sf_purchased, effective_waste=effective_waste)


# --------------------------------------------------------------------------------------------------
# Grout


@dataclass(frozen=True)
class GroutEstimate:
    """Grout for a surface: joint volume, pounds before and after the loss allowance, and the type."""

    volume_cubic_in: Decimal
    pounds: Decimal
    pounds_with_loss: Decimal
    sanded: bool
    # "formula" (tile or chip geometry) or "product" (the product's own lb per sq ft).
    method: str = "formula"


def grout_pounds(
    tile_length_in: Number,
    tile_width_in: Number,
    tile_thickness_in: Number,
    joint_width_in: Number,
    area_sf: Number,
    *,
    sanded: bool | None = None,
    defaults: EstimatingDefaults = DEFAULTS,
) -> GroutEstimate:
    """Pounds of grout: ((L + W) / (L x W)) x J x T x A x D (TILE_MATH.md, "Grout").

    L, W are the tile's sides, J the joint width, T the tile thickness (joints filled to full depth),
    all in inches; A the area in square inches; D 100/1728 lb/in³ unsanded or 110/1728 sanded.
    ``sanded`` defaults to joints wider than 1/8 in. ``volume_cubic_in`` is to 0.01 in³; ``pounds``
    is half-up to 0.1 lb (the worked check's 6.51 lb reads 6.5); ``pounds_with_loss`` adds the 10 %
    loss to the unrounded pounds and rounds *up* to 0.1 lb, because that is the figure bags are
    bought from.
    """
    length = _positive(tile_length_in, "tile_length_in")
    width = _positive(tile_width_in, "tile_width_in")
    thickness = _positive(tile_thickness_in, "tile_thickness_in")
    joint = _positive(joint_width_in, "joint_width_in")
    area_sq_in = _positive(area_sf, "area_sf") * _SQ_IN_PER_SQ_FT
    if sanded is None:
        sanded = joint > defaults.sanded_grout_above_joint_in
    volume = (length + width) * joint * thickness * area_sq_in / (length * width)
    density = defaults.grout_sanded_lb_per_cu_ft if sanded else defaults.grout_unsanded_lb_per_cu_ft
    pounds = volume * density / _CU_IN_PER_CU_FT
    return GroutEstimate(
        volume_cubic_in=volume.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP),
        pounds=pounds.quantize(_TENTH_LB, rounding=ROUND_HALF_UP),
        pounds_with_loss=(pounds * (1 + defaults.grout_loss_factor)).quantize(_TENTH_LB, rounding=ROUND_CEILING),
        sanded=bool(sanded),
    )


def grout_joint_share(
    chip_shape: str, chip_length_in: Number, chip_width_in: Number | None, joint_width_in: Number
) -> Decimal:
    """The share of a mosaic's face that is joint (0.2 = a fifth), from the chip's shape.

    * square, rectangle (and ``other``, read as a rectangle): each chip and its joint make an
      (L + J) x (W + J) cell, of which J x (L + W + J) is joint;
    * hexagon: ``chip_width_in`` is the size across the flats F (``chip_length_in`` the size across
      the corners; F = corners x sqrt(3) / 2 when the width is not given); hexagons in a honeycomb
      make hexagonal cells F + J across the flats, so the joint is 1 - F^2 / (F + J)^2;
    * penny round: circles of diameter D (``chip_length_in``) sheeted in offset rows at a pitch of
      D + J; each circle's cell is a hexagon of area sqrt(3)/2 x (D + J)^2, so the joint (the area
      the round chips leave uncovered) is 1 - pi D^2 / (2 sqrt(3) (D + J)^2).
    """
    if chip_shape not in ChipShape.ALL:
        raise ValueError(f"Unknown chip shape {chip_shape!r}; expected one of: {', '.join(ChipShape.ALL)}.")
    length = _positive(chip_length_in, "chip_length_in")
    joint = _positive(joint_width_in, "joint_width_in")
    if chip_shape == ChipShape.PENNY_ROUND:
        pitch = length + joint
        return 1 - _PI * length * length / (2 * _SQRT3 * pitch * pitch)
    if chip_shape == ChipShape.HEXAGON:
        flats = length * _SQRT3 / 2 if chip_width_in is None else _positive(chip_width_in, "chip_width_in")
        return 1 - flats * flats / ((flats + joint) * (flats + joint))
    width = length if chip_width_in is None else _positive(chip_width_in, "chip_width_in")
    return joint * (length + width + joint) / ((length + joint) * (width + joint))


def grout_pounds_for_chip(
    *,
    chip_shape: str,
    chip_length_in: Number,
    chip_width_in: Number | None,
    tile_thickness_in: Number | None,
    joint_width_in: Number,
    area_sf: Number,
    lb_per_sf: Number | None = None,
    sanded: bool | None = None,
    defaults: EstimatingDefaults = DEFAULTS,
) -> GroutEstimate:
    """Pounds of grout for a sheet-mounted mosaic, by the chip (not the sheet).

    With the product's own ``lb_per_sf`` (a grout or mosaic maker's figure for this chip and
    joint), pounds = lb_per_sf x area (``method`` "product"). Otherwise pounds = the shape's joint
    share (:func:`grout_joint_share`) x depth (the thickness) x area in square inches x the density
    (100 or 110 lb per cubic foot, as :func:`grout_pounds`). Loss, rounding and sanded-above-1/8 in
    are as :func:`grout_pounds`.
    """
    joint = _positive(joint_width_in, "joint_width_in")
    area_sq_in = _positive(area_sf, "area_sf") * _SQ_IN_PER_SQ_FT
    if sanded is None:
        sanded = joint > defaults.sanded_grout_above_joint_in
    density = defaults.grout_sanded_lb_per_cu_ft if sanded else defaults.grout_unsanded_lb_per_cu_ft
    if lb_per_sf is not None:
        pounds = _positive(lb_per_sf, "lb_per_sf") * area_sq_in / _SQ_IN_PER_SQ_FT
        volume = pounds * _CU_IN_PER_CU_FT / density
        method = "product"
    else:
        if tile_thickness_in is None:
            raise ValueError(
                "tile_thickness_in is needed for grout by the chip when the product gives no lb per sq ft."
            )
        thickness = _positive(tile_thickness_in, "tile_thickness_in")
        share = grout_joint_share(chip_shape, chip_length_in, chip_width_in, joint)
        volume = share * thickness * area_sq_in
        pounds = volume * density / _CU_IN_PER_CU_FT
        method = "formula"
    return GroutEstimate(
        volume_cubic_in=volume.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP),
        pounds=pounds.quantize(_TENTH_LB, rounding=ROUND_HALF_UP),
        pounds_with_loss=(pounds * (1 + defaults.grout_loss_factor)).quantize(_TENTH_LB, rounding=ROUND_CEILING),
        sanded=bool(sanded),
        method=method,
    )


def grout_bags(pounds_with_loss: Number, bag_lb: Number) -> int:
    """Whole bags of ``bag_lb`` pounds for ``pounds_with_loss`` (rounded up; 0 lb needs 0 bags)."""
    pounds = _non_negative(pounds_with_loss, "pounds_with_loss")
    bag = _positive(bag_lb, "bag_lb")
    return _ceil_div(pounds, bag)


# --------------------------------------------------------------------------------------------------
# Thinset


def trowel_for_tile(length_in: Number, width_in: Number, *, defaults: EstimatingDefaults = DEFAULTS) -> Trowel:
    """The trowel notch and thinset coverage per 50 lb bag for a tile (TILE_MATH.md, "Thinset").

    The table's bands leave gaps (8 to 10 in, 17 to 18 in) and mix squares with planks, so the rule
    goes by the tile's sides:

    * both sides 8 in or less → 1/4 x 1/4 in square notch, 95 sq ft a bag;
    * longest side 17 in or less → 1/4 x 3/8 in square, 75 sq ft (covers 10 x 10 to 17 x 17 and
      small planks such as 4 x 12 and 3 x 12);
    * both sides 24 in or more → 3/4 in U-notch, 45 sq ft;
    * anything else (18 x 18 through 12 x 36, 6 x 24 and 8 x 48 planks, 12 x 24 …) → 1/2 x 1/2 in
      square, 50 sq ft.

    Pass the nominal size when the catalog has it. A side up to ``trowel_nominal_tolerance_in``
    (1/2 in) short of the U-notch's 24 in still takes it, so a 600 x 600 mm tile (23.62 in) gets the
    row its box is sold by. The tolerance only ever moves a tile to the bigger trowel.
    """
    long_side, short_side = _sides(length_in, width_in)
    if long_side <= defaults.trowel_small_max_side_in:
        return defaults.trowel_small
    if long_side <= defaults.trowel_medium_max_side_in:
        return defaults.trowel_medium
    if short_side >= defaults.trowel_u_notch_min_side_in - defaults.trowel_nominal_tolerance_in:
        return defaults.trowel_u_notch
    return defaults.trowel_large


@dataclass(frozen=True)
class ThinsetEstimate:
    """Thinset for a surface: bags, which trowel, mortar contact wanted and whether to back-butter."""

    bags: int
    trowel: Trowel
    sf_per_bag: Decimal
    coverage_pct: Decimal
    back_butter: bool
    # The back-butter allowance inside ``bags``, in bags of the size asked for (0 when none).
    back_butter_allowance: Decimal = Decimal("0")


def thinset_bags(
    area_sf: Number,
    tile_length_in: Number,
    tile_width_in: Number,
    *,
    wet_area: bool = False,
    natural_stone: bool = False,
    bag_lb: Number | None = None,
    back_butter: bool | None = None,
    defaults: EstimatingDefaults = DEFAULTS,
) -> ThinsetEstimate:
    """Bags of thinset mortar for a surface.

    The trowel comes from :func:`trowel_for_tile`. Its sq ft per bag is for a 50 lb bag at the 80 %
    dry-area contact; a bag of another size scales it by ``bag_lb / 50``. Wet areas want 95 % contact
    and natural stone 100 % (stone wins when both apply), so above 80 % the bag count scales up
    proportionally: bags = ceil(area x coverage / 80 / sf_per_bag). ``bag_lb`` defaults to the
    table's 50 lb. Large format tile is back-buttered (``back_butter``, default: large format), and
    the skim coat on the tile's back adds ``back_butter_bags_per_100_sf`` 50 lb bags per 100 sq ft
    to the same division: bags = ceil(area x coverage / 80 / sf_per_bag + area / 100 x
    allowance x 50 / bag). ``back_butter_allowance`` is that allowance in bags, to 0.01.
    """
    area = _positive(area_sf, "area_sf")
    bag = defaults.thinset_bag_lb if bag_lb is None else _positive(bag_lb, "bag_lb")
    trowel = trowel_for_tile(tile_length_in, tile_width_in, defaults=defaults)
    baseline = defaults.mortar_coverage_dry_pct
    coverage = baseline
    if wet_area:
        coverage = max(coverage, defaults.mortar_coverage_wet_pct)
    if natural_stone:
        coverage = max(coverage, defaults.mortar_coverage_stone_pct)
    sf_per_bag = trowel.sf_per_bag * bag / defaults.thinset_bag_lb
    if back_butter is None:
        back_butter = is_large_format(tile_length_in, tile_width_in, defaults=defaults)
    # area x (coverage / baseline) / (sf_per_bag_50 x bag / 50), kept as one exact division.
    bed_numerator = area * coverage * defaults.thinset_bag_lb
    denominator = baseline * trowel.sf_per_bag * bag
    bags = _ceil_div(bed_numerator, denominator)
    allowance = Decimal("0")
    if back_butter:
        allowance = (area * defaults.back_butter_bags_per_100_sf * defaults.thinset_bag_lb / (100 * bag)).quantize(
            _HUNDREDTH, rounding=ROUND_HALF_UP
        )
        # + area / 100 x allowance x 50 / bag, over the same denominator.
        skim = area * defaults.back_butter_bags_per_100_sf * defaults.thinset_bag_lb * baseline * trowel.sf_per_bag
        bags = _ceil_div(bed_numerator * 100 + skim, denominator * 100)
    return ThinsetEstimate(
        bags=bags,
        trowel=trowel,
        sf_per_bag=sf_per_bag,
        coverage_pct=coverage,
        back_butter=bool(back_butter),
        back_butter_allowance=allowance,
    )


# --------------------------------------------------------------------------------------------------
# Trim, membrane, spacers


def trim_pieces(
    linear_ft: Number, piece_length_ft: Number | None = None, *, defaults: EstimatingDefaults = DEFAULTS
) -> int:
    """Trim pieces: ceil(linear ft x 1.05 / piece length) + 2 spares; no trim run needs no pieces.

    ``piece_length_ft`` defaults to the table's 8 ft stock length.
    """
    linear = _non_negative(linear_ft, "linear_ft")
    piece = defaults.trim_piece_length_ft if piece_length_ft is None else _positive(piece_length_ft, "piece_length_ft")
    if linear == 0:
        return 0
    return _ceil_div(linear * (1 + defaults.trim_overage), piece) + defaults.trim_spares


def membrane_rolls(area_sf: Number, roll_sf: Number) -> int:
    """Rolls of uncoupling membrane: ceil(area / roll size). Common rolls are 54 and 323 sq ft
    (``DEFAULTS.membrane_roll_small_sf`` and ``DEFAULTS.membrane_roll_large_sf``)."""
    area = _positive(area_sf, "area_sf")
    roll = _positive(roll_sf, "roll_sf")
    return _ceil_div(area, roll)


def spacers(
    area_sf: Number,
    tile_length_in: Number,
    tile_width_in: Number,
    joint_width_in: Number | None = None,
    *,
    surface_length_ft: Number | None = None,
    surface_width_ft: Number | None = None,
    defaults: EstimatingDefaults = DEFAULTS,
) -> int:
    """Cross spacers for a surface: one at each inside corner of the grid of tiles.

    With the surface's length and width (walls: width and height), the grid is the real one:
    Nx = ceil(length in / (L + J)) tiles along the length and Ny = ceil(width in / (W + J)) across,
    so a 1 x 100 ft border of 12 in tile has no inside corner at all. Without them the surface is
    taken as a square of side sqrt(area in in²), a guide rather than a takeoff. Either way the count
    is (Nx - 1) x (Ny - 1). ``joint_width_in`` defaults to the table's 1/8 in.
    """
    area = _positive(area_sf, "area_sf")
    length = _positive(tile_length_in, "tile_length_in")
    width = _positive(tile_width_in, "tile_width_in")
    joint = defaults.spacer_joint_width_in if joint_width_in is None else _positive(joint_width_in, "joint_width_in")
    if surface_length_ft is not None and surface_width_ft is not None:
        along_in = _positive(surface_length_ft, "surface_length_ft") * 12
        across_in = _positive(surface_width_ft, "surface_width_ft") * 12
    else:
        along_in = across_in = (area * _SQ_IN_PER_SQ_FT).sqrt()
    across = _ceil_div(along_in, length + joint)
    down = _ceil_div(across_in, width + joint)
    return (across - 1) * (down - 1)


def is_wet_surface(surface_type: str | None, *, defaults: EstimatingDefaults = DEFAULTS) -> bool:
    """True for the seed's wet surfaces: shower walls and floor, tub surround, exterior wall."""
    return surface_type in defaults.wet_surface_types


# --------------------------------------------------------------------------------------------------
# Inches as people write them


def format_inches(value: Number, *, defaults: EstimatingDefaults = DEFAULTS) -> str:
    """Inches the way a tile associate writes them: 0.125 → "1/8 in", 11.25 → "11 1/4 in", 12 → "12 in".

    Values that are not a whole number of 1/64ths print as a plain decimal ("0.1 in").
    """
    inches = _non_negative(value, "value")
    denominator = defaults.inch_fraction_denominator
    sixty_fourths = inches * denominator
    if sixty_fourths != sixty_fourths.to_integral_value():
        return f"{inches.normalize():f} in"
    whole, numerator = divmod(int(sixty_fourths), denominator)
    if numerator == 0:
        return f"{whole} in"
    while numerator % 2 == 0:
        numerator //= 2
        denominator //= 2
    fraction = f"{numerator}/{denominator}"
    return f"{whole} {fraction} in" if whole else f"{fraction} in"


_FRACTION_RE = re.compile(
    r"""^\s*
    (?:
        (?P<whole>\d+)(?:\s+|\s*-\s*)(?P<mixed_num>\d+)\s*/\s*(?P<mixed_den>\d+)   # 1 1/4, 1-1/4
      | (?P<num>\d+)\s*/\s*(?P<den>\d+)                                            # 3/16
      | (?P<decimal>\d+(?:\.\d*)?|\.\d+)                                           # 0.125, 12
    )
    \s*(?:in(?:ch(?:es)?)?|")?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def parse_fraction(text: str) -> Decimal:
    """Read an inch measurement typed by a person: "1/8", "3/16", "0.125", "12", "1 1/4" or "1-1/4".

    A trailing ``in`` or ``"`` is allowed. Negative numbers, a zero denominator, a mixed number whose
    fraction is not proper ("1 5/4") and anything else unreadable raise ``ValueError``.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_fraction expects text, not {type(text).__name__}.")
    match = _FRACTION_RE.match(text)
    if match is None:
        raise ValueError(f"Cannot read {text!r} as inches; write it like 1/8, 0.125 or 1 1/4.")
    if match["decimal"] is not None:
        return Decimal(match["decimal"])
    if match["whole"] is not None:
        whole, numerator, denominator = int(match["whole"]), int(match["mixed_num"]), int(match["mixed_den"])
        if denominator == 0:
            raise ValueError(f"Cannot read {text!r} as inches: the denominator is zero.")
        if numerator >= denominator:
            raise ValueError(f"Cannot read {text!r} as inches: the fraction after the whole number must be below 1.")
    else:
        whole, numerator, denominator = 0, int(match["num"]), int(match["den"])
        if denominator == 0:
            raise ValueError(f"Cannot read {text!r} as inches: the denominator is zero.")
    return Decimal(whole) + Decimal(numerator) / Decimal(denominator)


# --------------------------------------------------------------------------------------------------
# Money


def money(value: Number) -> Decimal:
    """Round to cents, half-up."""
    return _d(value, "value").quantize(_CENT, rounding=ROUND_HALF_UP)


def line_total(quantity: Number, unit_price: Number) -> Decimal:
    """Quantity x unit price, rounded half-up to cents once, at the end."""
    qty = _non_negative(quantity, "quantity")
    price = _non_negative(unit_price, "unit_price")
    return money(qty * price)


# --------------------------------------------------------------------------------------------------
# Warnings


@dataclass(frozen=True)
class EstimateWarning:
    """Something the associate should tell the customer; it never blocks the estimate."""

    code: str
    message: str
    level: str  # INFO or WARNING


def _tile_size(sides: list[Decimal]) -> str:
    """The tile size for a message: "24 x 12 in" for two sides, "24 in" for one."""
    if len(sides) == 1:
        return format_inches(sides[0])
    return f"{format_inches(sides[0]).removesuffix(' in')} x {format_inches(sides[1])}"


def _boxes(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return f"{text} box" if number == 1 else f"{text} boxes"


def warnings_for(
    *,
    surface_type: str | None = None,
    pattern_type: str | None = None,
    tile_length_in: Number | None = None,
    tile_width_in: Number | None = None,
    edge_type: str | None = None,
    joint_width_in: Number | None = None,
    bond_offset_pct: Number | None = None,
    discontinued: bool = False,
    special_order: bool = False,
    in_stock: bool = True,
    boxes_needed: Number | None = None,
    boxes_ordered: Number | None = None,
    line_total: Number | None = None,
    defaults: EstimatingDefaults = DEFAULTS,
) -> list[EstimateWarning]:
    """Warnings for a selection, from whatever the caller knows (TILE_MATH.md, "Warnings").

    Each check runs only when its inputs are given:

    * ``joint_below_minimum`` — ``joint_width_in`` under the ANSI A108.02 minimum for ``edge_type``
      ("rectified" 1/8 in, "pressed" 3/16 in, "stone" 1/16 in);
    * ``bond_offset_lippage`` — ``pattern_type`` "brick_pattern" with ``bond_offset_pct`` (a percent,
      50 = half offset) over 33 and a tile long side over 14 in;
    * ``large_format_wet_area`` — a wet ``surface_type`` with large format tile;
    * ``discontinued``, ``special_order`` (info: lead time), ``out_of_stock``;
    * ``boxes_short`` — ``boxes_ordered`` below ``boxes_needed``;
    * ``large_line_total`` — ``line_total`` above ``defaults.large_line_total`` dollars.

    With only one tile side given, the checks use that side.
    """
    found: list[EstimateWarning] = []
    known_sides = [
        _positive(value, name)
        for value, name in ((tile_length_in, "tile_length_in"), (tile_width_in, "tile_width_in"))
        if value is not None
    ]
    long_side = max(known_sides) if known_sides else None

    if edge_type is not None and joint_width_in is not None:
        if edge_type not in defaults.min_joint_by_edge_in:
            known = ", ".join(defaults.min_joint_by_edge_in)
            raise ValueError(f"Unknown edge type {edge_type!r}; expected one of: {known}.")
        joint = _non_negative(joint_width_in, "joint_width_in")
        minimum = defaults.min_joint_by_edge_in[edge_type]
        if joint < minimum:
            found.append(
                EstimateWarning(
                    code="joint_below_minimum",
                    message=(
                        f"Joint {format_inches(joint)} is narrower than the {format_inches(minimum)} "
                        f"ANSI A108.02 minimum for {defaults.edge_labels[edge_type]}."
                    ),
                    level=WARNING,
                )
            )

    if pattern_type == "brick_pattern" and bond_offset_pct is not None and long_side is not None:
        offset = _non_negative(bond_offset_pct, "bond_offset_pct")
        if offset > 100:
            raise ValueError(f"bond_offset_pct is a percent of the tile length (0-100); got {offset}.")
        if offset > defaults.max_bond_offset_pct and long_side > defaults.lippage_long_side_over_in:
            found.append(
                EstimateWarning(
                    code="bond_offset_lippage",
                    message=(
                        f"A {offset.normalize():f}% running-bond offset on tile with a "
                        f"{format_inches(long_side)} long side risks lippage; keep the offset at "
                        f"{defaults.max_bond_offset_pct.normalize():f}% or less when the long side is over "
                        f"{format_inches(defaults.lippage_long_side_over_in)}."
                    ),
                    level=WARNING,
                )
            )

    if (
        is_wet_surface(surface_type, defaults=defaults)
        and long_side is not None
        and long_side >= defaults.large_format_min_side_in
    ):
        found.append(
            EstimateWarning(
                code="large_format_wet_area",
                message=(
                    f"Large-format tile ({_tile_size(known_sides)}) in a wet area: trowel for "
                    f"{defaults.mortar_coverage_wet_pct.normalize():f}% mortar coverage and back-butter "
                    "every tile."
                ),
                level=WARNING,
            )
        )

    if discontinued:
        found.append(
            EstimateWarning(
                code="discontinued",
                message=(
                    "This product is discontinued: make sure there is enough stock for the whole job, "
                    "plus spares for future repairs, before promising it."
                ),
                level=WARNING,
            )
        )
    if special_order:
        found.append(
            EstimateWarning(
                code="special_order",
                message=("This is a special-order product: check the supplier's lead time against the install date."),
                level=INFO,
            )
        )
    if not in_stock:
        found.append(
            EstimateWarning(
                code="out_of_stock",
                message="This product is out of stock: confirm when it will be back before setting a date.",
                level=WARNING,
            )
        )

    if boxes_needed is not None and boxes_ordered is not None:
        needed = _non_negative(boxes_needed, "boxes_needed")
        ordered = _non_negative(boxes_ordered, "boxes_ordered")
        if ordered < needed:
            found.append(
                EstimateWarning(
                    code="boxes_short",
                    message=(
                        f"Only {_boxes(ordered)} ordered but {_boxes(needed)} needed: add {_boxes(needed - ordered)}."
                    ),
                    level=WARNING,
                )
            )
    if line_total is not None and _non_negative(line_total, "line_total") > defaults.large_line_total:
        found.append(
            EstimateWarning(
                code="large_line_total",
                message=(
                    f"This line comes to ${money(line_total):,}, more than "
                    f"${defaults.large_line_total:,.0f}: check the area and the quantity before quoting it."
                ),
                level=WARNING,
            )
        )
    return found


def missing_data_warnings(
    *,
    pattern_type: str | None = None,
    check_pattern: bool = False,
    coverage_per_box_sf: Number | None = None,
    check_coverage: bool = False,
    tile_thickness_in: Number | None = None,
    check_thickness: bool = False,
    grout_lb_per_sf: Number | None = None,
    defaults: EstimatingDefaults = DEFAULTS,
) -> list[EstimateWarning]:
    """Warnings that name a figure the estimate lacks, so no quantity is shown that depends on it.

    * ``unknown_pattern`` — ``check_pattern`` and a pattern that is missing or not in the waste
      table: the waste falls back to the ``other`` figure, and the associate should say which;
    * ``missing_coverage`` — ``check_coverage`` and no coverage per box: boxes cannot be counted;
    * ``missing_thickness`` — ``check_thickness``, no thickness and no product grout figure: grout
      cannot be weighed.
    """
    found: list[EstimateWarning] = []
    if check_pattern and (pattern_type or "") not in defaults.waste_by_pattern:
        fallback = defaults.waste_by_pattern[defaults.fallback_pattern]
        what = f"Pattern {pattern_type!r} is not one the estimate knows" if pattern_type else "No pattern given"
        found.append(
            EstimateWarning(
                code="unknown_pattern",
                message=(
                    f"{what}: the waste uses the {fallback * 100:.0f}% of an unlisted pattern. "
                    "Choose the pattern to get its own waste."
                ),
                level=WARNING,
            )
        )
    if check_coverage and not coverage_per_box_sf:
        found.append(
            EstimateWarning(
                code="missing_coverage",
                message=(
                    "This tile has no coverage per box in the catalog: boxes cannot be counted. "
                    "Ask catalog staff for the square feet per box."
                ),
                level=WARNING,
            )
        )
    if check_thickness and not tile_thickness_in and not grout_lb_per_sf:
        found.append(
            EstimateWarning(
                code="missing_thickness",
                message=(
                    "This tile has no thickness in the catalog: grout cannot be weighed. "
                    "Ask catalog staff for the thickness (or the grout per sq ft)."
                ),
                level=WARNING,
            )
        )
    return found


def surface_area_warnings(
    *,
    surface_type: str | None,
    area_sf: Number | None,
    room_length_ft: Number | None = None,
    room_width_ft: Number | None = None,
    room_height_ft: Number | None = None,
    defaults: EstimatingDefaults = DEFAULTS,
) -> list[EstimateWarning]:
    """``area_beyond_room`` when a surface is far larger than its room allows: a floor-like surface
    over ``floor_area_over_room_factor`` x length x width, a wall surface over
    ``wall_area_over_room_factor`` x perimeter x height (the assumed height when not given). Runs
    only when the room's length and width are known."""
    if area_sf is None or room_length_ft is None or room_width_ft is None:
        return []
    area = _non_negative(area_sf, "area_sf")
    length = _positive(room_length_ft, "room_length_ft")
    width = _positive(room_width_ft, "room_width_ft")
    if surface_type in defaults.floor_like_surface_types:
        limit = defaults.floor_area_over_room_factor * length * width
        room = f"{length.normalize():f} x {width.normalize():f} ft room ({(length * width).normalize():f} sq ft)"
    elif surface_type in defaults.room_wall_surface_types:
        height = defaults.assumed_room_height_ft if room_height_ft is None else _positive(room_height_ft, "height")
        walls = 2 * (length + width) * height
        limit = defaults.wall_area_over_room_factor * walls
        room = f"{length.normalize():f} x {width.normalize():f} ft room ({walls.normalize():f} sq ft of walls)"
    else:
        return []
    if area <= limit:
        return []
    return [
        EstimateWarning(
            code="area_beyond_room",
            message=(
                f"{area.normalize():,f} sq ft is far more than a {room} can hold: "
                "check the area (or the room's dimensions) before pricing it."
            ),
            level=WARNING,
        )
    ]
