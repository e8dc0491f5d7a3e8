"""The quick estimate in a browser: 100 sq ft of a 2x2 mosaic on 12x12 sheets shows grout within
10 % of SikaTile-800's chart (1,000 / 81 = 12.3 lb per 100 sq ft at 1/16 in), no spacers and the
mosaic waste; a shower wall suggests waterproofing; /estimate.json answers the page's numbers."""

import json
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import MosaicFactory, ProductFactory
from tests.projects import test_kit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = Decimal
CHART_LB_PER_100_SF = D(1000) / 81  # SikaTile-800 unsanded, 2x2x1/4 in, 1/16 in: 81 sq ft per 10 lb

setting_products = test_kit.setting_products


def test_a_2x2_mosaic_on_a_shower_wall_with_the_json_beside_it(page, associate, setting_products, screenshot):
    MosaicFactory(sku="MOS-22", product_name="Porcelain 2x2 Mosaic (12x12 sheet)", color="warm gray")
    ProductFactory(
        sku="WPM-108",
        product_name="Sheet Waterproofing Membrane, 108 sq ft Roll",
        product_type="underlayment",
        unit_of_measure="piece",
        price_retail=D("219.98"),
        price_pro=None,
        pack_coverage_sf=D("108"),
        **test_kit.NO_TILE,
    )
    login(page, "associate")
    page.get_by_role("link", name="Quick estimate").click()
    page.get_by_label("Find a tile").fill("mosaic")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="MOS-22").click()
    form = page.get_by_test_id("estimate-form")
    expect(form.get_by_label("Tile SKU")).to_have_value("MOS-22")
    form.get_by_label("Area (sq ft)").fill("100")
    form.get_by_label("Grout joint (in)").fill("1/16")
    form.get_by_label("Surface").select_option("floor")
    form.get_by_role("button", name="Estimate").click()

    result = page.get_by_test_id("estimate-result")
    expect(result).to_be_visible()
    grout = page.locator('[data-testid="estimate-kit-line"][data-role="grout"]')
    pounds = D(re.search(r"([\d.]+) lb unsanded", grout.inner_text())[1])
    assert abs(pounds / CHART_LB_PER_100_SF - 1) <= D("0.10")
    expect(page.locator('[data-testid="estimate-kit-line"][data-role="spacers"]')).to_have_count(0)
    expect(page.get_by_test_id("estimate-waste")).to_have_text("0.15")  # 10 % straight lay + 5 % mosaic
    # A floor gets the uncoupling membrane, never the waterproofing roll.
    expect(page.locator('[data-testid="estimate-kit-line"][data-role="membrane"]')).not_to_contain_text("WPM-108")
    screenshot("quick-estimate-mosaic")

    boxes = page.get_by_test_id("estimate-boxes").inner_text().strip()
    bought = page.get_by_test_id("estimate-sf").inner_text().strip()
    page.get_by_test_id("estimate-json-link").click()
    answer = json.loads(page.locator("body").inner_text())
    assert (str(answer["boxes"]), answer["sf_purchased"], answer["waste"]) == (boxes, bought, "0.15")
    grout_json = next(line for line in answer["kit"] if line["role"] == "grout")
    assert grout_json["detail"].startswith(f"{pounds} lb unsanded")
    page.go_back()

    form = page.get_by_test_id("estimate-form")
    form.get_by_label("Surface").select_option("shower_walls")
    form.get_by_role("button", name="Estimate").click()
    waterproofing = page.locator('[data-testid="estimate-kit-line"][data-role="waterproofing"]')
    expect(waterproofing).to_contain_text("WPM-108")
    expect(waterproofing).to_contain_text("1 piece")
    screenshot("quick-estimate-shower-wall")
