"""Sessions on a shared showroom tablet: they end after SESSION_IDLE_MINUTES without a request, are
refreshed at most every few minutes (not a session write per click), and get a new key at login."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aos_crm.middleware import IDLE_MARK

PASSWORD = "test-pass-123"
ROOT = Path(__file__).resolve().parents[2]


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_the_idle_timeout_is_eight_hours_by_default(settings):
    assert settings.SESSION_IDLE_MINUTES == 480
    assert settings.SESSION_COOKIE_AGE == 480 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def test_pages_right_after_login_do_not_write_the_session(associate_client):
    home = reverse("home")
    assert session_writes(associate_client, home) == []
    assert session_writes(associate_client, reverse("conversations:list")) == []


def test_a_request_after_the_refresh_interval_pushes_the_expiry_forward(associate_client, settings):
    session = associate_client.session
    session[IDLE_MARK] -= settings.SESSION_REFRESH_SECONDS + 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=30))
    writes = session_writes(associate_client, reverse("home"))
    assert writes, "the session was not refreshed"
    left = expiry(associate_client) - timezone.now()
    assert timedelta(minutes=479) < left <= timedelta(minutes=480)
    # and the next request does not write it again
    assert session_writes(associate_client, reverse("home")) == []


def test_an_idle_session_ends_and_asks_to_log_in_again(associate_client):
    Session.objects.filter(session_key=associate_client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = associate_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("minutes", [15, 60])
def test_the_idle_minutes_come_from_the_setting(minutes):
    code = "from aos_crm import settings; print(settings.SESSION_COOKIE_AGE)"
    env = {**os.environ, "SESSION_IDLE_MINUTES": str(minutes)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.split()[-1] == str(minutes * 60)


def test_login_gives_the_session_a_new_key(associate):
    client = Client()
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    response = client.post(reverse("login"), {"username": "associate", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()
