"""The quick estimate at /estimate/ (and /estimate.json): a tile, an area, a pattern, a surface type
and a joint give boxes, square feet bought, the effective waste, warnings and the setting-materials
kit, before any conversation exists. Nothing is written; the catalog is read through its cache
(`ProductCatalog.objects.lookup`, `kit.candidates`). The page and the JSON show the one dict
`estimate()` returns, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from catalog.models import Mounting, ProductCatalog
from projects import estimating, kit
from projects.models import ProductType, UnitOfMeasure


@dataclass(frozen=True)
class Request:
    """What the associate typed (already validated by `projects.forms.QuickEstimateForm`)."""

    tile: ProductCatalog  # a catalog product, or an unsaved one for a typed size
    area_sf: Decimal
    pattern_type: str
    surface_type: str
    joint_width_in: Decimal
    obstacles: int = 0
    pro: bool = False
    length_ft: Decimal | None = None
    width_ft: Decimal | None = None


def typed_tile(*, length_in, width_in, thickness_in=None, coverage_per_box_sf=None) -> ProductCatalog:
    """An unsaved product for a size typed at the counter (never saved)."""
    return ProductCatalog(
        sku="",
        product_name="Typed size",
        product_type=ProductType.TILE,
        size_length=length_in,
        size_width=width_in,
        size_thickness=thickness_in,
        coverage_per_box=coverage_per_box_sf,
        unit_of_measure=UnitOfMeasure.BOX,
        mounting=Mounting.LOOSE,
    )


def _text(value) -> str | None:
    return None if value is None else f"{value}"


def _warning(w: estimating.EstimateWarning) -> dict:
    return {"code": w.code, "level": w.level, "message": w.message}


def estimate(request: Request) -> dict:
    """The estimate as plain data (Decimals as text, so JSON keeps every digit)."""
    tile = request.tile
    mosaic = kit.is_mosaic(tile)
    sized_length, sized_width = kit.sizing(tile)
    waste = estimating.default_waste_factor(
        request.pattern_type,
        "simple",
        sized_length,
        sized_width,
        obstacles=request.obstacles,
        mosaic=tile.is_sheet_mounted,
    )
    warnings = estimating.missing_data_warnings(
        pattern_type=request.pattern_type,
        check_pattern=True,
        coverage_per_box_sf=tile.coverage_per_box,
        check_coverage=True,
        tile_thickness_in=tile.size_thickness,
        check_thickness=True,
        grout_lb_per_sf=tile.grout_lb_per_sf,
    )
    warnings += estimating.warnings_for(
        surface_type=request.surface_type,
        tile_length_in=sized_length,
        tile_width_in=sized_width,
        edge_type=tile.edge_type or None,
        joint_width_in=request.joint_width_in if tile.edge_type else None,
        discontinued=tile.discontinued,
        special_order=tile.special_order,
        in_stock=tile.in_stock,
    )
    boxes = None
    if tile.coverage_per_box:
        boxes = estimating.tile_boxes(request.area_sf, waste, tile.coverage_per_box)
    price = tile.price_for(pro=request.pro) if tile.sku else None
    tile_total = estimating.line_total(boxes.boxes, price) if boxes and price is not None else None
    # The two sides typed are a floor's length x width, a wall's width x height.
    if request.surface_type in kit.WALL_SURFACES:
        sides = {"length_ft": None, "width_ft": request.length_ft, "height_ft": request.width_ft}
    else:
        sides = {"length_ft": request.length_ft, "width_ft": request.width_ft, "height_ft": None}
    surface = SimpleNamespace(surface_area_sf=request.area_sf, surface_type=request.surface_type, **sides)
    lines = kit.suggest(
        surface=surface,
        tile=tile,
        customer=SimpleNamespace(is_pro=request.pro),
        inputs=kit.KitInputs(request.joint_width_in),
        products=kit.candidates(),
    )
    kit_total = sum((line.line_total for line in lines if line.line_total is not None), Decimal("0"))
    return {
        "tile": {
            "sku": tile.sku or None,
            "name": tile.product_name,
            "size_in": [_text(tile.size_length), _text(tile.size_width)],
            "mosaic": mosaic,
            "chip": [_text(tile.chip_length), _text(tile.chip_width), tile.chip_shape] if mosaic else None,
            "unit_price": _text(price),
        },
        "area_sf": _text(request.area_sf),
        "pattern_type": request.pattern_type,
        "surface_type": request.surface_type,
        "joint_in": _text(request.joint_width_in),
        "price_level": "pro" if request.pro else "retail",
        "waste": _text(waste),
        "boxes": boxes.boxes if boxes else None,
        "sf_to_buy": _text(boxes.sf_to_buy) if boxes else None,
        "sf_purchased": _text(boxes.sf_purchased) if boxes else None,
        "effective_waste": _text(boxes.effective_waste) if boxes else None,
        "tile_total": _text(tile_total),
        "warnings": [_warning(w) for w in warnings],
        "kit": [
            {
                "role": line.role,
                "label": line.label,
                "sku": line.product.sku if line.product else None,
                "product_name": line.product.product_name if line.product else None,
                "quantity": line.quantity if line.product else None,
                "unit": line.product.get_unit_of_measure_display() if line.product else None,
                "unit_price": _text(line.unit_price),
                "line_total": _text(line.line_total),
                "detail": line.detail,
                "notes": list(line.notes),
                "missing": line.missing or None,
            }
            for line in lines
        ],
        "kit_total": _text(kit_total),
    }
