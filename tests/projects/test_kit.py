"""The setting-materials kit and the estimating shown on the design phase."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects import kit
from projects.models import ProductType, SelectionStatus, Surface
from tests.factories import ConversationFactory, ProductFactory, SelectionFactory, SurfaceFactory

pytestmark = pytest.mark.django_db

NO_TILE = {"size_length": None, "size_width": None, "size_thickness": None, "coverage_per_box": None, "edge_type": None}


@pytest.fixture
def setting_products():
    def product(sku, name, product_type, unit, price, pro=None, **extra):
        return ProductFactory(
            sku=sku,
            product_name=name,
            product_type=product_type,
            unit_of_measure=unit,
            price_retail=Decimal(price),
            price_pro=Decimal(pro) if pro else None,
            **{**NO_TILE, **extra},
        )

    return {
        "thin_std": product(
            "THIN-STD",
            "Standard Thinset, Gray, 50 lb",
            "adhesive",
            "bag",
            "14.98",
            "13.00",
            pack_weight_lb=Decimal("50"),
            pack_coverage_sf=Decimal("75"),
            color="gray",
        ),
        "thin_lft": product(
            "THIN-LFT",
            "Large-Format Mortar, Gray, 50 lb",
            "adhesive",
            "bag",
            "39.98",
            "35.50",
            pack_weight_lb=Decimal("50"),
            pack_coverage_sf=Decimal("45"),
            color="gray",
        ),
        "grout_u": product(
            "GR-U10",
            "Unsanded Grout, Warm Gray, 10 lb",
            "grout",
            "bag",
            "13.98",
            "12.10",
            pack_weight_lb=Decimal("10"),
            color="warm gray",
        ),
        "grout_s": product(
            "GR-S25",
            "Sanded Grout, Warm Gray, 25 lb",
            "grout",
            "bag",
            "21.98",
            "19.00",
            pack_weight_lb=Decimal("25"),
            color="warm gray",
        ),
        "membrane": product(
            "MEM-54",
            "Uncoupling Membrane, 54 sq ft Roll",
            "underlayment",
            "piece",
            "119.98",
            "105.00",
            pack_coverage_sf=Decimal("54"),
        ),
        "spacers": product("SPC-18", "Tile Spacers 1/8 in, Bag of 250", "spacers", "bag", "4.48"),
        "trim": product(
            "TRM-8",
            "Aluminum Edge Trim, Silver, 8 ft",
            "trim",
            "piece",
            "18.98",
            "16.50",
            piece_length_ft=Decimal("8"),
            color="silver",
            brand="Other Brand",
        ),
    }


def _tile(**kwargs):
    base = {
        "sku": "POR-1212",
        "product_name": "Porcelain 12x12, Warm Gray",
        "size_length": Decimal("12"),
        "size_width": Decimal("12"),
        "size_thickness": Decimal("0.375"),
        "coverage_per_box": Decimal("15.00"),
        "edge_type": "pressed",
        "color": "warm gray",
        "price_retail": Decimal("30.00"),
        "price_pro": Decimal("27.00"),
    }
    return ProductFactory(**{**base, **kwargs})


def _lines(surface, tile, customer, joint="0.125", trim="0"):
    return {
        line.role: line
        for line in kit.suggest(
            surface=surface,
            tile=tile,
            customer=customer,
            inputs=kit.KitInputs(Decimal(joint), Decimal(trim)),
            products=kit.candidates(),
        )
    }


def test_kit_for_the_worked_example(setting_products):
    surface = SurfaceFactory(surface_area_sf=Decimal("100"), surface_type="floor")
    tile = _tile()
    lines = _lines(surface, tile, surface.room.project.customer)
    grout = lines["grout"]
    # 12x12 in, 3/8 in thick, 1/8 in joints, 100 sq ft -> 6.5 lb unsanded before loss (TILE_MATH.md)
    assert grout.detail == "6.5 lb unsanded for 1/8 in joints"
    assert grout.product.sku == "GR-U10" and grout.quantity == 1  # 7.2 lb with loss -> one 10 lb bag
    assert lines["thinset"].product.sku == "THIN-STD"  # 12 in tile -> 1/4 x 3/8 trowel, 75 sq ft per bag
    assert lines["thinset"].quantity == 2
    assert lines["membrane"].quantity == 2  # 100 / 54 -> 2 rolls
    assert lines["spacers"].product.sku == "SPC-18"
    assert "trim" not in lines  # no trim measured


def test_kit_prices_follow_the_customer_level(setting_products):
    surface = SurfaceFactory(
        surface_area_sf=Decimal("100"),
        room__project__customer__customer_type="contractor",
        room__project__customer__pro_account_number="PRO-10001",
    )
    lines = _lines(surface, _tile(), surface.room.project.customer, trim="20")
    assert lines["thinset"].unit_price == Decimal("13.00")
    assert lines["thinset"].line_total == Decimal("26.00")
    assert lines["trim"].unit_price == Decimal("16.50")
    assert lines["trim"].quantity == 5  # ceil(20 * 1.05 / 8) + 2 spares
    assert lines["spacers"].unit_price == Decimal("4.48")  # no pro price: retail


def test_large_format_in_a_wet_area_uses_large_format_mortar_and_wider_joints_sanded_grout(setting_products):
    surface = SurfaceFactory(surface_area_sf=Decimal("80"), surface_type="shower_walls")
    tile = _tile(sku="LF-2448", size_length=Decimal("48"), size_width=Decimal("24"), edge_type="rectified")
    lines = _lines(surface, tile, surface.room.project.customer, joint="0.1875")
    assert lines["thinset"].product.sku == "THIN-LFT"
    assert "95% mortar coverage" in lines["thinset"].notes
    assert any(note.startswith("back-butter every tile (large format): incl.") for note in lines["thinset"].notes)
    assert lines["grout"].product.sku == "GR-S25"
    assert "membrane" not in lines  # walls get no uncoupling membrane


def _design(client, conversation):
    """The design page with every surface's setting materials open (a saved surface opens them on
    demand)."""
    surfaces = Surface.objects.filter(room__project=conversation.project).values_list("pk", flat=True)
    edit = ",".join(f"kit-{pk}" for pk in surfaces)
    return client.get(reverse("conversations:phase", args=[conversation.pk, "design"]), {"edit": edit})


def test_design_page_shows_the_large_format_wet_area_warning(associate_client, setting_products):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project, surface_type="shower_walls")
    tile = _tile(sku="LF-2448", size_length=Decimal("48"), size_width=Decimal("24"), edge_type="rectified")
    SelectionFactory(surface=surface, product=tile)
    html = _design(associate_client, conversation).content.decode()
    assert 'data-code="large_format_wet_area"' in html
    assert "Large-format tile (48 x 24 in) in a wet area" in html


def test_design_page_shows_grout_for_the_worked_example(associate_client, setting_products):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project, surface_area_sf=Decimal("100"))
    SelectionFactory(surface=surface, product=_tile(edge_type="rectified"))  # default joint: 1/8 in
    html = _design(associate_client, conversation).content.decode()
    assert 'name="joint_width" value="1/8"' in html
    assert "6.5 lb unsanded for 1/8 in joints" in html


def test_kit_recompute_partial_follows_the_joint(associate_client, setting_products):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project, surface_area_sf=Decimal("100"))
    SelectionFactory(surface=surface, product=_tile())
    url = reverse("conversations:surface_kit", args=[conversation.pk, surface.pk])
    response = associate_client.get(url, {"joint_width": "1/4", "trim_linear_ft": ""}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="design-surface-{surface.pk}"' in html
    assert 'id="project-totals"' in html and 'hx-swap-oob="true"' in html
    assert "lb sanded for 1/4 in joints" in html
    bad = associate_client.get(url, {"joint_width": "wide"}, headers={"HX-Request": "true"})
    assert "Give the joint like 1/8 or 0.125 (inches)." in bad.content.decode()
    assert 'value="wide"' in bad.content.decode()


def test_accepting_the_kit_adds_the_ticked_lines_in_one_click(associate_client, setting_products):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project, surface_area_sf=Decimal("100"))
    SelectionFactory(surface=surface, product=_tile())
    url = reverse("conversations:surface_kit", args=[conversation.pk, surface.pk])
    response = associate_client.post(
        url, {"joint_width": "1/8", "role": ["thinset", "grout", "membrane"]}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    added = {
        s.product_id: (s.quantity_ordered, s.price_per_unit, s.total_price, s.selection_status)
        for s in surface.selections.exclude(product_type=ProductType.TILE)
    }
    assert added == {
        "THIN-STD": (Decimal("2.00"), Decimal("14.98"), Decimal("29.96"), SelectionStatus.SELECTED),
        "GR-U10": (Decimal("1.00"), Decimal("13.98"), Decimal("13.98"), SelectionStatus.SELECTED),
        "MEM-54": (Decimal("2.00"), Decimal("119.98"), Decimal("239.96"), SelectionStatus.SELECTED),
    }


@pytest.mark.parametrize(
    ("pattern", "complexity", "expected"),
    [
        ("herringbone", "simple", "20"),
        ("herringbone", "moderate", "23"),
        ("straight_lay", "simple", "10"),
        ("diagonal", "complex", "20"),
    ],
)
def test_waste_default_partial_for_the_pattern(associate_client, pattern, complexity, expected):
    conversation = ConversationFactory()
    response = associate_client.get(
        reverse("conversations:waste_default", args=[conversation.pk]),
        {"field_id": "new-surface-abc-waste_factor", "pattern_type": pattern, "complexity_level": complexity},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="wrap-new-surface-abc-waste_factor"' in html
    assert f'value="{expected}"' in html


def test_waste_default_counts_the_surfaces_large_format_tile(associate_client):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project)
    SelectionFactory(surface=surface, product=_tile(sku="LF", size_length=Decimal("24"), size_width=Decimal("24")))
    response = associate_client.get(
        reverse("conversations:waste_default", args=[conversation.pk]),
        {"field_id": f"surface-{surface.pk}-waste_factor", "pattern_type": "herringbone", "surface": surface.pk},
    )
    assert 'value="23"' in response.content.decode()  # 20 % + 3 % large format


def test_waste_default_refuses_odd_input(associate_client):
    conversation = ConversationFactory()
    url = reverse("conversations:waste_default", args=[conversation.pk])
    assert associate_client.get(url, {"field_id": "<script>", "pattern_type": "herringbone"}).status_code == 404
    assert associate_client.get(url, {"field_id": "x-waste_factor", "pattern_type": "zigzag"}).status_code == 404


def test_design_page_query_count_with_kits_is_constant(
    associate_client, setting_products, django_assert_max_num_queries
):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project)
    SelectionFactory(surface=surface, product=_tile())
    with django_assert_max_num_queries(20) as few:
        _design(associate_client, conversation)
    for n in range(4):
        more = SurfaceFactory(room__project=conversation.project)
        SelectionFactory(surface=more, product=_tile(sku=f"T-{n}"))
        SelectionFactory(surface=more, product=setting_products["grout_u"], product_type="grout")
    with django_assert_max_num_queries(len(few.captured_queries)):
        _design(associate_client, conversation)


@pytest.mark.parametrize(
    ("stored", "read"),
    [("0.38", "0.375"), ("0.31", "0.3125"), ("0.44", "0.4375"), ("0.50", "0.5"), ("0.75", "0.75"), ("0.25", "0.25")],
)
def test_thickness_stored_to_the_cent_reads_as_the_nominal_fraction(stored, read):
    assert kit.tile_thickness(ProductFactory.build(size_thickness=Decimal(stored))) == Decimal(read)
    assert kit.tile_thickness(ProductFactory.build(size_thickness=None)) is None


def test_kit_lines_already_on_the_surface_are_left_unticked(associate_client, setting_products):
    conversation = ConversationFactory()
    surface = SurfaceFactory(room__project=conversation.project, surface_area_sf=Decimal("100"))
    SelectionFactory(surface=surface, product=_tile())
    SelectionFactory(surface=surface, product=setting_products["thin_std"], product_type="adhesive")
    html = _design(associate_client, conversation).content.decode()
    assert "already on this surface" in html
    grout_box = html.split(f'id="kit-{surface.pk}-grout"')[1].split(">")[0]
    thinset_box = html.split(f'id="kit-{surface.pk}-thinset"')[1].split(">")[0]
    assert "checked" in grout_box
    assert "checked" not in thinset_box
