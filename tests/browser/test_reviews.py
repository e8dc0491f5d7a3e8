"""Browser tests of the AOS score review (issue 6) on the demo data: the manager's dashboard charts
render in Chromium at tablet width, the htmx filter swaps the dashboard in place, a manager scores a
conversation with the rubric, and an associate sees their own scores and follow-ups but cannot
reach another associate's. Screenshots land in artifacts/screenshots/reviews-*.png."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from aos_crm.models import User
from conversations.models import ConversationLog
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-demo-password"


@pytest.fixture
def demo(monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", stdout=io.StringIO())


def box(locator):
    locator.scroll_into_view_if_needed()
    found = locator.bounding_box()
    assert found is not None
    return found


def no_horizontal_scroll(page):
    """Nothing on the page's own content sticks out to the right (wide tables scroll inside their
    card). The navigation bar belongs to base.html and is not judged here."""
    sticking_out = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(el => !el.closest('.table-responsive'))
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .map(el => el.tagName + '.' + el.className)"""
    )
    assert sticking_out == []


def test_manager_dashboard_charts_render_and_the_filter_swaps_in_place(demo, page, screenshot):
    login(page, "manager", PASSWORD)
    page.get_by_role("link", name="Team").click()
    page.wait_for_url("**/reviews/team/")
    expect(page.get_by_role("heading", name="Team AOS scores")).to_be_visible()

    table = page.get_by_test_id("score-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table).to_contain_text("Alex Rivera")

    trend = page.get_by_test_id("trend-chart")
    assert box(trend)["width"] > 900  # the full card at 1024 px
    series = page.get_by_test_id("trend-series")
    expect(series).to_have_count(4)
    for n in range(4):
        line = series.nth(n).locator("polyline").first
        drawn = box(line)
        assert drawn["width"] > 300 and drawn["height"] > 5, "each associate's line spans the weeks"
    expect(trend).to_contain_text("Taylor Brooks")

    distribution = page.get_by_test_id("distribution-chart")
    assert box(distribution)["width"] > 400
    expect(page.get_by_test_id("distribution-bar")).to_have_count(6)
    assert page.locator("[data-testid=distribution-bar] rect").count() >= 18
    close = page.get_by_test_id("close-rate-chart")
    assert box(close)["width"] > 400
    expect(page.get_by_test_id("close-rate-bar")).to_have_count(4)
    four, two = (box(page.locator(f"[data-testid=close-rate-bar][data-score='{s}'] rect")) for s in (4, 2))
    assert four["height"] > two["height"], "on the demo data a 4 closes more often than a 2"
    no_horizontal_scroll(page)
    screenshot("reviews-team")

    page.evaluate("window.__marker = 'no-reload'")
    page.get_by_label("Jordan Kim").check()
    expect(page.get_by_test_id("trend-series")).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(1)
    assert page.evaluate("window.__marker") == "no-reload", "the filter reloaded the page instead of swapping"
    assert re.search(r"associate=\d+", page.url), "the filtered view has its own URL"
    expect(page.get_by_test_id("csv-link")).to_have_attribute("href", re.compile(r"team\.csv\?.*associate="))
    screenshot("reviews-team-filtered", full_page=False)

    page.set_viewport_size({"width": 768, "height": 1024})
    page.reload()
    expect(page.get_by_test_id("trend-series")).to_have_count(1)
    no_horizontal_scroll(page)
    screenshot("reviews-team-768")


def test_manager_scores_a_conversation_with_the_rubric(demo, page, screenshot):
    associate = User.objects.get(username="associate2")
    login(page, "manager", PASSWORD)
    page.goto(f"/reviews/associates/{associate.pk}/")
    expect(page.get_by_test_id("associate-name")).to_have_text("Jordan Kim")
    expect(page.get_by_test_id("trend-series")).to_have_count(1)
    rows = page.get_by_test_id("conversation-row")
    expect(rows).to_have_count(25)
    screenshot("reviews-associate")

    rows.nth(0).get_by_role("link", name="Score", exact=True).click()
    page.wait_for_url(re.compile(r"/reviews/conversations/[0-9a-f-]+/score/"))
    log_id = page.url.rstrip("/").split("/")[-2]
    expect(page.get_by_text("A manager would use it as a training example.")).to_be_visible()
    expect(page.get_by_test_id("completeness-needs")).to_contain_text("%")
    screenshot("reviews-score")

    page.locator("#aos_score_overall-4").check()
    page.locator("#aos_score_greeting-3").check()
    page.get_by_role("button", name="Save scores").click()
    page.wait_for_url(f"**/reviews/associates/{associate.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("Scores saved")
    conversation = ConversationLog.objects.get(pk=log_id)
    assert (conversation.aos_score_overall, conversation.aos_score_greeting) == (4, 3)


def test_associate_sees_own_scores_and_followups_but_not_associate2s(demo, page, screenshot):
    other = User.objects.get(username="associate2")
    login(page, "associate", PASSWORD)
    expect(page.get_by_role("link", name="Team")).to_have_count(0)
    page.get_by_role("link", name="My scores").click()
    page.wait_for_url("**/reviews/mine/")
    expect(page.get_by_role("heading", name="My AOS scores")).to_be_visible()
    expect(page.get_by_test_id("trend-series")).to_have_count(1)
    assert box(page.get_by_test_id("trend-series").locator("polyline").first)["width"] > 200
    expect(page.get_by_role("link", name="Score", exact=True)).to_have_count(0)
    no_horizontal_scroll(page)
    screenshot("reviews-mine")

    response = page.goto(f"/reviews/associates/{other.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Jordan Kim")
    assert page.goto("/reviews/team/").status == 403

    page.goto("/reviews/followups/")
    expect(page.get_by_role("heading", name="My follow-ups")).to_be_visible()
    first = page.get_by_test_id("followup").first
    expect(first.get_by_role("link", name="Open customer")).to_have_attribute("href", re.compile(r"^/customers/"))
    screenshot("reviews-followups")
    first.get_by_role("link", name="Start follow-up").click()
    page.wait_for_url(re.compile(r"/conversations/new/[0-9a-f-]+/\?project=[0-9a-f-]+$"))
