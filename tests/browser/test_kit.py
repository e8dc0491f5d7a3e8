"""The setting-materials kit in a browser: the typed joint is kept across a reload, re-adding
after a joint change leaves one grout, and an empty Add says so."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projects.models import ProductType, SelectedProduct
from tests.browser.conftest import login
from tests.factories import ConversationFactory, SelectionFactory, SurfaceFactory
from tests.projects.test_kit import _tile, setting_products  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settled(page):
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")).to_have_count(0)


def test_kit_joint_survives_a_reload_and_re_adding_replaces(page, associate, setting_products):  # noqa: F811
    conversation = ConversationFactory(project__sales_associate=associate)
    surface = SurfaceFactory(room__project=conversation.project, surface_area_sf=Decimal("100"))
    SelectionFactory(surface=surface, product=_tile())
    login(page, "associate")
    page.goto(f"/conversations/{conversation.pk}/design/")
    expect(page.get_by_test_id("kit")).to_have_count(0)  # a saved surface opens its kit when asked
    page.get_by_role("link", name="Setting materials").click()
    joint = page.locator(f"#kit-{surface.pk}-joint_width")
    joint.fill("1/8")
    joint.dispatch_event("change")
    expect(page.locator('[data-role="grout"]')).to_contain_text("unsanded for 1/8 in joints")
    settled(page)

    page.get_by_test_id("kit").get_by_role("button", name="Add the ticked setting materials").click()
    settled(page)
    grout_box = page.locator(f"#kit-{surface.pk}-grout")
    expect(grout_box).not_to_be_checked()  # unsanded grout is on the surface now
    expect(page.locator('[data-role="grout"]')).to_contain_text("already on this surface")

    joint = page.locator(f"#kit-{surface.pk}-joint_width")
    joint.fill("1/4")
    joint.dispatch_event("change")
    expect(page.locator('[data-role="grout"]')).to_contain_text("replaces GR-U10")
    settled(page)
    page.reload()
    page.get_by_role("link", name="Setting materials").click()
    expect(page.locator(f"#kit-{surface.pk}-joint_width")).to_have_value("1/4")
    expect(page.locator('[data-role="grout"]')).to_contain_text("sanded for 1/4 in joints")

    page.locator(f"#kit-{surface.pk}-grout").check()
    page.get_by_test_id("kit").get_by_role("button", name="Add the ticked setting materials").click()
    settled(page)
    expect(page.locator('[data-role="grout"]')).to_contain_text("already on this surface")
    grouts = SelectedProduct.objects.filter(surface=surface, product_type=ProductType.GROUT)
    assert list(grouts.values_list("product_id", flat=True)) == ["GR-S25"]

    for box in page.get_by_test_id("kit").locator('input[name="role"]').all():
        box.uncheck()
    page.get_by_test_id("kit").get_by_role("button", name="Add the ticked setting materials").click()
    expect(page.get_by_text("Nothing ticked")).to_be_visible()
