"""The demo product catalog: invented brands, realistic tile sizes, setting materials and tools.

Tiles are generated from series × sizes × colors; everything else is listed. Sizes are the tile's
*actual* size in inches (rectified porcelain is metric, so a "12x24" is 11.81 x 23.62 in; a mosaic is
sold by the sheet, so its size is the sheet's), and a box's coverage is always
pieces x length x width / 144, rounded to 0.01 sq ft. Prices are Decimal: a series has a price per
square foot, the box price is that times the coverage, and the pro price is a series discount off
retail (8-15 %), so it is never above retail.

Besides the model fields, every entry carries what the activity generator needs to pick a tile for
a surface (``uses``) and to estimate grout and thinset for a mosaic (``chip``, the size of one chip
on the sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from catalog.models import ChipShape, EdgeType, Mounting
from projects.models import ProductType, UnitOfMeasure

D = Decimal
CENT = D("0.01")

# Where a tile may go. The activity generator maps each surface type onto one of these.
FLOOR, WALL, SHOWER_FLOOR, OUTDOOR = "floor", "wall", "shower_floor", "outdoor"


@dataclass(frozen=True)
class Size:
    code: str  # part of the SKU
    label: str  # the nominal size people ask for
    length: Decimal  # actual inches (for a mosaic: the sheet)
    width: Decimal
    thickness: Decimal
    pieces: int  # pieces (or sheets) per box
    uses: frozenset[str]
    chip: tuple[Decimal, Decimal] | None = None  # one chip of a mosaic sheet
    shape: str | None = None  # the chip's shape (catalog.models.ChipShape)
    nominal: tuple[Decimal, Decimal] | None = None  # the size the box is sold by, when not the actual

    @property
    def coverage(self) -> Decimal:
        return (self.pieces * self.length * self.width / 144).quantize(CENT, rounding=ROUND_HALF_UP)


def _size(code, label, length, width, thickness, pieces, uses, chip=None, shape=None, nominal=None) -> Size:
    return Size(
        code, label, D(length), D(width), D(thickness), pieces, frozenset(uses), chip and (D(chip[0]), D(chip[1])),
        (shape or ChipShape.SQUARE) if chip else None, nominal and (D(nominal[0]), D(nominal[1])),
    )  # fmt: skip


# Rectified porcelain (metric: 300, 600 and 1200 mm).
P12X24 = _size("1224", "12x24", "23.62", "11.81", "0.35", 8, {FLOOR, WALL}, nominal=("24", "12"))
P24X24 = _size("2424", "24x24", "23.62", "23.62", "0.37", 4, {FLOOR}, nominal=("24", "24"))
P24X48 = _size("2448", "24x48", "47.24", "23.62", "0.37", 2, {FLOOR, WALL}, nominal=("48", "24"))
PLANK_6X36 = _size("0636", "6x36", "35.43", "5.91", "0.35", 12, {FLOOR}, nominal=("36", "6"))
PLANK_8X48 = _size("0848", "8x48", "47.24", "7.87", "0.37", 6, {FLOOR}, nominal=("48", "8"))
PAVER_24X24 = _size("2CM", "24x24 2cm paver", "23.62", "23.62", "0.79", 2, {OUTDOOR}, nominal=("24", "24"))
# Pressed (calibrated) porcelain and ceramic.
P12X12 = _size("1212", "12x12", "11.81", "11.81", "0.31", 15, {FLOOR}, nominal=("12", "12"))
P8X8 = _size("0808", "8x8", "7.87", "7.87", "0.35", 25, {FLOOR, WALL}, nominal=("8", "8"))
SUBWAY_3X12 = _size("0312", "3x12", "12.00", "3.00", "0.31", 44, {WALL})
C4X4 = _size("0404", "4x4", "4.25", "4.25", "0.25", 80, {WALL, FLOOR})
# Mosaic sheets.
MOSAIC_2X2 = _size("22M", "2x2 Mosaic", "11.75", "11.75", "0.24", 10, {SHOWER_FLOOR, WALL, FLOOR}, ("1.88", "1.88"))
GLASS_1X1 = _size("11M", "1x1 Mosaic", "11.75", "11.75", "0.16", 10, {WALL}, ("0.88", "0.88"))
GLASS_2X2 = _size("22G", "2x2 Mosaic", "11.75", "11.75", "0.16", 10, {WALL}, ("1.88", "1.88"))
# A hexagon's chip: across the corners, then across the flats.
HEX_2IN = _size("HX2", "2 in Hexagon Mosaic", "11.81", "10.24", "0.38", 10, {SHOWER_FLOOR, FLOOR, WALL},
                ("2.31", "2.00"), ChipShape.HEXAGON)  # fmt: skip
PENNY = _size("PR3", "3/4 in Penny Round Mosaic", "12.00", "11.25", "0.24", 10, {SHOWER_FLOOR, FLOOR, WALL},
              ("0.75", "0.75"), ChipShape.PENNY_ROUND)  # fmt: skip
# Natural stone.
STONE_12X12 = _size("1212", "12x12", "12.00", "12.00", "0.38", 10, {FLOOR, WALL, OUTDOOR})
STONE_16X16 = _size("1616", "16x16", "16.00", "16.00", "0.38", 5, {FLOOR, WALL, OUTDOOR})
STONE_18X18 = _size("1818", "18x18", "18.00", "18.00", "0.50", 5, {FLOOR, OUTDOOR})

COLOR_CODES = {
    "white": "WHT",
    "warm white": "WWH",
    "bone": "BON",
    "ivory": "IVY",
    "beige": "BGE",
    "light beige": "LBG",
    "sand": "SND",
    "greige": "GRG",
    "taupe": "TAU",
    "warm gray": "WGR",
    "gray": "GRY",
    "ash gray": "ASH",
    "smoke gray": "SMK",
    "slate gray": "SLG",
    "silver": "SLV",
    "charcoal": "CHR",
    "black": "BLK",
    "navy": "NVY",
    "cobalt": "COB",
    "sky blue": "SKY",
    "aqua": "AQU",
    "sea green": "SEA",
    "sage green": "SAG",
    "blush": "BLU",
    "clay": "CLY",
    "terracotta": "TER",
    "oak": "OAK",
    "white oak": "WOK",
    "walnut": "WAL",
    "honey": "HNY",
    "driftwood": "DRF",
    "hickory": "HIC",
    "smoked oak": "SMO",
    "multicolor": "MLT",
    "rust": "RST",
    "blue and white": "BAW",
    "charcoal and white": "CAW",
}


@dataclass(frozen=True)
class Series:
    brand: str
    brand_code: str
    code: str
    name: str
    material: str
    finish: str
    edge: str
    sizes: tuple[Size, ...]
    colors: tuple[str, ...]
    price_per_sf: tuple[str, ...]  # one per size
    pro_discount: Decimal
    uses: frozenset[str] = field(default_factory=lambda: frozenset({FLOOR, WALL, SHOWER_FLOOR, OUTDOOR}))


def _series(brand, code, name, material, finish, edge, sizes, colors, prices, discount, uses=None) -> Series:
    brand_code = {
        "Example Tile Co.": "ETC",
        "Demo Stoneworks": "DSW",
        "Sample Ceramica": "SCR",
        "Placeholder Porcelain": "PHP",
        "Demo Glassworks": "DGW",
    }[brand]
    kwargs = {"uses": frozenset(uses)} if uses else {}
    return Series(
        brand, brand_code, code, name, material, finish, edge, tuple(sizes), tuple(colors), tuple(prices),
        D(discount), **kwargs,
    )  # fmt: skip


R, P, S = EdgeType.RECTIFIED, EdgeType.PRESSED, EdgeType.STONE

# Glass mosaics are sized precisely and set with a 1/16-1/8 in joint: of the three edge types the
# estimator knows, "rectified" (1/8 in minimum joint) is the one that fits them.
TILE_SERIES = (
    _series("Example Tile Co.", "URB", "Urbano", "porcelain", "matte", R, (P12X24, P24X24, P24X48),
            ("white", "warm gray", "charcoal", "greige"), ("2.89", "3.49", "4.99"), "0.12"),
    _series("Placeholder Porcelain", "BVI", "Bianco Vista", "porcelain", "polished", R, (P12X24, P24X24, P24X48),
            ("white", "gray"), ("3.99", "4.49", "6.49"), "0.10"),
    _series("Example Tile Co.", "STW", "Stillwater", "porcelain", "matte", R, (P12X24, P24X24),
            ("light beige", "taupe"), ("2.49", "2.99"), "0.10"),
    _series("Placeholder Porcelain", "LIN", "Linen", "porcelain", "textured", R, (P12X24,),
            ("beige", "white", "gray"), ("2.69",), "0.09"),
    _series("Sample Ceramica", "HWD", "Heartwood", "porcelain", "wood-look", R, (PLANK_6X36, PLANK_8X48),
            ("oak", "walnut", "ash gray", "honey", "driftwood"), ("2.99", "3.79"), "0.13"),
    _series("Sample Ceramica", "PRA", "Prairie", "porcelain", "wood-look", R, (PLANK_6X36,),
            ("hickory", "white oak", "smoked oak"), ("2.49",), "0.12"),
    _series("Example Tile Co.", "MEG", "Metro Gloss", "ceramic", "glossy", P, (SUBWAY_3X12,),
            ("white", "bone", "sage green", "navy", "charcoal", "blush"), ("2.49",), "0.14"),
    _series("Example Tile Co.", "MEM", "Metro Matte", "ceramic", "matte", P, (SUBWAY_3X12,),
            ("white", "warm gray", "black", "clay"), ("2.69",), "0.14"),
    _series("Sample Ceramica", "BAS", "Basics", "ceramic", "glossy", P, (C4X4,),
            ("white", "bone", "black", "sky blue"), ("1.79",), "0.08"),
    _series("Placeholder Porcelain", "TER", "Terra", "porcelain", "matte", P, (P12X12,),
            ("terracotta", "sand", "slate gray", "black"), ("2.19",), "0.10"),
    _series("Sample Ceramica", "ENC", "Encaustica", "porcelain", "matte patterned", P, (P8X8,),
            ("blue and white", "charcoal and white", "sage green"), ("5.49",), "0.10"),
    _series("Sample Ceramica", "MOS", "Mosaica", "porcelain", "matte", P, (MOSAIC_2X2,),
            ("white", "black", "warm gray", "sage green"), ("9.99",), "0.11"),
    _series("Placeholder Porcelain", "HXA", "Hexa", "porcelain", "matte", P, (HEX_2IN,),
            ("white", "black", "warm gray"), ("10.99",), "0.11"),
    _series("Sample Ceramica", "PNY", "Penny Lane", "porcelain", "matte", P, (PENNY,),
            ("white", "black", "sage green"), ("11.99",), "0.11"),
    _series("Demo Glassworks", "AQG", "Aqua Glass", "glass", "glossy", R, (GLASS_1X1,),
            ("aqua", "white", "smoke gray", "cobalt", "sea green"), ("16.99",), "0.12"),
    _series("Demo Glassworks", "AQG", "Aqua Glass", "glass", "glossy", R, (GLASS_2X2,),
            ("aqua", "white", "smoke gray", "sea green"), ("14.99",), "0.12"),
    _series("Demo Stoneworks", "BSP", "Bianco Sera", "marble", "polished", S, (STONE_12X12, STONE_18X18),
            ("white", "gray"), ("8.99", "10.99"), "0.10", {FLOOR, WALL}),
    _series("Demo Stoneworks", "BSH", "Bianco Sera", "marble", "honed", S, (STONE_12X12, HEX_2IN),
            ("white", "gray"), ("8.49", "17.99"), "0.10", {FLOOR, WALL, SHOWER_FLOOR}),
    _series("Demo Stoneworks", "OST", "Ostia", "travertine", "tumbled", S, (STONE_12X12, STONE_18X18),
            ("ivory", "walnut", "silver"), ("4.99", "5.49"), "0.12"),
    _series("Demo Stoneworks", "HIG", "Highland", "slate", "cleft", S, (STONE_12X12, STONE_16X16),
            ("charcoal", "multicolor", "rust"), ("3.99", "4.49"), "0.12"),
    _series("Example Tile Co.", "CST", "Coastline", "porcelain", "textured", R, (PAVER_24X24,),
            ("sand", "gray", "charcoal"), ("6.49",), "0.10"),
)  # fmt: skip

# Stock flags by SKU: a few discontinued, special order (with lead time in days) and out of stock.
DISCONTINUED = frozenset(
    {"ETC-URB-2448-GRG", "ETC-MEG-0312-BLU", "SCR-BAS-0404-SKY", "DSW-OST-1818-SLV", "PHP-LIN-1224-GRY"}
)
SPECIAL_ORDER = {
    "DSW-BSP-1818-GRY": 21,
    "DGW-AQG-11M-COB": 14,
    "ETC-CST-2CM-CHR": 28,
    "PHP-BVI-2448-GRY": 21,
    "SCR-HWD-0848-WAL": 14,
    "ESS-URG-10-SND": 10,
}
OUT_OF_STOCK = frozenset(
    {"SCR-HWD-0636-HNY", "ETC-MEM-0312-CLY", "DSW-HIG-1616-RST", "SCR-MOS-22M-SAG", "ESS-SG25-BON", "ESS-UCM-323"}
)


@dataclass(frozen=True)
class DemoProduct:
    """One catalog row (``fields``, ready for ``ProductCatalog(**fields)``) and what the activity
    generator needs to know about it."""

    fields: dict
    uses: frozenset[str] = frozenset()
    chip: tuple[Decimal, Decimal] | None = None

    @property
    def sku(self) -> str:
        return self.fields["sku"]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _pro(retail: Decimal, discount: Decimal) -> Decimal:
    return _money(retail * (1 - discount))


def _tiles():
    for series in TILE_SERIES:
        for size, price_per_sf in zip(series.sizes, series.price_per_sf, strict=True):
            for color in series.colors:
                sku = f"{series.brand_code}-{series.code}-{size.code}-{COLOR_CODES[color]}"
                retail = _money(D(price_per_sf) * size.coverage)
                label = size.label
                if size.chip:
                    label += f" ({size.length.normalize():f}x{size.width.normalize():f} in sheet)"
                name = f"{series.name} {series.finish.title()} {series.material.title()} {label}, {color.title()}"
                yield DemoProduct(
                    {
                        "sku": sku,
                        "product_name": name,
                        "product_type": ProductType.TILE,
                        "brand": series.brand,
                        "material": series.material,
                        "color": color,
                        "size_length": size.length,
                        "size_width": size.width,
                        "size_thickness": size.thickness,
                        "coverage_per_box": size.coverage,
                        "pieces_per_box": size.pieces,
                        "price_retail": retail,
                        "price_pro": _pro(retail, series.pro_discount),
                        "unit_of_measure": UnitOfMeasure.BOX,
                        "edge_type": series.edge,
                        **_mosaic_fields(size),
                    },
                    uses=size.uses & series.uses,
                    chip=size.chip,
                )


def _mosaic_fields(size: Size) -> dict:
    """The catalog's mosaic and nominal-size columns for a size."""
    fields = {}
    if size.nominal:
        fields |= {"nominal_length": size.nominal[0], "nominal_width": size.nominal[1]}
    if size.chip:
        fields |= {
            "mounting": Mounting.SHEET,
            "chip_length": size.chip[0],
            "chip_width": size.chip[1],
            "chip_shape": size.shape,
            "sheet_coverage_sf": (size.length * size.width / 144).quantize(CENT, rounding=ROUND_HALF_UP),
        }
    return fields


