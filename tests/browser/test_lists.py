"""Long lists in the browser: "more results" appends in place with htmx and is a plain link
without JavaScript; page links keep the search."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_more_customer_results_append_in_place(page, screenshot, associate):
    CustomerFactory.create_batch(20, last_name="Pagewell")
    login(page, "associate")
    page.goto("/conversations/new/")
    page.evaluate("window.__marker = 'kept'")
    page.get_by_label("Phone, email or name").fill("pagewell")
    results = page.get_by_test_id("customer-results")
    continue_links = results.get_by_role("link", name="Continue with")
    expect(continue_links).to_have_count(8)
    results.get_by_role("link", name="More results").click()
    expect(continue_links).to_have_count(16)
    results.get_by_role("link", name="More results").click()
    expect(continue_links).to_have_count(20)
    expect(results.get_by_role("link", name="More results")).to_have_count(0)
    assert page.evaluate("window.__marker") == "kept"  # appended by htmx, not reloaded
    screenshot("customer-search-more")


def test_more_results_and_page_links_work_without_javascript(browser, live_server, associate):
    CustomerFactory.create_batch(30, last_name="Pagewell")
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, "associate")
        page.goto("/conversations/new/?q=pagewell")
        results = page.get_by_test_id("customer-results")
        expect(results.get_by_role("link", name="Continue with")).to_have_count(8)
        results.get_by_role("link", name="More results").click()
        assert "page=2" in page.url
        expect(page.get_by_test_id("customer-results").get_by_role("link", name="Continue with")).to_have_count(8)

        page.goto("/customers/?q=pagewell")
        expect(page.get_by_role("link", name="Pagewell")).to_have_count(25)
        page.get_by_role("link", name="Next").click()
        assert "q=pagewell" in page.url and "page=2" in page.url
        expect(page.get_by_role("link", name="Pagewell")).to_have_count(5)
        expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    finally:
        context.close()


def test_follow_up_sections_page_past_their_cap_without_javascript(browser, live_server, associate):
    from datetime import timedelta

    from django.utils import timezone

    from conversations import reviews
    from conversations.models import ConversationLog
    from tests.factories import ConversationFactory

    today = timezone.localdate()
    for i in range(reviews.FOLLOWUP_ROWS + 3):
        conversation = ConversationFactory(
            project__sales_associate=associate,
            closed_at=timezone.now(),
            outcome="follow_up_scheduled",
            next_action=f"Call back #{i:02d}",
        )
        ConversationLog.objects.filter(pk=conversation.pk).update(next_contact_date=today - timedelta(days=i + 1))
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, "associate")
        page.goto("/reviews/followups/")
        overdue = page.get_by_test_id("followups-overdue")
        expect(overdue.get_by_test_id("followup")).to_have_count(reviews.FOLLOWUP_ROWS)
        overdue.get_by_role("link", name="More overdue").click()
        assert "overdue_page=2" in page.url
        overdue = page.get_by_test_id("followups-overdue")
        expect(overdue.get_by_test_id("followup")).to_have_count(3)
        expect(overdue.get_by_text(f"{reviews.FOLLOWUP_ROWS + 1}–{reviews.FOLLOWUP_ROWS + 3} by date")).to_be_visible()
        page.screenshot(path=str(_artifact("followups-page-2")), full_page=True)
        overdue.get_by_role("link", name="Previous").click()
        expect(page.get_by_test_id("followups-overdue").get_by_test_id("followup")).to_have_count(reviews.FOLLOWUP_ROWS)
    finally:
        context.close()


def _artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
