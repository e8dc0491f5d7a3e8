"""The read replica for reporting (issue 10).

With `DATABASE_REPLICA_URL` set, a `replica` database exists: a PostgreSQL streaming standby. The
score review's views (`@reporting_reads`: the team dashboard, its CSV, an associate's figures, my
scores) read from it; everything else, and every write, uses the primary (`default`).

Read-your-writes: a request that wrote anything reads from the primary for the rest of that request,
and `ReadYourWritesMiddleware` keeps that browser on the primary for
`REPLICA_READ_YOUR_WRITES_SECONDS` after (a short-lived cookie), so a manager who saves scores sees
them at once even while the standby is catching up. Without a replica every read goes to the primary.
"""

from __future__ import annotations

import contextvars
import time
from functools import wraps

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"
COOKIE = "aos_primary_until"

_reporting = contextvars.ContextVar("aos_reporting_reads", default=False)
_wrote = contextvars.ContextVar("aos_request_wrote", default=False)
_pinned = contextvars.ContextVar("aos_pinned_to_primary", default=False)


def replica_in_use() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "REPORTING_USE_REPLICA", True)


def reporting_database() -> str:
    """Where a reporting read goes right now."""
    if _reporting.get() and not _wrote.get() and not _pinned.get() and replica_in_use():
        return REPLICA
    return PRIMARY


class ReplicaRouter:
    """Reporting reads to the replica, everything else to the primary; migrations only there."""

    def db_for_read(self, model, **hints):
        return reporting_database()

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: every row is on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def reporting_reads(view):
    """A view whose reads may come from the replica (a reporting page or export)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = _reporting.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _reporting.reset(token)

    return wrapped


class ReadYourWritesMiddleware:
    """Notes whether a request wrote; if so, the browser reads from the primary for a few seconds
    (cookie `aos_primary_until`, a Unix time). Forging it only sends reads to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        until = request.COOKIES.get(COOKIE, "")
        pinned = until.isdigit() and int(until) > time.time()
        wrote_token, pinned_token = _wrote.set(False), _pinned.set(pinned)
        try:
            response = self.get_response(request)
            wrote = _wrote.get()
        finally:
            _wrote.reset(wrote_token)
            _pinned.reset(pinned_token)
        if wrote and replica_in_use():
            seconds = settings.REPLICA_READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