# Setting materials, trim, membranes, sealers, caulk, spacers, tools and accessories:
# (sku, name, type, brand, unit, retail, extra fields). The pro price is 10 % off unless given.
SETTING = "Example Setting Supply"
PROFILES = "Demo Profiles Inc."
TOOLS = "Sample Tool Works"
GROUT_COLORS = {"WHT": "bright white", "WGR": "warm gray", "CHR": "charcoal", "SND": "sand beige", "BLK": "black",
                "BON": "bone"}  # fmt: skip


def _grout():
    bags = (
        # code, label, material, pound, retail, colors
        ("SG25", "Sanded Grout", "sanded cement grout", 25, "21.98", ("WHT", "WGR", "CHR", "SND", "BLK", "BON")),
        ("SG10", "Sanded Grout", "sanded cement grout", 10, "11.48", ("WHT", "WGR", "CHR")),
        ("UG10", "Unsanded Grout", "unsanded cement grout", 10, "13.98", ("WHT", "WGR", "CHR", "SND", "BLK", "BON")),
        ("UG25", "Unsanded Grout", "unsanded cement grout", 25, "27.98", ("WHT", "WGR")),
        ("URG-10", "Urethane Grout", "urethane grout", 10, "64.98", ("WHT", "WGR", "CHR", "SND")),
    )
    for code, label, material, pounds, retail, colors in bags:
        for color_code in colors:
            color = GROUT_COLORS[color_code]
            yield (f"ESS-{code}-{color_code}", f"{label}, {color.title()}, {pounds} lb", ProductType.GROUT, SETTING,
                   UnitOfMeasure.BAG, retail,
                   {"material": material, "color": color, "pack_weight_lb": D(pounds)})  # fmt: skip


