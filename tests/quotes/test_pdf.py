"""The quote PDF is rendered once per state of the document and then served from the cache."""

import io
from datetime import timedelta

import pytest
import weasyprint
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from customers.models import Customer
from quotes import pdf as quote_pdfs
from quotes.models import QuoteStatus
from tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Spies on WeasyPrint: the list of PDFs it wrote (the real ones)."""
    written = []
    real = weasyprint.HTML.write_pdf

    def spy(self, *args, **kwargs):
        pdf = real(self, *args, **kwargs)
        written.append(pdf)
        return pdf

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", spy)
    return written


@pytest.fixture
def quote():
    return QuoteFactory(
        quote_number="Q-2026-004242",
        project__customer__first_name="Imogen",
        project__customer__last_name="Fakename",
        lines=[
            {
                "room": "Primary bath",
                "surface": "Floor",
                "sku": "TST-00001",
                "name": "Test Porcelain 12x24",
                "quantity": "6",
                "unit": "box",
                "unit_price": "45.88",
                "line_total": "275.28",
            }
        ],
    )


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def download(client, quote):
    response = client.get(reverse("quotes:pdf", args=[quote.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def test_the_second_download_is_served_from_the_cache_without_weasyprint(associate_client, quote, renders):
    first = download(associate_client, quote)
    assert len(renders) == 1
    second = download(associate_client, quote)
    assert len(renders) == 1
    assert second.content == first.content
    assert second.content.startswith(b"%PDF-")
    text = text_of(second.content)
    assert "Q-2026-004242" in text and "Imogen Fakename" in text and "Status: Draft" in text
    assert "private" in second["Cache-Control"]


def test_a_repeat_download_reads_the_quote_once_and_renders_nothing(associate_client, quote, renders):
    from django.db import connection

    download(associate_client, quote)
    with CaptureQueriesContext(connection) as queries:
        download(associate_client, quote)
    assert len(queries) == 3  # session, the user with their permissions, the quote with its project and customer
    assert len(renders) == 1


def test_a_status_change_renders_a_new_pdf(associate_client, quote, renders):
    draft = download(associate_client, quote).content
    response = associate_client.post(reverse("quotes:transition", args=[quote.pk]), {"to": QuoteStatus.SENT})
    assert response.status_code == 302
    sent = download(associate_client, quote).content
    assert len(renders) == 2
    assert "Status: Sent" in text_of(sent) and "Status: Draft" in text_of(draft)
    download(associate_client, quote)
    assert len(renders) == 2


def test_a_quote_past_its_expiration_reads_expired_at_once(associate_client, renders):
    past = timezone.localdate() - timedelta(days=40)
    quote = QuoteFactory(quote_date=past, expiration_date=past + timedelta(days=30), quote_status=QuoteStatus.SENT)
    assert "Status: Expired" in text_of(download(associate_client, quote).content)


def test_what_the_pdf_shows_beyond_the_quote_makes_a_new_one(associate_client, quote, renders):
    download(associate_client, quote)
    # Even a write that bypasses save() (and so updated_at): the PDF follows what it shows.
    Customer.objects.filter(pk=quote.project.customer_id).update(address_line1="12 Invented Lane")
    assert "12 Invented Lane" in text_of(download(associate_client, quote).content)
    assert len(renders) == 2


def test_each_quote_has_its_own_pdf(associate_client, quote, renders):
    other = QuoteFactory(quote_number="Q-2026-004243", project=quote.project)
    assert "Q-2026-004243" in text_of(download(associate_client, other).content)
    assert "Q-2026-004242" in text_of(download(associate_client, quote).content)
    assert len(renders) == 2


def test_an_unreachable_cache_only_costs_a_render(associate_client, quote, renders, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    assert "Q-2026-004242" in text_of(download(associate_client, quote).content)
    assert "Q-2026-004242" in text_of(download(associate_client, quote).content)
    assert len(renders) == 2


def test_the_key_changes_with_the_html_and_the_base_url():
    key = quote_pdfs.cache_key(quote_id="q", html="<p>a</p>", base_url="http://x/")
    assert key == quote_pdfs.cache_key(quote_id="q", html="<p>a</p>", base_url="http://x/")
    assert key != quote_pdfs.cache_key(quote_id="q", html="<p>b</p>", base_url="http://x/")
    assert key != quote_pdfs.cache_key(quote_id="q", html="<p>a</p>", base_url="http://y/")


def test_without_permission_there_is_no_pdf(client, quote):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("quotes:pdf", args=[quote.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("quotes:pdf", args=[quote.pk])).status_code == 302


def _fill_colours(pdf: bytes) -> set[str]:
    """The fill colours the PDF's first page paints text with ("r g b rg" operators)."""
    import re

    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    return {
        " ".join(f"{float(v):.2f}" for v in match) for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content)
    }


def test_the_pdf_is_printed_with_the_documents_stylesheet(associate_client, quote):
    """The stylesheet is a static file (no inline <style> under the Content-Security-Policy) that
    WeasyPrint reads beside the HTML: the store's name prints in the document's blue (#0d6efd)."""
    pdf = download(associate_client, quote).content
    assert "0.05 0.43 0.99" in _fill_colours(pdf)
    assert "Page 1 of 1" in text_of(pdf)


def test_a_change_of_the_stylesheet_makes_a_new_pdf(monkeypatch, quote):
    before = quote_pdfs.cache_key(quote_id=quote.pk, html="<p>same</p>", base_url="http://testserver/")
    monkeypatch.setattr(quote_pdfs, "document_css", lambda: ".store-name { color: red; }")
    after = quote_pdfs.cache_key(quote_id=quote.pk, html="<p>same</p>", base_url="http://testserver/")
    assert before != after
