"""Who made a change: the request's user, handed to the history trigger (history.triggers) in the
PostgreSQL setting `aos.history_context`.

Why not django-pghistory's context: it prepends `SELECT set_config(…);` to every write statement,
and PostgreSQL refuses two statements in one server-side-bound (prepared) statement, which the app
uses on PostgreSQL (DATABASE_PREPARED_STATEMENTS). So the setting is written by a statement of its
own, just before each write statement of a tracked block, on the connection's own cursor (one short
round trip per write; docs/performance.md). It is set for the session, not the transaction, so it
also holds for a write outside a transaction (autocommit), and it is cleared when the block ends.

Every request runs inside `history_context` (HistoryContextMiddleware); a command or a shell can
wrap its writes in `history_context(user=…)` too. On SQLite there is no trigger and this does
nothing."""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Callable

from django.db import connection

_active = threading.local()

# Statements that can write a tracked row; reads and DDL are left alone.
_WRITES = ("insert", "update", "delete", "with", "merge")
_SET = "SELECT set_config('aos.history_context', %s, false)"


def _is_write(sql) -> bool:
    if isinstance(sql, bytes):
        sql = sql.decode()
    return sql.lstrip()[:6].lower().startswith(_WRITES)


def _set_before_writes(execute, sql, params, many, context):
    state = getattr(_active, "state", None)
    if state is not None and _is_write(sql):
        if state["json"] is None:
            state["json"] = json.dumps({"id": state["id"], **_resolve(state["metadata"])}, default=str)
        context["cursor"].execute(_SET, (state["json"],))
    return execute(sql, params, many, context)


def _resolve(metadata) -> dict:
    return metadata() if callable(metadata) else dict(metadata)


def _clear():
    raw = connection.connection
    if raw is None or raw.closed:
        return
    try:
        with raw.cursor() as cursor:
            cursor.execute(_SET, ("",))
    except Exception:
        # The transaction failed, so the setting cannot be cleared now: the connection is closed at
        # the end of the request instead (Django's close_at), and the setting goes with it.
        connection.close_at = 0


@contextlib.contextmanager
def history_context(*, user=None, url: str = "", metadata: Callable[[], dict] | None = None):
    """Every write of a tracked row inside the block is recorded as made by `user` (or by what
    `metadata()` returns, read at the first write: {"user": id, "url": path}). Nested blocks
    keep the outer one's user."""
    if connection.vendor != "postgresql" or getattr(_active, "state", None) is not None:
        yield
        return
    if metadata is None:
        metadata = {"user": getattr(user, "pk", user), "url": url}
    _active.state = {"id": str(uuid.uuid4()), "metadata": metadata, "json": None}
    try:
        with connection.execute_wrapper(_set_before_writes):
            yield
    finally:
        wrote = _active.state["json"] is not None
        del _active.state
        if wrote:
            _clear()


class HistoryContextMiddleware:
    """Every request's writes carry its user and path into the history. The user is read at the
    first write (by then the view has loaded it), so a request that writes nothing costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def metadata():
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            return {"user": user_id, "url": request.path[:255]}

        with history_context(metadata=metadata):
            return self.get_response(request)


@contextlib.contextmanager
def untracked(*models):
    """Writes to `models` inside the block write no history (django-pgtrigger's `pgtrigger.ignore`
    setting names their history triggers, set for the session by a statement of its own and cleared
    after). For the benchmarks' synthetic seed rows only: every write of the app is recorded."""
    if connection.vendor != "postgresql":
        yield
        return
    names = [trigger.get_pgid(model) for model in models for trigger in model._meta.triggers]
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, false)", ["{" + ",".join(names) + "}"])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', '', false)")
