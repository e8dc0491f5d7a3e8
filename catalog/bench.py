"""A synthetic catalog for the benchmark (`manage.py bench_catalog`) and the 50k-product tests:
invented brands, series, colors and sizes, deterministic for a seed. Every SKU starts with
`BENCH-` so the benchmark can remove exactly what it made."""

from __future__ import annotations

import csv
import io
import random
from decimal import ROUND_HALF_UP, Decimal

from catalog.resources import COLUMNS

SKU_PREFIX = "BENCH-"
CENT = Decimal("0.01")

BRANDS = [
    "Alderstone", "Bellamare", "Cortina", "Dunmore", "Everhill", "Fairhaven", "Glenrock", "Harborline",
    "Ironwood", "Juniper", "Kestrel", "Lakeside", "Marisol", "Northgate", "Oakridge", "Pinecrest",
    "Quarryline", "Redfern", "Stonebridge", "Terrazia", "Umbra", "Valmont", "Westbrook", "Yarrow",
]  # fmt: skip
SERIES = [
    "Plank", "Slate", "Hex", "Subway", "Terrazzo", "Onyx", "Calacatta", "Travertine", "Concrete",
    "Zellige", "Chevron", "Herringbone", "Penny", "Arabesque", "Basalt", "Limestone", "Quartzite",
    "Driftwood", "Savanna", "Metro",
]  # fmt: skip
COLORS = [
    "white", "bone", "ivory", "cream", "beige", "sand", "taupe", "greige", "gray", "dove gray",
    "charcoal", "black", "graphite", "silver", "blue", "navy", "teal", "sage", "olive", "green",
    "terracotta", "rust", "walnut", "oak", "honey", "blush", "multi",
]  # fmt: skip
RARE_COLOR = "saffron"  # on a handful of products only: the "find it by a color word" check
MATERIALS = ["porcelain", "ceramic", "marble", "glass", "travertine", "slate", "granite", "cement"]
FINISHES = ["Matte", "Polished", "Honed", "Textured", "Glossy", "Lappato"]
SIZES = [  # (code, label, length, width, pieces per box)
    ("1224", "12x24", "23.62", "11.81", 8),
    ("2424", "24x24", "23.62", "23.62", 4),
    ("0848", "8x48", "47.24", "7.87", 6),
    ("0312", "3x12", "12.00", "3.00", 44),
    ("1212", "12x12", "11.81", "11.81", 15),
    ("0636", "6x36", "35.43", "5.91", 12),
]


def synthetic_rows(count: int, *, seed: int = 7):
    """`count` catalog rows as dicts of CSV cells (the import's columns)."""
    rng = random.Random(seed)
    for n in range(count):
        brand = rng.choice(BRANDS)
        series = rng.choice(SERIES)
        size_code, size_label, length, width, pieces = rng.choice(SIZES)
        color = RARE_COLOR if n % 9973 == 17 else rng.choice(COLORS)
        coverage = (pieces * Decimal(length) * Decimal(width) / 144).quantize(CENT, ROUND_HALF_UP)
        per_sf = Decimal(rng.randint(199, 1299)) / 100
        retail = (per_sf * coverage).quantize(CENT, ROUND_HALF_UP)
        pro = (retail * Decimal("0.88")).quantize(CENT, ROUND_HALF_UP)
        special = rng.random() < 0.08
        yield {
            "sku": f"{SKU_PREFIX}{brand[:3].upper()}-{size_code}-{n:06d}",
            "product_name": f"{brand} {series} {size_label} {rng.choice(FINISHES)}",
            "product_type": "tile",
            "brand": brand,
            "material": rng.choice(MATERIALS),
            "color": color,
            "size_length": length,
            "size_width": width,
            "size_thickness": "0.35",
            "coverage_per_box": str(coverage),
            "pieces_per_box": str(pieces),
            "price_retail": str(retail),
            "price_pro": str(pro),
            "in_stock": "1" if rng.random() < 0.85 else "0",
            "discontinued": "1" if rng.random() < 0.05 else "0",
            "special_order": "1" if special else "0",
            "unit_of_measure": "box",
            "pack_weight_lb": "",
            "pack_coverage_sf": "",
            "piece_length_ft": "",
            "edge_type": "rectified",
            "lead_time_days": str(rng.choice([14, 21, 28])) if special else "",
        }


def synthetic_csv(count: int, *, seed: int = 7) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(synthetic_rows(count, seed=seed))
    return out.getvalue()


def synthetic_products(count: int, *, seed: int = 7):
    """The same rows as unsaved ProductCatalog instances, for a fast bulk_create in tests."""
    from catalog.models import ProductCatalog
    from catalog.resources import ProductResource

    resource = ProductResource()
    for row in synthetic_rows(count, seed=seed):
        yield ProductCatalog(**{column: resource.fields[column].clean(row) for column in COLUMNS if column in row})