def _thinset():
    mortars = (
        # code, name, coverage per 50 lb bag (TILE_MATH.md trowel table), gray price, white price
        ("STD", "Standard Thinset Mortar", 95, "14.98", "16.98"),
        ("MOD", "Polymer-Modified Thinset Mortar", 75, "24.98", "27.98"),
        ("LHT", "Large & Heavy Tile Mortar", 50, "34.98", "36.98"),
        ("LFT", "Large-Format Tile Mortar", 45, "39.98", "42.98"),
    )
    for code, name, coverage, gray, white in mortars:
        for color, retail in (("gray", gray), ("white", white)):
            yield (f"ESS-{code}-{color[0].upper()}50", f"{name}, {color.title()}, 50 lb", ProductType.ADHESIVE, SETTING,
                   UnitOfMeasure.BAG, retail,
                   {"material": "cement mortar", "color": color, "pack_weight_lb": D(50),
                    "pack_coverage_sf": D(coverage)})  # fmt: skip


def _trim():
    for color, code in (("white", "WHT"), ("bone", "BON"), ("sage green", "SAG"), ("navy", "NVY"), ("charcoal", "CHR")):
        yield (f"ETC-MEG-BN312-{code}", f"Metro Gloss Bullnose 3x12, {color.title()}", ProductType.TRIM,
               "Example Tile Co.", UnitOfMeasure.PIECE, "3.49",
               {"material": "ceramic", "color": color, "size_length": D("12.00"), "size_width": D("3.00"),
                "size_thickness": D("0.31"), "piece_length_ft": D("1.00"), "edge_type": EdgeType.PRESSED})  # fmt: skip
    for color, code in (("white", "WHT"), ("black", "BLK"), ("bone", "BON")):
        yield (f"ETC-PCL-0112-{code}", f"Pencil Liner 3/4x12, {color.title()}", ProductType.TRIM, "Example Tile Co.",
               UnitOfMeasure.PIECE, "4.99",
               {"material": "ceramic", "color": color, "size_length": D("12.00"), "size_width": D("0.75"),
                "size_thickness": D("0.50"), "piece_length_ft": D("1.00"), "edge_type": EdgeType.PRESSED})  # fmt: skip
    profiles = (
        ("ALA-SLV", "Aluminum L-Angle Edge Trim 3/8 in, Satin Silver, 8 ft", "aluminum", "silver", "8.00", "18.98"),
        ("ALA-BNK", "Aluminum L-Angle Edge Trim 3/8 in, Brushed Nickel, 8 ft", "aluminum", "brushed nickel", "8.00",
         "22.98"),
        ("ALR-BLK", "Aluminum Rounded Edge Trim 3/8 in, Matte Black, 8.2 ft", "aluminum", "black", "8.20", "26.98"),
        ("SSQ-STL", "Stainless Square Edge Trim 5/16 in, Brushed Steel, 8.2 ft", "stainless steel", "brushed steel",
         "8.20", "39.98"),
        ("ALR-BRS", "Aluminum Rounded Edge Trim 1/2 in, Satin Brass, 8.2 ft", "aluminum", "brass", "8.20", "29.98"),
        ("ATS-SLV", "Aluminum Transition Strip, Satin Silver, 8 ft", "aluminum", "silver", "8.00", "24.98"),
    )  # fmt: skip
    for code, name, material, color, length, retail in profiles:
        yield (f"DPI-{code}", name, ProductType.TRIM, PROFILES, UnitOfMeasure.PIECE, retail,
               {"material": material, "color": color, "piece_length_ft": D(length)})  # fmt: skip


