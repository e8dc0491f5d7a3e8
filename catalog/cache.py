"""Catalog reads through Django's cache (CACHE_URL: local memory by default, Redis in production).

Every cached entry's key carries the catalog's *version*, a number kept in the cache under
`VERSION_KEY`. A write to the catalog bumps it (`invalidate()`), so every cached search, for every
query, and every cached lookup goes stale at once, without listing keys (neither Redis nor local
memory can cheaply delete "all keys starting with …"). Stale entries are never read again and
expire after `TIMEOUT`, which is also the longest a write made behind our back (raw SQL, a shell)
can stay invisible.

Who bumps: the admin (save, delete, list edits, bulk actions), the import, the write methods
of `ProductCatalogQuerySet` (`update`, `delete`, `create`, `bulk_create`, `bulk_update`…) and
`ProductCatalog.save()` / `.delete()`, so no write path outside raw SQL leaves a stale read. There
are deliberately no post_save/post_delete signals (STYLE.md): each write path calls
`invalidate()` where a reader can see it.

If the cache is unreachable, reads fall back to the database and the failure is logged: a Redis
restart must not stop associates from searching the catalog mid-conversation.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "catalog:version"
TIMEOUT = 15 * 60  # seconds
_MISSING = object()

T = TypeVar("T")


def _fresh_version() -> int:
    # Nanoseconds since the epoch: larger than any version handed out before (those started from
    # an earlier clock reading and were bumped once per write), so an evicted version key can
    # never bring back entries cached under an old number.
    return time.time_ns()


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (first write, or evicted): start a fresh one
            cache.set(VERSION_KEY, _fresh_version(), timeout=None)
    except Exception:
        logger.exception("Could not invalidate the catalog cache")


def invalidate() -> None:
    """Makes every cached catalog read stale. Bumps now, so the rest of this request (and a test
    inside one transaction) reads fresh rows, and again when the transaction commits, so a reader
    that cached the old rows between the write and the commit is not believed either."""
    _bump()
    transaction.on_commit(_bump)


def _key(kind: str, *parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"catalog:{current_version()}:{kind}:{digest}"


def cached(kind: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`'s value, from the cache when this catalog version already computed it."""
    try:
        key = _key(kind, *parts)
        value = cache.get(key, _MISSING)
    except Exception:
        logger.exception("Catalog cache unavailable; reading the database")
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:
        logger.exception("Could not store a catalog read in the cache")
    return value
