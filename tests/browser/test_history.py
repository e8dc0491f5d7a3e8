"""The History panel as a manager sees it (PostgreSQL: the history is written by triggers)."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from customers.models import Customer
from history.context import history_context
from tests.browser.conftest import ARTIFACTS, login
from tests.factories import ConversationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_who_changed_a_customers_phone_and_an_associate_sees_no_panel(
    page, browser, live_server, manager, associate
):
    if connection.vendor != "postgresql":
        pytest.skip("the change history is written by PostgreSQL triggers")
    customer = ConversationFactory(project__sales_associate=associate).project.customer
    with history_context(user=associate):
        Customer.objects.filter(pk=customer.pk).update(phone_primary="+13125550199", city="Evanston")

    login(page, "manager")
    page.goto(f"/customers/{customer.pk}/")
    panel = page.get_by_test_id("history")
    expect(panel.get_by_role("heading", name="History")).to_be_visible()
    expect(panel.get_by_test_id("history-row").first).to_contain_text("Customer changed by Avery Associate")
    expect(panel).to_contain_text("City: Springfield → Evanston")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "history-panel-customer.png"), full_page=True)

    context = browser.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url)
    try:
        other = context.new_page()
        login(other, "associate")
        other.goto(f"/customers/{customer.pk}/")
        expect(other.get_by_role("heading", name=customer.full_name)).to_be_visible()
        expect(other.get_by_test_id("history")).to_have_count(0)
    finally:
        context.close()
