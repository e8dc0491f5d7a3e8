"""The wizard's catalog reads go through Django's cache and go stale at once when the catalog
changes: in the admin (form, list edits, bulk actions, deletes), by import, or by a queryset
write. Local memory here; the real Redis at the end."""

import os
import uuid
from decimal import Decimal

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from catalog import cache as catalog_cache
from catalog.models import ProductCatalog
from tests.catalog.helpers import CHANGELIST, Floor, change_form_data
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def floor(db):
    return Floor()


@pytest.fixture
def staff(catalog_staff):
    client = Client()
    client.force_login(catalog_staff)
    return client


@pytest.fixture
def tile(db):
    return ProductFactory(
        sku="POR-1224-GRY", product_name="Stonefield 12x24", color="gray", price_retail=D("45.88"), price_pro=D("41.29")
    )


def write_behind_the_cache(sku, **values):
    """Changes a row without telling the cache, as a raw SQL statement would."""
    assignments = ", ".join(f"{column} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE product_catalog SET {assignments} WHERE sku = %s", [*values.values(), sku])


def test_a_search_is_served_from_the_cache_until_the_catalog_changes(tile, floor):
    assert "$45.88" in floor.search("gray")

    write_behind_the_cache(tile.sku, price_retail=D("50.00"))
    assert "$45.88" in floor.search("gray")  # cached: proves the search did not read the table

    catalog_cache.invalidate()
    assert "$50.00" in floor.search("gray")


def test_an_admin_price_change_shows_in_the_next_wizard_search(tile, floor, staff):
    assert "$45.88" in floor.search("POR-1224")

    response = staff.post(
        reverse("admin:catalog_productcatalog_change", args=[tile.pk]),
        change_form_data(staff, tile, price_retail="52.00", price_pro="47.00"),
    )

    assert response.status_code == 302
    assert "$52.00" in floor.search("POR-1224")
    assert ProductCatalog.objects.lookup("por-1224-gry").price_retail == D("52.00")


def test_an_admin_price_change_shows_in_the_next_wizard_selection(tile, floor, staff):
    ProductCatalog.objects.lookup(tile.sku)  # cached at the old price
    staff.post(
        reverse("admin:catalog_productcatalog_change", args=[tile.pk]),
        change_form_data(staff, tile, price_retail="52.00", price_pro="47.00"),
    )

    floor.add("POR-1224-GRY")

    assert floor.surface.selections.get().price_per_unit == D("52.00")


def test_a_price_edited_in_the_list_shows_in_the_next_search(tile, floor, staff):
    assert "$45.88" in floor.search("gray")

    response = staff.post(
        reverse(CHANGELIST),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-sku": tile.sku,
            "form-0-price_retail": "39.99",
            "form-0-price_pro": "35.00",
            "form-0-in_stock": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert "$39.99" in floor.search("gray")


@pytest.mark.parametrize(
    ("action", "shown"),
    [
        ("mark_discontinued", "Discontinued"),
        ("mark_out_of_stock", "Out of stock"),
        ("special_order_on", "Special order"),
    ],
)
def test_a_bulk_action_shows_in_the_next_search(tile, floor, staff, action, shown):
    assert shown not in floor.search("gray")

    response = staff.post(reverse(CHANGELIST), {"action": action, "_selected_action": [tile.sku]})

    assert response.status_code == 302
    assert shown in floor.search("gray")


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("mark_in_stock", {"in_stock": False}, "Out of stock"),
        ("special_order_off", {"special_order": True}, "Special order"),
    ],
)
def test_a_bulk_action_that_clears_a_flag_shows_in_the_next_search(floor, staff, action, before, after):
    product = ProductFactory(color="gray", **before)
    assert after in floor.search("gray")

    staff.post(reverse(CHANGELIST), {"action": action, "_selected_action": [product.sku]})

    assert after not in floor.search("gray")


