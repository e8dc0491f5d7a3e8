import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_associate_logs_in_and_finds_a_customer_without_a_reload(page, screenshot, associate):
    CustomerFactory(first_name="Rosa", last_name="Delgado", phone_primary="(312) 555-0142")
    CustomerFactory(first_name="Sam", last_name="Whitaker")
    page.goto("/")
    assert "/accounts/login/" in page.url
    screenshot("login")
    login(page, "associate")
    assert page.get_by_test_id("current-user").inner_text() == "Avery Associate"
    screenshot("home-associate")

    page.get_by_role("link", name="Customers").first.click()
    page.evaluate("window.__marker = 'still-here'")
    page.get_by_label("Find by name, email or phone").fill("555 0142")
    expect(page.get_by_role("link", name="Sam Whitaker")).to_have_count(0)
    expect(page.get_by_role("link", name="Rosa Delgado")).to_be_visible()
    assert page.evaluate("window.__marker") == "still-here"  # swapped by htmx, not reloaded
    assert "q=555%200142" in page.url
    screenshot("customer-search")


def test_wrong_password_shows_a_message(page, associate):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("associate")
    page.get_by_label("Password").fill("nope")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("Please enter a correct username and password").is_visible()
    assert page.get_by_label("Username").input_value() == "associate"
