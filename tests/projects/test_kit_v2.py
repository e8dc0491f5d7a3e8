"""The kit for mosaics, wet areas and real surface dimensions (issue 14): waterproofing for shower
walls, shower floors and tub surrounds; no spacers for sheet-mounted products; the trowel and the
grout by a mosaic's chip; the back-butter allowance named on the thinset line; spacers along the
surface's real grid; missing thickness said instead of a silently missing grout line."""

from decimal import Decimal

import pytest

from projects import kit
from tests.factories import ProductFactory, SelectionFactory, SurfaceFactory
from tests.projects import test_kit
from tests.projects.test_kit import NO_TILE, _lines, _tile

# The setting products of the kit's tests (a fixture).
setting_products = test_kit.setting_products

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def waterproofing(setting_products):
    return ProductFactory(
        sku="WPM-108",
        product_name="Sheet Waterproofing Membrane, 108 sq ft Roll",
        product_type="underlayment",
        unit_of_measure="piece",
        price_retail=D("219.98"),
        price_pro=D("199.00"),
        pack_coverage_sf=D("108"),
        **NO_TILE,
    )


def _mosaic(**kwargs):
    base = {
        "sku": "MOS-22",
        "product_name": "Porcelain 2x2 Mosaic (12x12 sheet), Warm Gray",
        "size_length": D("12"),
        "size_width": D("12"),
        "size_thickness": D("0.25"),
        "coverage_per_box": D("10.00"),
        "mounting": "sheet",
        "chip_length": D("2"),
        "chip_width": D("2"),
        "chip_shape": "square",
        "sheet_coverage_sf": D("1.00"),
    }
    return _tile(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("surface_type", "suggested"),
    [
        ("shower_walls", True),
        ("shower_floor", True),
        ("tub_surround", True),
        ("floor", False),
        ("backsplash", False),
        ("exterior_wall", False),
    ],
)
def test_waterproofing_is_suggested_for_shower_walls_floors_and_tub_surrounds(waterproofing, surface_type, suggested):
    surface = SurfaceFactory(surface_area_sf=D("120"), surface_type=surface_type, width_ft=D("10"), height_ft=D("8"))
    lines = _lines(surface, _tile(), surface.room.project.customer)
    assert ("waterproofing" in lines) is suggested
    if suggested:
        line = lines["waterproofing"]
        assert (line.product.sku, line.quantity) == ("WPM-108", 2)  # 120 / 108 -> 2 rolls
        assert line.line_total == D("439.96")


def test_waterproofing_can_be_added_and_replaces_no_membrane_on_a_shower_wall(waterproofing, associate_client):
    surface = SurfaceFactory(surface_area_sf=D("60"), surface_type="shower_walls")
    lines = _lines(surface, _tile(), surface.room.project.customer)
    from projects import services

    added = services.kit_add(surface=surface, lines=[lines["waterproofing"]])

    assert [(s.product_id, s.quantity_ordered) for s in added] == [("WPM-108", D("1"))]


def test_a_sheet_mounted_mosaic_gets_no_spacers_and_its_chips_trowel_and_grout(setting_products):
    surface = SurfaceFactory(surface_area_sf=D("100"), surface_type="floor", length_ft=D("10"), width_ft=D("10"))
    lines = _lines(surface, _mosaic(), surface.room.project.customer, joint="0.0625")

    assert "spacers" not in lines
    thinset = lines["thinset"]
    assert "Trowel 1/4 x 1/4 in square" in thinset.notes  # the 2 in chip, not the 12 in sheet's 1/4 x 3/8
    assert "trowel for the 2 in chip, not the sheet" in thinset.notes
    grout = lines["grout"]
    # 2x2 at 1/16, 1/4 deep: 12.4 lb (SikaTile-800's chart: 12.3 lb per 100 sq ft); with loss 13.7
    assert grout.detail == "12.4 lb unsanded for 1/16 in joints"
    assert "by the 2 in chip" in grout.notes
    assert grout.quantity == 2  # 13.7 lb -> two 10 lb bags


def test_a_mosaics_own_grout_figure_wins(setting_products):
    surface = SurfaceFactory(surface_area_sf=D("100"))
    lines = _lines(surface, _mosaic(grout_lb_per_sf=D("0.150")), surface.room.project.customer, joint="0.0625")
    assert lines["grout"].detail == "15.0 lb unsanded for 1/16 in joints"
    assert "product figure" in lines["grout"].notes


