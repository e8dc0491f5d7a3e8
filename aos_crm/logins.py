"""Login throttling (django-axes): who is locked out, until when, and the manager's unlock.

Five failed logins for one username from one address lock that pair out for 15 minutes
(`LOGIN_FAILURE_LIMIT`, `LOGIN_LOCKOUT_MINUTES`); the sixth attempt is refused even with the right
password. Axes counts the failures in its `AccessAttempt` table; this module reads it for the
locked page and the managers' list, and deletes a pair's row to unlock it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The address a login came from. Behind the TLS proxy (DJANGO_BEHIND_PROXY) it is the last
    address of X-Forwarded-For, the one the proxy itself added (the ones before it are whatever
    the client sent); otherwise the connection's own address."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_attempt: datetime
    until: datetime


def locked_out(*, now: datetime | None = None) -> list[Lockout]:
    """Every username and address locked out now, the newest first."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    rows = (
        AccessAttempt.objects.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")
    )
    if cool_off:
        rows = rows.filter(last_attempt__gt=now - cool_off)
    return [
        Lockout(
            username=row["username"] or "",
            ip_address=row["ip_address"] or "",
            failures=row["failures"],
            last_attempt=row["last_attempt"],
            until=row["last_attempt"] + cool_off if cool_off else None,
        )
        for row in rows
    ]


def locked_until(*, username: str, ip_address: str) -> datetime | None:
    """When the lockout of this username and address ends (None: not locked, or locked until a
    manager unlocks it when no cool-off is set)."""
    cool_off = get_cool_off()
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(last=Max("attempt_time"))
    if last["last"] is None or not cool_off:
        return None
    return last["last"] + cool_off


def unlock(*, username: str, ip_address: str | None = None) -> int:
    """Clears the failed logins of a username (from one address, or from all): it may log in at
    once. Returns how many rows of failures were cleared."""
    attempts = AccessAttempt.objects.filter(username=username)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    count, _ = attempts.delete()
    return count


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """Axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): a page that says when to try
    again, with HTTP 429 Too Many Requests."""
    username = get_client_username(request, credentials) or ""
    until = locked_until(username=username, ip_address=client_ip(request) or "")
    context = {
        "username": username,
        "until": timezone.localtime(until) if until else None,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked.html", context, status=429)
