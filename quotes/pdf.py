"""A quote's PDF: rendered by WeasyPrint once per state of the document and kept in Django's cache,
so a repeat download costs a template render and a cache read instead of a WeasyPrint run
(hundreds of milliseconds and tens of megabytes per render on a 2-core box).

Why the cache and not files under MEDIA_ROOT: the web tier is stateless (DESIGN.md). With Redis
(`CACHE_URL`, production) one render serves every worker and every host behind the load balancer;
old PDFs expire on their own, so nothing sweeps them; and a PDF that is evicted or lost to a Redis
restart costs one render, never a wrong document. Files would need a volume shared by the hosts (or
object storage) and a clean-up job for superseded versions, for a document we can always rebuild.
With the local-memory default each worker keeps its own copies, which is what a laptop needs.

The key is a digest of the HTML the PDF is printed from (and the base URL it resolves against).
A quote's lines are a snapshot, but the document also shows its status (expired is computed on
read), the customer's name and address, the associate, the store's name and the template's text:
hashing the HTML catches every one of those, and nothing else makes a new PDF. The document's
stylesheet (static/css/quote-document.css, the one the quote page links: no inline styles under the
Content-Security-Policy) is handed to WeasyPrint beside the HTML and is part of the key too."""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache

logger = logging.getLogger(__name__)

TIMEOUT = 30 * 24 * 60 * 60  # seconds: well past a quote's validity; a lost entry is re-rendered


DOCUMENT_CSS = "css/quote-document.css"


@functools.cache
def document_css() -> str:
    """The quote document's stylesheet, read once per process."""
    return Path(finders.find(DOCUMENT_CSS)).read_text(encoding="utf-8")


def cache_key(*, quote_id, html: str, base_url: str) -> str:
    digest = hashlib.blake2b(f"{base_url}\n{document_css()}\n{html}".encode(), digest_size=16).hexdigest()
    return f"quote-pdf:{quote_id}:{digest}"


def render(*, html: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(string=document_css())])


def quote_pdf(*, quote_id, html: str, base_url: str) -> bytes:
    """The PDF of this HTML: from the cache when this state of the quote was rendered before,
    otherwise rendered and kept. An unreachable cache (Redis restarting) only costs the render."""
    key = cache_key(quote_id=quote_id, html=html, base_url=base_url)
    try:
        pdf = cache.get(key)
    except Exception:
        logger.exception("Could not read a quote PDF from the cache")
        pdf = None
    if pdf is not None:
        return pdf
    pdf = render(html=html, base_url=base_url)
    try:
        cache.set(key, pdf, timeout=TIMEOUT)
    except Exception:
        logger.exception("Could not keep a quote PDF in the cache")
    return pdf
