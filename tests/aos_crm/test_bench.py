"""The benchmark's floor view (aos_crm/bench.py): mounted only when BENCH_FLOOR_VIEW is on, behind
the login like every page, and one query."""

import importlib

import pytest
from django.test import RequestFactory
from django.urls import clear_url_caches

import aos_crm.urls
from aos_crm import bench

pytestmark = pytest.mark.django_db

FLOOR = "/" + bench.FLOOR_PATH


@pytest.fixture
def mount_floor(settings):
    """Reloads the URLconf with the setting on or off; puts the default (off) back afterwards."""

    def mount(on: bool):
        settings.BENCH_FLOOR_VIEW = on
        importlib.reload(aos_crm.urls)
        clear_url_caches()

    yield mount
    mount(False)


def test_the_floor_is_not_there_by_default(associate_client):
    assert associate_client.get(FLOOR).status_code == 404


def test_the_floor_is_not_there_with_the_setting_off(mount_floor, associate_client):
    mount_floor(False)
    response = associate_client.get(FLOOR)
    assert response.status_code == 404


def test_the_floor_needs_a_login(mount_floor, client):
    mount_floor(True)
    response = client.get(FLOOR)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_floor_answers_a_tiny_page_after_one_query(
    mount_floor, associate, associate_client, django_assert_num_queries
):
    mount_floor(True)
    response = associate_client.get(FLOOR)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.content.decode() == "<!doctype html><title>floor</title><p>associate</p>"
    request = RequestFactory().get(FLOOR)
    request.user = associate
    with django_assert_num_queries(1):
        assert bench.floor(request).status_code == 200


def test_the_floor_refuses_a_post(mount_floor, associate_client):
    mount_floor(True)
    assert associate_client.post(FLOOR).status_code == 405