OTHER_PRODUCTS = (
    # Underlayment and waterproofing.
    ("ESS-UCM-054", "Uncoupling Membrane, 54 sq ft Roll", ProductType.UNDERLAYMENT, SETTING, UnitOfMeasure.PIECE,
     "119.98", {"material": "polyethylene membrane", "pack_coverage_sf": D(54)}),
    ("ESS-UCM-323", "Uncoupling Membrane, 323 sq ft Roll", ProductType.UNDERLAYMENT, SETTING, UnitOfMeasure.PIECE,
     "599.98", {"material": "polyethylene membrane", "pack_coverage_sf": D(323)}),
    ("ESS-WPM-108", "Sheet Waterproofing Membrane, 108 sq ft Roll", ProductType.UNDERLAYMENT, SETTING,
     UnitOfMeasure.PIECE, "219.98", {"material": "waterproofing membrane", "pack_coverage_sf": D(108)}),
    ("ESS-LWM-1G", "Liquid Waterproofing Membrane, 1 gal", ProductType.UNDERLAYMENT, SETTING, UnitOfMeasure.GALLON,
     "54.98", {"material": "liquid membrane", "pack_coverage_sf": D(55)}),
    ("ESS-CIM-1G", "Crack Isolation Membrane, 1 gal", ProductType.UNDERLAYMENT, SETTING, UnitOfMeasure.GALLON,
     "49.98", {"material": "liquid membrane", "pack_coverage_sf": D(60)}),
    ("ESS-CBB-35", "Cement Backer Board 3x5 ft, 1/2 in", ProductType.UNDERLAYMENT, SETTING, UnitOfMeasure.PIECE,
     "14.48", {"material": "cement board", "pack_coverage_sf": D(15)}),
    # Sealers.
    ("ESS-PSS-1G", "Penetrating Stone & Grout Sealer, 1 gal", ProductType.SEALANT, SETTING, UnitOfMeasure.GALLON,
     "89.98", {"pack_coverage_sf": D(250)}),
    ("ESS-CES-1G", "Color-Enhancing Stone Sealer, 1 gal", ProductType.SEALANT, SETTING, UnitOfMeasure.GALLON,
     "109.98", {"pack_coverage_sf": D(200)}),
    ("ESS-WGS-1G", "Water-Based Grout Sealer, 1 gal", ProductType.SEALANT, SETTING, UnitOfMeasure.GALLON,
     "49.98", {"pack_coverage_sf": D(400)}),
    # Caulk.
    *((f"ESS-SAC-{code}", f"Siliconized Acrylic Caulk, {GROUT_COLORS[code].title()}, 10.5 oz", ProductType.CAULK,
       SETTING, UnitOfMeasure.TUBE, "7.98", {"color": GROUT_COLORS[code]}) for code in ("WHT", "WGR", "CHR", "SND")),
    ("ESS-SIL-CLR", "100% Silicone Sealant, Clear, 10.1 oz", ProductType.CAULK, SETTING, UnitOfMeasure.TUBE, "9.48",
     {"color": "clear"}),
    # Spacers (pieces_per_box is the count in the bag).
    ("STW-SPC-116", "Tile Spacers 1/16 in, Bag of 250", ProductType.SPACERS, TOOLS, UnitOfMeasure.BAG, "3.98",
     {"material": "plastic", "pieces_per_box": 250}),
    ("STW-SPC-018", "Tile Spacers 1/8 in, Bag of 250", ProductType.SPACERS, TOOLS, UnitOfMeasure.BAG, "4.48",
     {"material": "plastic", "pieces_per_box": 250}),
    ("STW-SPC-316", "Tile Spacers 3/16 in, Bag of 250", ProductType.SPACERS, TOOLS, UnitOfMeasure.BAG, "4.98",
     {"material": "plastic", "pieces_per_box": 250}),
    ("STW-SPC-014", "Tile Spacers 1/4 in, Bag of 100", ProductType.SPACERS, TOOLS, UnitOfMeasure.BAG, "4.98",
     {"material": "plastic", "pieces_per_box": 100}),
    # Tools.
    ("STW-TRS-1414", "Square-Notch Trowel 1/4 x 1/4 in", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "14.98", {}),
    ("STW-TRS-1438", "Square-Notch Trowel 1/4 x 3/8 in", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "15.98", {}),
    ("STW-TRS-1212", "Square-Notch Trowel 1/2 x 1/2 in", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "17.98", {}),
    ("STW-TRU-34", "U-Notch Trowel 3/4 in", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "21.98", {}),
    ("STW-MGN-05", "Margin Trowel 5 in", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "9.98", {}),
    ("STW-GFL-12", "Hard Rubber Grout Float 12 in", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "16.98", {}),
    ("STW-SPG-XL", "Grout Sponge, Extra Large", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "5.98", {}),
    ("STW-LVL-KIT", "Tile Leveling System Starter Kit (100 clips, 100 wedges, pliers)", ProductType.TOOLS, TOOLS,
     UnitOfMeasure.PIECE, "49.98", {}),
    ("STW-LVL-CLP", "Tile Leveling Clips 1/16 in, Bag of 300", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE,
     "34.98", {}),
    ("STW-MXP-01", "Mortar Mixing Paddle", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "19.98", {}),
    ("STW-CUT-24", "Manual Tile Cutter 24 in", ProductType.TOOLS, TOOLS, UnitOfMeasure.PIECE, "129.98", {}),
    # Accessories.
    ("ESS-NCH-1224", "Prefabricated Shower Niche 12x24 in", ProductType.ACCESSORIES, SETTING, UnitOfMeasure.PIECE,
     "189.98", {}),
    ("ESS-LND-36", "Linear Shower Drain 36 in, Brushed Steel", ProductType.ACCESSORIES, SETTING,
     UnitOfMeasure.PIECE, "249.98", {"color": "brushed steel"}),
    ("ESS-CRB-60", "Shower Curb Kit 60 in", ProductType.ACCESSORIES, SETTING, UnitOfMeasure.PIECE, "89.98", {}),
    ("ESS-CLN-QT", "Tile & Grout Cleaner, 1 qt", ProductType.ACCESSORIES, SETTING, UnitOfMeasure.PIECE, "12.98", {}),
)  # fmt: skip


