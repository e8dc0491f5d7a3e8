"""Starting a follow-up in a browser, with and without JavaScript: the project the follow-up is
about is chosen, and the new-project fields show only for a new project."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import ConversationLog
from tests.browser.conftest import login
from tests.factories import ConversationFactory, CustomerFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def followup(associate):
    customer = CustomerFactory(first_name="Fiona", last_name="Follow")
    kitchen = ProjectFactory(customer=customer, project_name="Kitchen backsplash", sales_associate=associate)
    ProjectFactory(customer=customer, project_name="Basement floor", sales_associate=associate)  # listed first
    return ConversationFactory(
        project=kitchen,
        sales_associate=associate,
        outcome="follow_up_scheduled",
        next_action="Bring the grout samples",
        next_contact_date=timezone.localdate() + timedelta(days=1),
        closed_at=timezone.now(),
    )


def test_start_follow_up_from_my_follow_ups_continues_that_project(page, associate, followup):
    login(page, "associate")
    page.goto("/reviews/followups/")
    page.get_by_role("link", name="Start follow-up").first.click()
    project = page.locator("#id_project")
    expect(project).to_have_value(str(followup.project_id))
    expect(page.get_by_label("Project name (only for a new project)")).to_be_hidden()
    expect(page.get_by_label("Who installs (only for a new project)")).to_be_hidden()

    project.select_option("new")
    expect(page.get_by_label("Project name (only for a new project)")).to_be_visible()
    project.select_option(str(followup.project_id))
    expect(page.get_by_label("Project name (only for a new project)")).to_be_hidden()

    page.get_by_role("button", name="Start conversation").click()
    page.wait_for_url("**/greeting/")
    started = ConversationLog.objects.exclude(pk=followup.pk).get()
    assert started.project_id == followup.project_id


def test_without_javascript_the_fields_stay_labelled_and_are_ignored(browser, live_server, associate, followup):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        login(page, "associate")
        page.goto("/reviews/followups/")
        page.get_by_role("link", name="Start follow-up").first.click()
        expect(page.locator("#id_project")).to_have_value(str(followup.project_id))
        name = page.get_by_label("Project name (only for a new project)")
        expect(name).to_be_visible()
        name.fill("Typed by mistake")
        page.get_by_role("button", name="Start conversation").click()
        page.wait_for_url("**/greeting/")
        started = ConversationLog.objects.exclude(pk=followup.pk).get()
        assert started.project_id == followup.project_id
        assert started.project.project_name == "Kitchen backsplash"
    finally:
        context.close()
