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
