"""Login throttling (django-axes, aos_crm/logins.py): five wrong passwords for one username from one
address lock that pair out for 15 minutes, on the app's login and the admin's; managers unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from aos_crm import logins
from tests.factories import AssociateFactory, CatalogStaffFactory

PASSWORD = "test-pass-123"
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


def attempt(client, password, *, username="associate", address=LOGIN, ip="10.0.0.7"):
    return client.post(address, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, times, **kwargs):
    for _ in range(times):
        response = attempt(client, "wrong-password", **kwargs)
        assert response.status_code in (200, 429)


@pytest.fixture
def associate_user(db):
    return AssociateFactory(username="associate")


def test_the_sixth_attempt_is_refused_even_with_the_right_password(associate_user):
    client = Client()
    fail(client, 5)
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "Try again after" in page
    assert 'data-testid="locked-until"' in page
    # and still refused on the next try
    assert attempt(client, PASSWORD).status_code == 429


def test_four_failures_then_the_right_password_logs_in_and_clears_the_count(associate_user):
    client = Client()
    fail(client, 4)
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.filter(username="associate").exists()


def test_the_lockout_is_per_username_and_address(associate_user):
    AssociateFactory(username="associate2")
    fail(Client(), 5)
    # the same username from another address, and another username from the same address
    other_address = Client()
    assert attempt(other_address, PASSWORD, ip="10.0.0.8").status_code == 302
    other_user = Client()
    assert attempt(other_user, PASSWORD, username="associate2").status_code == 302


def test_the_lockout_ends_after_the_cool_off(associate_user, settings):
    fail(Client(), 5)
    assert attempt(Client(), PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=logins.timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES))
    client = Client()
    assert attempt(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_admin_login_is_throttled_too(db):
    CatalogStaffFactory(username="catalog")
    client = Client()
    fail(client, 5, username="catalog", address=ADMIN_LOGIN)
    response = attempt(client, PASSWORD, username="catalog", address=ADMIN_LOGIN)
    assert response.status_code == 429
    assert not logged_in(client)
    # one count across the two login pages
    assert attempt(Client(), PASSWORD, username="catalog").status_code == 429


def test_a_manager_sees_the_lockout_and_unlocks_it(associate_user, manager_client):
    fail(Client(), 5)
    page = manager_client.get(reverse("lockouts"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="lockouts"' in html
    assert "10.0.0.7" in html
    assert "Unlock associate" in html
    response = manager_client.post(
        reverse("lockouts"), {"username": "associate", "ip_address": "10.0.0.7"}, follow=True
    )
    assert "associate can log in again." in response.content.decode()
    assert 'data-testid="no-lockouts"' in response.content.decode()
    client = Client()
    assert attempt(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_unlocking_one_address_leaves_the_others_locked(associate_user, manager_client):
    fail(Client(), 5)
    fail(Client(), 5, ip="10.0.0.9")
    manager_client.post(reverse("lockouts"), {"username": "associate", "ip_address": "10.0.0.7"})
    assert attempt(Client(), PASSWORD).status_code == 302
    assert attempt(Client(), PASSWORD, ip="10.0.0.9").status_code == 429


def test_only_managers_may_see_or_unlock(associate_user, associate2, client):
    fail(Client(), 5)
    client.force_login(associate2)
    assert client.get(reverse("lockouts")).status_code == 403
    assert client.post(reverse("lockouts"), {"username": "associate"}).status_code == 403
    assert attempt(Client(), PASSWORD).status_code == 429
    client.logout()
    response = client.get(reverse("lockouts"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_menu_links_the_lockouts_for_managers_only(manager, associate):
    for user, shown in ((manager, True), (associate, False)):
        client = Client()
        client.force_login(user)
        assert (reverse("lockouts") in client.get(reverse("home")).content.decode()) is shown


def test_a_bad_unlock_post_says_so(manager_client):
    response = manager_client.post(reverse("lockouts"), {"username": ""}, follow=True)
    assert "Choose a locked-out login to unlock." in response.content.decode()


@pytest.mark.parametrize(
    ("behind_proxy", "meta", "expected"),
    [
        (False, {"REMOTE_ADDR": "10.0.0.7", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.7"),
        (True, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}, "203.0.113.5"),
        (True, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    ],
)
def test_the_address_counted_is_the_one_the_proxy_saw(settings, behind_proxy, meta, expected):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if behind_proxy else None
    request = RequestFactory().post(LOGIN, **meta)
    assert logins.client_ip(request) == expected
