"""Every main page in Chromium, on the demo data: under the Content-Security-Policy nothing is
refused (no inline script or style, htmx configured for it), and axe finds no serious or critical
accessibility violation; each page has exactly one h1. `_sales_floor_pages` and `_manager_pages`
(and the login) are the pages CI walks."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from aos_crm.models import User
from conversations.models import ConversationLog
from customers.models import Customer
from projects.models import Surface
from quotes.models import Quote
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-demo-password"
BLOCKING = ("serious", "critical")

# Listens for the browser's CSP reports from the first moment of each document.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def demo(monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", stdout=io.StringIO())


def _sales_floor_pages():
    """(name, url) of the sales floor for `associate`, from the demo data."""
    associate = User.objects.get(username="associate")
    open_one = (
        ConversationLog.objects.filter(sales_associate=associate, closed_at__isnull=True)
        .exclude(project__rooms__isnull=True)
        .order_by("-conversation_date")
        .first()
    )
    closed = ConversationLog.objects.filter(sales_associate=associate, closed_at__isnull=False).first()
    surface = Surface.objects.filter(room__project=open_one.project).first()
    customer = Customer.objects.filter(projects__sales_associate=associate).first()
    quote = Quote.objects.filter(project__sales_associate=associate).first()
    phase = lambda slug: reverse("conversations:phase", args=[open_one.pk, slug])  # noqa: E731
    return [
        ("home", reverse("home")),
        ("new conversation", reverse("conversations:new")),
        ("greeting", phase("greeting")),
        ("needs", phase("needs")),
        ("design", phase("design")),
        ("product search", f"{phase('design')}?surface={surface.pk}&q=porcelain"),
        ("close", phase("close")),
        ("summary", reverse("conversations:summary", args=[closed.pk])),
        ("conversations", reverse("conversations:list")),
        ("customers", reverse("customers:list")),
        ("customer", reverse("customers:detail", args=[customer.pk])),
        ("project", reverse("projects:detail", args=[open_one.project_id])),
        ("follow-ups", reverse("reviews:followups")),
        ("my scores", reverse("reviews:mine")),
        ("quote", reverse("quotes:detail", args=[quote.pk])),
    ]


def _manager_pages():
    associate = User.objects.get(username="associate")
    scored = ConversationLog.objects.filter(sales_associate=associate, closed_at__isnull=False).first()
    return [
        ("team", reverse("reviews:team")),
        ("associate's scores", reverse("reviews:associate", args=[associate.pk])),
        ("score a conversation", reverse("reviews:score", args=[scored.pk])),
        ("locked logins", reverse("lockouts")),
    ]


def _watch(page):
    """Console errors (a refused resource or script reports there too) as they come."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_LISTENER)
    return errors


def _visit(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")
    return response


def _violations(page):
    return page.evaluate("window.__csp")


def _axe_blocking(axe, page):
    results = axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            found.append(f"{violation['impact']} {violation['id']} ({len(violation['nodes'])}): {targets}")
    return found


def _walk(page, pages, problems):
    errors = _watch(page)
    axe = Axe()
    for name, url in pages:
        errors.clear()
        response = _visit(page, url)
        csp = response.headers.get("content-security-policy", "")
        if "default-src 'self'" not in csp or "frame-ancestors 'none'" not in csp:
            problems.append(f"{name}: no CSP header ({csp!r})")
        if _violations(page):
            problems.append(f"{name}: CSP violations {_violations(page)}")
        if errors:
            problems.append(f"{name}: console errors {errors}")
        h1s = page.locator("h1").count()
        if h1s != 1:
            problems.append(f"{name}: {h1s} h1 elements")
        for finding in _axe_blocking(axe, page):
            problems.append(f"{name}: axe {finding}")


def test_the_login_page_under_csp_and_axe(page, demo):
    problems = []
    _walk(page, [("login", reverse("login"))], problems)
    assert problems == []


def test_the_sales_floor_pages_under_csp_and_axe(page, demo):
    login(page, "associate", PASSWORD)
    problems = []
    _walk(page, _sales_floor_pages(), problems)
    assert problems == [], "\n".join(problems)


def test_the_manager_pages_under_csp_and_axe(page, demo):
    login(page, "manager", PASSWORD)
    problems = []
    _walk(page, _manager_pages(), problems)
    assert problems == [], "\n".join(problems)


def test_htmx_and_the_page_scripts_work_under_the_csp(page, demo):
    """What the policy could break: htmx swaps (the customer search, a surface edit opened in place)
    and the static scripts (the print button) run, and nothing is refused meanwhile."""
    errors = _watch(page)
    login(page, "associate", PASSWORD)
    _visit(page, reverse("customers:list"))
    page.evaluate("window.__marker = 'still-here'")
    customer = Customer.objects.order_by("last_name").first()
    page.get_by_label("Find by name, email or phone").fill(customer.last_name)
    expect(page.get_by_role("link", name=re.compile(re.escape(customer.last_name))).first).to_be_visible()
    assert page.evaluate("window.__marker") == "still-here"
    # the quote's Print button runs its script (window.print replaced to observe it)
    quote = Quote.objects.first()
    _visit(page, reverse("quotes:detail", args=[quote.pk]))
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") is True
    # the quote document's stylesheet applies (a static file, not an inline <style>)
    assert page.locator(".store-name").evaluate("el => getComputedStyle(el).fontWeight") == "700"
    assert _violations(page) == []
    assert errors == []
