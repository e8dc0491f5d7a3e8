"""The Content-Security-Policy (django-csp) is on every response: pages, partials, errors, the
login, the admin, files and the health probe; and no template holds an inline script, style or
event handler that it would refuse."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import QuoteFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HX = {"HTTP_HX_REQUEST": "true"}


def policy(response):
    return {
        part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split(";") if part.strip()
    }


def test_the_policy_allows_only_this_site_and_no_framing(associate_client):
    directives = policy(associate_client.get(reverse("home")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in str(directives)
    assert "'unsafe-eval'" not in str(directives)


@pytest.mark.parametrize(
    ("who", "url", "headers", "status"),
    [
        ("anonymous", reverse("login"), {}, 200),
        ("anonymous", reverse("home"), {}, 302),
        ("anonymous", reverse("healthz"), {}, 200),
        ("anonymous", "/no-such-page/", {}, 404),
        ("anonymous", reverse("admin:login"), {}, 200),
        ("associate", reverse("home"), {}, 200),
        ("associate", reverse("customers:list"), HX, 200),
        ("associate", reverse("lockouts"), {}, 403),
        ("associate", reverse("conversations:new") + "?q=%00", {}, 400),
        ("manager", reverse("reviews:team"), {}, 200),
    ],
)
def test_the_header_is_on_every_response(associate, manager, who, url, headers, status):
    client = Client()
    if who != "anonymous":
        client.force_login({"associate": associate, "manager": manager}[who])
    response = client.get(url, **headers)
    assert response.status_code == status
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_header_is_on_the_quote_pdf(associate_client, associate):
    quote = QuoteFactory(project__sales_associate=associate)
    response = associate_client.get(reverse("quotes:pdf", args=[quote.pk]))
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_login_refused_for_too_many_failures_carries_it_too(associate):
    client = Client()
    for _ in range(6):
        response = client.post(reverse("login"), {"username": "associate", "password": "wrong"})
    assert response.status_code == 429
    assert "default-src 'self'" in response["Content-Security-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle=\"", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=\"", re.I), "inline event handler"),
    (re.compile(r"\bhx-on", re.I), "hx-on handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _served_templates():
    # The PDF's template is WeasyPrint's input, never served to a browser.
    return [path for path in TEMPLATES.rglob("*.html") if path.name != "quote_pdf.html"]


@pytest.mark.parametrize("path", _served_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_holds_what_the_policy_refuses(path):
    source = path.read_text(encoding="utf-8")
    found = [label for pattern, label in INLINE if pattern.search(source)]
    # a <style> element is refused as well
    if re.search(r"<style[\s>]", source, re.I):
        found.append("<style> element")
    assert found == []