def _supplies():
    for sku, name, product_type, brand, unit, retail, extra in (*_grout(), *_thinset(), *_trim(), *OTHER_PRODUCTS):
        retail = D(retail)
        yield DemoProduct(
            {
                "sku": sku,
                "product_name": name,
                "product_type": product_type,
                "brand": brand,
                "unit_of_measure": unit,
                "price_retail": retail,
                "price_pro": _pro(retail, D("0.10")),
                **extra,
            }
        )


# Every model field a catalog row may carry; rows leave the others NULL (or at the model default).
NULLABLE_FIELDS = (
    "brand",
    "material",
    "color",
    "size_length",
    "size_width",
    "size_thickness",
    "coverage_per_box",
    "pieces_per_box",
    "price_retail",
    "price_pro",
    "pack_weight_lb",
    "pack_coverage_sf",
    "piece_length_ft",
    "edge_type",
    "lead_time_days",
    "chip_length",
    "chip_width",
    "chip_shape",
    "sheet_coverage_sf",
    "nominal_length",
    "nominal_width",
    "grout_lb_per_sf",
)


def demo_products() -> list[DemoProduct]:
    """The whole demo catalog, every row with every field set (NULL where it does not apply), so an
    upsert can compare rows field by field."""
    products = []
    for product in (*_tiles(), *_supplies()):
        fields = dict.fromkeys(NULLABLE_FIELDS) | {"mounting": Mounting.LOOSE} | product.fields
        sku = fields["sku"]
        fields["discontinued"] = sku in DISCONTINUED
        fields["special_order"] = sku in SPECIAL_ORDER
        fields["lead_time_days"] = SPECIAL_ORDER.get(sku)
        fields["in_stock"] = sku not in OUT_OF_STOCK
        products.append(DemoProduct(fields, product.uses, product.chip))
    skus = [p.sku for p in products]
    if len(skus) != len(set(skus)):
        raise ValueError("Demo catalog SKUs must be unique.")
    flagged = DISCONTINUED | OUT_OF_STOCK | set(SPECIAL_ORDER)
    if not flagged <= set(skus):
        raise ValueError(f"Stock flags name unknown SKUs: {sorted(flagged - set(skus))}")
    return products
