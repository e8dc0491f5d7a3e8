"""Two associates edit the same surface in two browsers: the second save is refused with the
first one's value shown and the second one's typing kept, instead of silently overwriting it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projects.models import Surface
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import ConversationFactory, RoomFactory, SurfaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def surface_form(page):
    return page.get_by_test_id("room-card").filter(has_text="Hall bath").get_by_test_id("surface-form")


def open_surface(browser, live_server, username, conversation):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, username)
    page.goto(f"/conversations/{conversation.pk}/needs/")
    card = page.get_by_test_id("room-card").filter(has_text="Hall bath")
    card.get_by_test_id("surface-row").get_by_role("link", name="Edit").click()
    expect(surface_form(page)).to_have_count(1)
    return context, page


def test_the_second_of_two_saves_of_one_surface_is_refused_with_the_first_ones_value(
    browser, live_server, associate, associate2
):
    conversation = ConversationFactory(project__sales_associate=associate, aos_phase="needs_assessment")
    room = RoomFactory(project=conversation.project, room_name="Hall bath")
    surface = SurfaceFactory(room=room, surface_area_sf=Decimal("80.00"), pattern_type="straight_lay")
    first, first_page = open_surface(browser, live_server, "associate2", conversation)
    second, second_page = open_surface(browser, live_server, "associate", conversation)
    try:
        form = surface_form(first_page)
        form.get_by_label("Pattern").select_option(label="Diagonal")
        form.get_by_role("button", name="Save surface").click()
        expect(surface_form(first_page)).to_have_count(0)

        form = surface_form(second_page)
        form.get_by_label("Area (sq ft)").fill("120")
        form.get_by_label("Length (ft)").fill("")
        form.get_by_label("Width (ft)").fill("")
        form.get_by_role("button", name="Save surface").click()

        refused = surface_form(second_page)
        expect(refused.get_by_test_id("form-conflict")).to_contain_text("Someone else saved this")
        expect(refused.get_by_test_id("form-conflict")).to_contain_text("Pattern: Diagonal")
        expect(refused.get_by_label("Area (sq ft)")).to_have_value("120")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        refused.screenshot(path=str(ARTIFACTS / "concurrency-surface-refused.png"))
        stored = Surface.objects.get(pk=surface.pk)
        assert (stored.surface_area_sf, stored.pattern_type) == (Decimal("80.00"), "diagonal")

        # Saving again, knowing, replaces the other person's values.
        refused.get_by_role("button", name="Save surface").click()
        expect(surface_form(second_page)).to_have_count(0)
        stored.refresh_from_db()
        assert stored.surface_area_sf == Decimal("120.00")
    finally:
        first.close()
        second.close()