def test_deleting_in_the_admin_empties_the_cached_search(tile, floor, staff):
    assert "POR-1224-GRY" in floor.search("gray")

    response = staff.post(reverse("admin:catalog_productcatalog_delete", args=[tile.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert "POR-1224-GRY" not in floor.search("gray")


def test_the_delete_selected_action_empties_the_cached_search(tile, floor, staff):
    assert "POR-1224-GRY" in floor.search("gray")

    staff.post(reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [tile.sku], "post": "yes"})

    assert not ProductCatalog.objects.filter(pk=tile.pk).exists()
    assert "POR-1224-GRY" not in floor.search("gray")


def test_an_import_shows_in_the_next_search(tile, floor, tmp_path):
    assert "$45.88" in floor.search("gray")
    path = tmp_path / "prices.csv"
    path.write_text("sku,price_retail,price_pro\nPOR-1224-GRY,44.00,40.00\n")

    call_command("import_catalog", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert "$44.00" in floor.search("gray")


@pytest.mark.parametrize(
    "write",
    [
        lambda: ProductCatalog.objects.filter(sku="POR-1224-GRY").update(price_retail=D("46.00")),
        lambda: ProductCatalog.objects.bulk_update(
            [ProductCatalog(sku="POR-1224-GRY", price_retail=D("46.00"))], ["price_retail"]
        ),
        lambda: ProductCatalog.objects.update_or_create(sku="POR-1224-GRY", defaults={"price_retail": D("46.00")}),
    ],
    ids=["update", "bulk_update", "update_or_create"],
)
def test_queryset_writes_invalidate(tile, floor, write):
    assert "$45.88" in floor.search("gray")

    write()

    assert "$46.00" in floor.search("gray")


@pytest.mark.parametrize(
    "write",
    [
        lambda: ProductCatalog.objects.create(sku="NEW-GRY", product_name="New gray", color="gray"),
        lambda: ProductCatalog.objects.bulk_create([ProductCatalog(sku="NEW-GRY", product_name="New", color="gray")]),
    ],
    ids=["create", "bulk_create"],
)
def test_queryset_creates_invalidate(tile, floor, write):
    assert "NEW-GRY" not in floor.search("gray")

    write()

    assert "NEW-GRY" in floor.search("gray")


def test_queryset_delete_invalidates(tile, floor):
    assert "POR-1224-GRY" in floor.search("gray")

    ProductCatalog.objects.filter(sku=tile.sku).delete()

    assert "POR-1224-GRY" not in floor.search("gray")


def test_invalidate_bumps_now_and_again_on_commit(django_capture_on_commit_callbacks):
    start = catalog_cache.current_version()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        catalog_cache.invalidate()
        assert catalog_cache.current_version() == start + 1

    assert len(callbacks) == 1
    assert catalog_cache.current_version() == start + 2


def test_a_lost_version_key_starts_above_every_earlier_version(tile):
    ProductCatalog.objects.search("gray", limit=8)
    old = catalog_cache.current_version()

    cache.delete(catalog_cache.VERSION_KEY)  # evicted

    assert catalog_cache.current_version() > old


UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_an_unreachable_cache_falls_back_to_the_database(tile, caplog):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert [p.sku for p in ProductCatalog.objects.search("gray")[:8]] == ["POR-1224-GRY"]
        assert ProductCatalog.objects.lookup("POR-1224-GRY").sku == "POR-1224-GRY"
        ProductCatalog.objects.filter(sku=tile.sku).update(in_stock=False)  # the write still succeeds

    assert "Catalog cache unavailable" in caplog.text
    assert "Could not invalidate the catalog cache" in caplog.text


# --- the real Redis -------------------------------------------------------------------------------

# Database 15 of the local Redis, and a key prefix per test, so nothing else's keys are touched.
REDIS_URL = os.environ.get("AOS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def real_redis(db):
    """The production cache backend on the local Redis, under a key prefix of its own. Skipped
    when Redis is not running, except under CI=true, where a missing Redis fails the test."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        reason = f"Redis is not reachable at {REDIS_URL} ({error}); start redis-server to run this test"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    prefix = f"aos-test-{uuid.uuid4().hex}"
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=settings):
        yield redis.Redis.from_url(REDIS_URL), prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_on_redis_an_admin_price_change_shows_in_the_next_search(real_redis, tile, floor, staff):
    client, prefix = real_redis
    assert "$45.88" in floor.search("gray")
    assert any(b":catalog:" in key for key in client.scan_iter(f"{prefix}:*"))  # the search is in Redis
    write_behind_the_cache(tile.sku, price_retail=D("50.00"), price_pro=D("45.00"))
    assert "$45.88" in floor.search("gray")  # served by Redis

    staff.post(
        reverse("admin:catalog_productcatalog_change", args=[tile.pk]),
        change_form_data(staff, tile, price_retail="52.00", price_pro="47.00"),
    )

    assert "$52.00" in floor.search("gray")
    assert ProductCatalog.objects.lookup(tile.sku).price_retail == D("52.00")


def test_on_redis_the_version_is_a_redis_integer_bumped_by_a_bulk_action(real_redis, tile, floor, staff):
    client, prefix = real_redis
    floor.search("gray")
    before = int(client.get(f"{prefix}:1:{catalog_cache.VERSION_KEY}"))

    staff.post(reverse(CHANGELIST), {"action": "mark_out_of_stock", "_selected_action": [tile.sku]})

    assert int(client.get(f"{prefix}:1:{catalog_cache.VERSION_KEY}")) > before
    assert "Out of stock" in floor.search("gray")


def test_a_plain_model_save_shows_in_the_next_search_and_sku_lookup(tile, floor):
    assert "$45.88" in floor.search("gray")
    assert ProductCatalog.objects.lookup("por-1224-gry").price_retail == D("45.88")

    product = ProductCatalog.objects.get(sku=tile.sku)  # a fresh instance, as a script would load it
    product.price_retail = D("47.50")
    product.save()

    assert "$47.50" in floor.search("gray")
    assert ProductCatalog.objects.lookup("por-1224-gry").price_retail == D("47.50")


def test_a_plain_model_delete_empties_the_next_search_and_sku_lookup(floor):
    spare = ProductFactory(sku="SPARE-GRY", product_name="Spare gray", color="gray")
    assert "SPARE-GRY" in floor.search("gray")
    assert ProductCatalog.objects.lookup("SPARE-GRY") is not None

    ProductCatalog.objects.get(pk=spare.pk).delete()

    assert "SPARE-GRY" not in floor.search("gray")
    assert ProductCatalog.objects.lookup("SPARE-GRY") is None


def test_a_queryset_update_shows_in_the_next_sku_lookup(tile):
    assert ProductCatalog.objects.lookup(tile.sku).in_stock is True
    ProductCatalog.objects.filter(sku=tile.sku).update(in_stock=False)
    assert ProductCatalog.objects.lookup(tile.sku).in_stock is False