def test_a_penny_round_takes_four_times_a_2x2s_grout(setting_products):
    surface = SurfaceFactory(surface_area_sf=D("100"))
    penny = _mosaic(sku="PNY-34", chip_shape="penny_round", chip_length=D("0.75"), chip_width=D("0.75"))
    lines = _lines(surface, penny, surface.room.project.customer, joint="0.0625")
    assert lines["grout"].detail == "47.3 lb unsanded for 1/16 in joints"
    assert "by the 3/4 in penny round chip" in lines["grout"].notes


def test_a_tile_without_thickness_says_so_instead_of_dropping_the_grout(setting_products):
    surface = SurfaceFactory(surface_area_sf=D("100"))
    lines = _lines(surface, _tile(size_thickness=None), surface.room.project.customer)
    grout = lines["grout"]
    assert (grout.product, grout.quantity) == (None, 0)
    assert "No thickness" in grout.missing


def test_the_thinset_line_names_the_back_butter_allowance(setting_products):
    surface = SurfaceFactory(surface_area_sf=D("100"), surface_type="floor")
    tile = _tile(
        sku="POR-1224", size_length=D("23.62"), size_width=D("11.81"), nominal_length=D("24"), nominal_width=D("12")
    )
    thinset = _lines(surface, tile, surface.room.project.customer)["thinset"]
    # 1/2 x 1/2 in: 100 / 50 = 2 bags + 0.5 back-butter -> 3
    assert thinset.quantity == 3
    assert any("incl. 0.5 × 50 lb bag back-butter allowance" in note for note in thinset.notes)


def test_a_600_mm_tile_takes_the_24_in_trowel_by_its_nominal_size(setting_products):
    surface = SurfaceFactory(surface_area_sf=D("90"), surface_type="floor")
    metric = _tile(
        sku="POR-600", size_length=D("23.62"), size_width=D("23.62"), nominal_length=D("24"), nominal_width=D("24")
    )
    thinset = _lines(surface, metric, surface.room.project.customer)["thinset"]
    assert thinset.product.sku == "THIN-LFT"
    assert "Trowel 3/4 in U-notch" in thinset.notes


@pytest.mark.parametrize(
    ("surface_kwargs", "crosses"),
    [
        # 100 sq ft as 10 x 10 ft: ceil(120 / 12.125) = 10 each way -> 81
        ({"surface_type": "floor", "length_ft": D("10"), "width_ft": D("10")}, 81),
        # 100 sq ft as a 50 x 2 ft hall: ceil(600 / 12.125) = 50, ceil(24 / 12.125) = 2 -> 49
        ({"surface_type": "floor", "length_ft": D("50"), "width_ft": D("2")}, 49),
        # a wall goes by width x height: 12.5 x 8 ft -> ceil(150 / 12.125) = 13, ceil(96 / 12.125) = 8
        ({"surface_type": "accent_wall", "width_ft": D("12.5"), "height_ft": D("8"), "length_ft": None}, 84),
        # no dimensions: the square guess
        ({"surface_type": "floor", "length_ft": None, "width_ft": None}, 81),
    ],
)
def test_spacers_follow_the_surfaces_real_grid(setting_products, surface_kwargs, crosses):
    surface = SurfaceFactory(surface_area_sf=D("100"), **surface_kwargs)
    assert _lines(surface, _tile(), surface.room.project.customer)["spacers"].detail == f"≈ {crosses} crosses at 1/8 in"


def test_a_one_row_border_needs_no_spacers(setting_products):
    surface = SurfaceFactory(surface_area_sf=D("100"), surface_type="floor", length_ft=D("100"), width_ft=D("1"))
    assert "spacers" not in _lines(surface, _tile(), surface.room.project.customer)


def test_missing_figures_are_tile_warnings():
    surface = SurfaceFactory(surface_area_sf=D("100"))
    tile = _tile(coverage_per_box=None, size_thickness=None)
    selection = SelectionFactory(surface=surface, product=tile, product_type="tile")
    codes = [w.code for w in kit.tile_warnings(selection, surface)]
    assert codes[:2] == ["missing_coverage", "missing_thickness"]
