"""The setting-materials kit for a tiled surface: thinset, grout, membrane, spacers and trim, each
with its quantity from the estimating module and a matching catalog product at the customer's
price level. The catalog is read once per page (`candidates()`); matching is plain Python, so a page
with many surfaces still makes one query for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.models import ProductCatalog
from projects import estimating
from projects.models import ProductType, SurfaceType, UnitOfMeasure

KIT_TYPES = (ProductType.ADHESIVE, ProductType.GROUT, ProductType.UNDERLAYMENT, ProductType.SPACERS, ProductType.TRIM)
# Surfaces that get an uncoupling membrane under the tile.
MEMBRANE_SURFACES = frozenset({SurfaceType.FLOOR})
# Surfaces that get a waterproofing membrane behind or under the tile.
WATERPROOFING_SURFACES = frozenset({SurfaceType.SHOWER_WALLS, SurfaceType.SHOWER_FLOOR, SurfaceType.TUB_SURROUND})
# Surfaces measured as width x height (their grid runs along the width and up the height).
WALL_SURFACES = frozenset(
    {
        SurfaceType.BACKSPLASH,
        SurfaceType.SHOWER_WALLS,
        SurfaceType.TUB_SURROUND,
        SurfaceType.ACCENT_WALL,
        SurfaceType.FIREPLACE,
        SurfaceType.WAINSCOTING,
        SurfaceType.EXTERIOR_WALL,
    }
)
# Light tile and glass want white thinset so the mortar does not show through.
WHITE_THINSET_MATERIALS = frozenset({"glass", "marble"})
LIGHT_COLORS = ("white", "bone", "ivory", "cream")
_BAG_OF = re.compile(r"bag of (\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class KitLine:
    role: str  # thinset, grout, membrane, spacers, trim
    label: str
    product: ProductCatalog | None
    quantity: int
    unit_price: Decimal | None
    line_total: Decimal | None
    detail: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    # What the catalog lacks for this line's quantity (then no quantity is shown).
    missing: str = ""


@dataclass(frozen=True)
class KitInputs:
    joint_width_in: Decimal
    trim_linear_ft: Decimal = Decimal("0")


def candidates() -> list[ProductCatalog]:
    """Every sellable setting product, in one (cached) read."""
    return ProductCatalog.objects.kit_candidates(KIT_TYPES)


def tile_thickness(tile: ProductCatalog) -> Decimal | None:
    """The catalog keeps thickness to 0.01 in (the seed's DECIMAL(6,2)), but tile is made to
    fractions: 0.38 is 3/8 in. Read it as the nearest 1/32 in so grout comes out as the
    manufacturer's sheet says (3/8 in, not 0.38 in)."""
    if not tile.size_thickness:
        return None
    step = Decimal(1) / 32
    return (tile.size_thickness / step).to_integral_value() * step


def default_joint(tile: ProductCatalog) -> Decimal:
    """The ANSI A108.02 minimum for the tile's edge (rectified 1/8, pressed 3/16, stone 1/16 in)."""
    table = estimating.DEFAULTS.min_joint_by_edge_in
    return table.get(tile.edge_type or "pressed", table["pressed"])


def is_mosaic(tile: ProductCatalog) -> bool:
    """A sheet-mounted product with its chip described: estimated by the chip."""
    return bool(tile.is_sheet_mounted and tile.chip_length and tile.chip_width and tile.chip_shape)


def sizing(tile: ProductCatalog) -> tuple[Decimal, Decimal]:
    """The size the trowel (and the large-format rules) go by: a mosaic's chip, otherwise the
    nominal size when the catalog has it, otherwise the actual size."""
    if is_mosaic(tile):
        return tile.chip_length, tile.chip_width
    if tile.nominal_length and tile.nominal_width:
        return tile.nominal_length, tile.nominal_width
    return tile.size_length, tile.size_width


def surface_grid(surface) -> tuple[Decimal | None, Decimal | None]:
    """The surface's two sides in feet for the spacer grid: walls width x height, others length x
    width; (None, None) when either is unknown."""
    if surface.surface_type in WALL_SURFACES:
        sides = (surface.width_ft, surface.height_ft)
    else:
        sides = (surface.length_ft, surface.width_ft)
    return sides if all(sides) else (None, None)


def _price(product, pro):
    return product.price_for(pro=pro) if product else None


def _line(role, label, product, quantity, pro, detail, notes=(), missing=""):
    price = _price(product, pro)
    total = estimating.line_total(quantity, price) if product and price is not None else None
    return KitLine(role, label, product, quantity, price, total, detail, tuple(notes), missing)


def _chip_label(tile: ProductCatalog) -> str:
    shape = {"hexagon": " hexagon", "penny_round": " penny round"}.get(tile.chip_shape or "", "")
    if tile.chip_length == tile.chip_width or tile.chip_shape == "penny_round":
        return f"{estimating.format_inches(tile.chip_length)}{shape}"
    return f"{tile.chip_length.normalize():f} x {estimating.format_inches(tile.chip_width)}{shape}"


def _cheapest(options, pro):
    """(product, quantity) with the lowest total; in-stock products win ties and come first."""
    priced = [(p, q) for p, q in options if q > 0 and _price(p, pro) is not None]
    if not priced:
        return None, 0
    return min(priced, key=lambda pq: (not pq[0].in_stock, _price(pq[0], pro) * pq[1], pq[0].sku))


def suggest(
    *, surface, tile: ProductCatalog, customer, inputs: KitInputs, products: list[ProductCatalog]
) -> list[KitLine]:
    """The kit for one surface and the tile chosen for it."""
    pro = customer.is_pro
    area = surface.surface_area_sf
    length, width = tile.size_length, tile.size_width
    lines: list[KitLine] = []
    if not (area and length and width):
        return lines
    wet = estimating.is_wet_surface(surface.surface_type)
    stone = tile.edge_type == "stone"
    mosaic = is_mosaic(tile)
    sized_length, sized_width = sizing(tile)

    # Thinset: the trowel (and so the mortar) follows the tile's nominal size, a mosaic's its chip.
    trowel = estimating.trowel_for_tile(sized_length, sized_width)
    thinsets = [p for p in products if p.product_type == ProductType.ADHESIVE and p.pack_weight_lb]
    matching = [p for p in thinsets if p.pack_coverage_sf == trowel.sf_per_bag] or thinsets
    want_white = (tile.material or "").lower() in WHITE_THINSET_MATERIALS or any(
        c in (tile.color or "").lower() for c in LIGHT_COLORS
    )
    colored = [p for p in matching if ("white" in (p.color or "").lower()) == want_white] or matching
    options = []
    for product in colored:
        bags = estimating.thinset_bags(
            area, sized_length, sized_width, wet_area=wet, natural_stone=stone, bag_lb=product.pack_weight_lb
        )
        options.append((product, bags.bags))
    product, quantity = _cheapest(options, pro)
    estimate = estimating.thinset_bags(area, sized_length, sized_width, wet_area=wet, natural_stone=stone)
    if product is None:
        quantity = estimate.bags  # what to buy elsewhere: 50 lb bags
    notes = [f"Trowel {estimate.trowel.notch}", f"{estimate.coverage_pct.normalize():f}% mortar coverage"]
    if mosaic:
        notes.append(f"trowel for the {_chip_label(tile)} chip, not the sheet")
    if estimate.back_butter:
        notes.append(
            f"back-butter every tile (large format): incl. {estimate.back_butter_allowance.normalize():f} "
            "× 50 lb bag back-butter allowance"
        )
    lines.append(_line("thinset", "Thinset mortar", product, quantity, pro, f"{quantity} × 50 lb bag", notes))

    # Grout: by the chip for a mosaic, by the product's own figure when it has one; sanded above
    # 1/8 in joints; the color follows the tile when the store has it.
    thickness = tile_thickness(tile)
    grout, basis = None, ""
    if mosaic or tile.grout_lb_per_sf:
        if thickness or tile.grout_lb_per_sf:
            grout = estimating.grout_pounds_for_chip(
                chip_shape=tile.chip_shape if mosaic else estimating.ChipShape.RECTANGLE,
                chip_length_in=tile.chip_length if mosaic else length,
                chip_width_in=tile.chip_width if mosaic else width,
                tile_thickness_in=thickness,
                joint_width_in=inputs.joint_width_in,
                area_sf=area,
                lb_per_sf=tile.grout_lb_per_sf,
            )
            basis = "product figure" if grout.method == "product" else f"by the {_chip_label(tile)} chip"
    elif thickness:
        grout = estimating.grout_pounds(length, width, thickness, inputs.joint_width_in, area)
    if grout is None:
        lines.append(
            _line(
                "grout",
                "Grout",
                None,
                0,
                pro,
                "Grout can't be weighed",
                missing="No thickness in the catalog for this tile: grout can't be weighed.",
            )
        )
    else:
        grouts = [
            p
            for p in products
            if p.product_type == ProductType.GROUT
            and p.pack_weight_lb
            and "urethane" not in p.product_name.lower()
            and ("unsanded" in p.product_name.lower()) != grout.sanded
        ]
        tile_color = (tile.color or "").lower()
        same_color = [p for p in grouts if (p.color or "").lower() == tile_color]
        fallback = "bright white" if any(c in tile_color for c in LIGHT_COLORS) else "warm gray"
        pool = same_color or [p for p in grouts if (p.color or "").lower() == fallback] or grouts
        options = [(p, estimating.grout_bags(grout.pounds_with_loss, p.pack_weight_lb)) for p in pool]
        product, quantity = _cheapest(options, pro)
        kind = "sanded" if grout.sanded else "unsanded"
        detail = f"{grout.pounds} lb {kind} for {estimating.format_inches(inputs.joint_width_in)} joints"
        notes = [f"{grout.pounds_with_loss} lb with 10% loss"]
        if basis:
            notes.append(basis)
        lines.append(_line("grout", "Grout", product, quantity, pro, detail, notes))

    # Uncoupling membrane under floors.
    if surface.surface_type in MEMBRANE_SURFACES:
        rolls = [
            p
            for p in products
            if p.product_type == ProductType.UNDERLAYMENT
            and p.pack_coverage_sf
            and p.unit_of_measure == UnitOfMeasure.PIECE
            and "membrane" in p.product_name.lower()
            and "waterproof" not in p.product_name.lower()
        ]
        options = [(p, estimating.membrane_rolls(area, p.pack_coverage_sf)) for p in rolls]
        product, quantity = _cheapest(options, pro)
        lines.append(_line("membrane", "Uncoupling membrane", product, quantity, pro, f"{area} sq ft to cover"))

    # Waterproofing behind shower walls, under shower floors and tub surrounds.
    if surface.surface_type in WATERPROOFING_SURFACES:
        membranes = [
            p
            for p in products
            if p.product_type == ProductType.UNDERLAYMENT
            and p.pack_coverage_sf
            and "waterproof" in p.product_name.lower()
        ]
        options = [(p, estimating.membrane_rolls(area, p.pack_coverage_sf)) for p in membranes]
        product, quantity = _cheapest(options, pro)
        lines.append(
            _line(
                "waterproofing", "Waterproofing membrane", product, quantity, pro, f"{area} sq ft to cover (wet area)"
            )
        )

    # Spacers sized to the joint, along the surface's real grid when its sides are known; none for
    # sheet-mounted products (the mesh holds the joint).
    if not tile.is_sheet_mounted:
        joint_label = estimating.format_inches(inputs.joint_width_in)
        along, across = surface_grid(surface)
        crosses = estimating.spacers(
            area, length, width, inputs.joint_width_in, surface_length_ft=along, surface_width_ft=across
        )
        spacer_products = [
            p for p in products if p.product_type == ProductType.SPACERS and joint_label in p.product_name
        ]
        options = []
        for product in spacer_products:
            per_bag = product.pieces_per_box or int((_BAG_OF.search(product.product_name) or [None, 100])[1])
            options.append((product, max(1, -(-crosses // per_bag))))
        product, quantity = _cheapest(options, pro)
        if crosses:  # a single row of tile (a border) has no inside corner to hold
            lines.append(_line("spacers", "Spacers", product, quantity, pro, f"≈ {crosses} crosses at {joint_label}"))

    # Trim, when the associate measured the edges: the tile's own trim first, metal edge otherwise.
    if inputs.trim_linear_ft > 0:
        trims = [p for p in products if p.product_type == ProductType.TRIM and p.piece_length_ft]
        own = [p for p in trims if p.brand == tile.brand and (p.color or "").lower() == (tile.color or "").lower()]
        pool = own or [p for p in trims if p.piece_length_ft >= 8] or trims
        options = [(p, estimating.trim_pieces(inputs.trim_linear_ft, p.piece_length_ft)) for p in pool]
        product, quantity = _cheapest(options, pro)
        lines.append(
            _line(
                "trim",
                "Edge trim",
                product,
                quantity,
                pro,
                f"{inputs.trim_linear_ft.normalize():f} linear ft + 5% and 2 spares",
            )
        )
    return lines


ROLE_TYPES = {
    "thinset": ProductType.ADHESIVE,
    "grout": ProductType.GROUT,
    "membrane": ProductType.UNDERLAYMENT,
    "waterproofing": ProductType.UNDERLAYMENT,
    "spacers": ProductType.SPACERS,
    "trim": ProductType.TRIM,
}


@dataclass(frozen=True)
class KitRow:
    """A kit line beside what the surface already holds in the same role."""

    line: KitLine
    existing: tuple  # the surface's selections of this role (prefetched)

    @property
    def already_on_surface(self) -> bool:
        """This very product is among the surface's selections (ticking it again would replace it
        with the kit's quantity)."""
        product = self.line.product
        return bool(product) and any(s.product_id == product.sku for s in self.existing)

    @property
    def replaces(self) -> list:
        """What adding this line takes off the surface (unless "keep both" is ticked)."""
        return [] if self.already_on_surface else list(self.existing)

    @property
    def ticked(self) -> bool:
        return bool(self.line.product) and not self.already_on_surface


def rows(surface, lines: list[KitLine]) -> list[KitRow]:
    """Each kit line with the surface's actual selections of its role (from the prefetch)."""
    by_type: dict[str, list] = {}
    for selection in surface.selections.all():
        by_type.setdefault(selection.product_type, []).append(selection)
    return [KitRow(line, tuple(by_type.get(ROLE_TYPES[line.role], ()))) for line in lines]


def surface_tile(surface):
    """The tile chosen for a surface: the first selected tile, else the first considered one."""
    tiles = [s for s in surface.selections.all() if s.product_type == ProductType.TILE]
    tiles.sort(key=lambda s: (s.selection_status != "selected", s.selection_date))
    return tiles[0].product if tiles else None


def tile_warnings(selection, surface) -> list[estimating.EstimateWarning]:
    """Warnings for one selection on its surface (they inform; they never block)."""
    product = selection.product
    boxes_needed = None
    if selection.product_type == ProductType.TILE and product.coverage_per_box and surface.surface_area_sf:
        boxes_needed = estimating.tile_boxes(
            surface.surface_area_sf, surface.waste_factor or Decimal("0"), product.coverage_per_box
        ).boxes
    is_tile = selection.product_type == ProductType.TILE
    joint_known = is_tile and product.edge_type and surface.grout_joint_in
    missing = estimating.missing_data_warnings(
        check_coverage=is_tile and product.unit_of_measure == UnitOfMeasure.BOX,
        coverage_per_box_sf=product.coverage_per_box,
        check_thickness=is_tile,
        tile_thickness_in=product.size_thickness,
        grout_lb_per_sf=product.grout_lb_per_sf,
    )
    return missing + estimating.warnings_for(
        surface_type=surface.surface_type if is_tile else None,
        pattern_type=surface.pattern_type if is_tile else None,
        tile_length_in=product.size_length if is_tile else None,
        tile_width_in=product.size_width if is_tile else None,
        # The joint typed in the kit and the offset chosen for a brick pattern (surface columns).
        edge_type=product.edge_type if joint_known else None,
        joint_width_in=surface.grout_joint_in if joint_known else None,
        bond_offset_pct=surface.bond_offset_pct if is_tile else None,
        discontinued=product.discontinued,
        special_order=product.special_order,
        in_stock=product.in_stock,
        boxes_needed=boxes_needed,
        boxes_ordered=int(selection.quantity_ordered)
        if boxes_needed is not None and selection.quantity_ordered is not None
        else None,
        line_total=selection.total_price,
    )


def surface_warnings(surface) -> list[estimating.EstimateWarning]:
    """A surface far larger than its room's dimensions allow (a typing slip, not a rule)."""
    room = surface.room
    return estimating.surface_area_warnings(
        surface_type=surface.surface_type,
        area_sf=surface.surface_area_sf,
        room_length_ft=room.room_length_ft,
        room_width_ft=room.room_width_ft,
        room_height_ft=room.room_height_ft,
    )


def effective_waste(selection, surface) -> Decimal | None:
    product = selection.product
    if selection.product_type != ProductType.TILE or not product.coverage_per_box or not selection.quantity_ordered:
        return None
    bought = selection.quantity_ordered * product.coverage_per_box
    return (bought / surface.surface_area_sf - 1).quantize(Decimal("0.001"))
