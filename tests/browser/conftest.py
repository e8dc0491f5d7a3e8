"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live server.

Under CI=true a missing browser fails the run instead of skipping it, so a green CI always means
the browser tests ran."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _unavailable(reason):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the requirements install it
        _unavailable("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """`screenshot("name")` saves a 1024×768 PNG under artifacts/screenshots/ to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name, *, full_page=True):
        path = ARTIFACTS / f"{name}.png"
        scroll_y = page.evaluate("window.scrollY")
        page.screenshot(path=str(path), full_page=full_page)
        # A full-page capture resizes the page and Chromium restores the scroll position a moment
        # later; a click made in between lands elsewhere. Restore it now and let it settle.
        page.evaluate(
            "y => new Promise(done => requestAnimationFrame(() => { window.scrollTo(0, y); "
            "requestAnimationFrame(() => requestAnimationFrame(done)); }))",
            scroll_y,
        )
        return path

    return take


def login(page, username, password="test-pass-123"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
