"""Benchmark catalog upkeep at scale: importing 50,000 rows, and the wizard's product search at
50,000 products with and without the cache. Run it on a scratch database (it adds products whose
SKUs start with BENCH- and removes them at the end); docs/catalog.md has the numbers."""

import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aos_crm import roles
from aos_crm.models import User
from catalog import cache as catalog_cache
from catalog.bench import RARE_COLOR, SKU_PREFIX, synthetic_csv
from catalog.imports import import_catalog, read_dataset
from catalog.models import ProductCatalog
from conversations.models import AosPhase, ConversationLog, InteractionType
from customers.models import ContactMethod, Customer, CustomerType
from projects.models import InstallationMethod, Project, ProjectRoom, RoomType, Surface, SurfaceType

QUERIES = [  # (what it shows, query)
    ("SKU prefix", f"{SKU_PREFIX}ALD-1224"),
    ("common color word", "gray"),
    ("rare color word", RARE_COLOR),
    ("two words", "calacatta white"),
    ("three words", "terrazzo honed sage"),
    ("two letters", "ba"),
    ("no match", "zz-no-such-tile"),
]


def _ms(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


class Command(BaseCommand):
    help = "Benchmark the catalog import (50,000 rows) and the wizard's product search, uncached and cached."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--runs", type=int, default=200, help="Timed searches per query (cached).")
        parser.add_argument("--keep", action="store_true", help="Keep the BENCH- products afterwards.")

    def handle(self, *args, rows, runs, keep, **options):
        cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"Database: {connection.vendor}; cache: {cache_backend}; rows: {rows:,}; DEBUG={settings.DEBUG}"
        )
        ProductCatalog.objects.filter(sku__startswith=SKU_PREFIX).delete()
        try:
            with tempfile.TemporaryDirectory() as folder:
                self._imports(Path(folder), rows)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE product_catalog")  # what autovacuum does after a big import
            total = ProductCatalog.objects.count()
            self.stdout.write(f"\nSearch at {total:,} products (ProductCatalog.objects.search(q)[:8]):")
            self._searches(runs)
            self.stdout.write("\nThe wizard's product_search view (request → response, through middleware):")
            self._view(runs)
        finally:
            if not keep:
                ProductCatalog.objects.filter(sku__startswith=SKU_PREFIX).delete()

    def _timed_import(self, label, path):
        started = time.perf_counter()
        result = import_catalog(read_dataset(path))
        seconds = time.perf_counter() - started
        totals = result.totals
        self.stdout.write(
            f"  {label:<38} {seconds:6.1f} s  (new {totals['new']:,}, changed {totals['update']:,}, "
            f"unchanged {totals['skip']:,}, rejected {len(result.rejections)})"
        )
        assert not result.has_errors(), result.base_errors

    def _imports(self, folder, rows):
        self.stdout.write(f"\nImport of a {rows:,}-row CSV (read + validate + write, one transaction):")
        path = folder / "catalog.csv"
        text = synthetic_csv(rows)
        path.write_text(text, encoding="utf-8")
        self._timed_import("new products", path)
        self._timed_import("same file again (all unchanged)", path)
        path.write_text(text.replace(",0.35,", ",0.36,"), encoding="utf-8")
        self._timed_import("every product changed", path)

    def _searches(self, runs):
        uncached_runs = max(5, runs // 10)
        for label, query in QUERIES:
            uncached = []
            for _ in range(uncached_runs):
                catalog_cache.invalidate()
                started = time.perf_counter()
                found = ProductCatalog.objects.search(query)[:8]
                uncached.append(time.perf_counter() - started)
            cached = []
            for _ in range(runs):
                started = time.perf_counter()
                ProductCatalog.objects.search(query)[:8]
                cached.append(time.perf_counter() - started)
            self.stdout.write(
                f"  {label:<18} {query!r:<24} {len(found)} found  uncached {_ms(uncached)}   cached {_ms(cached)}"
            )

    def _view(self, runs):
        with transaction.atomic():
            client, url, surface = self._floor()
            uncached_runs = max(5, runs // 10)
            for label, query in QUERIES[:3]:
                params = {"q": query, "surface": str(surface.pk)}
                uncached = []
                for _ in range(uncached_runs):
                    catalog_cache.invalidate()
                    started = time.perf_counter()
                    response = client.get(url, params, HTTP_HX_REQUEST="true", HTTP_HOST="localhost")
                    uncached.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.status_code
                cached = []
                for _ in range(runs):
                    started = time.perf_counter()
                    client.get(url, params, HTTP_HX_REQUEST="true", HTTP_HOST="localhost")
                    cached.append(time.perf_counter() - started)
                self.stdout.write(f"  {label:<18} uncached {_ms(uncached)}   cached {_ms(cached)}")
            transaction.set_rollback(True)

    def _floor(self):
        """An associate with a conversation on a surface, rolled back after the benchmark."""
        associate = User.objects.create_user(username="bench-associate", password=None)
        associate.groups.add(Group.objects.get(name=roles.ASSOCIATE))
        customer = Customer.objects.create(
            first_name="Bench",
            last_name="Customer",
            customer_type=CustomerType.DIY_HOMEOWNER,
            preferred_contact_method=ContactMethod.PHONE,
        )
        project = Project.objects.create(
            customer=customer,
            project_name="Bench project",
            installation_method=InstallationMethod.CONTRACTOR,
            sales_associate=associate,
        )
        conversation = ConversationLog.objects.create(
            project=project,
            sales_associate=associate,
            conversation_date=timezone.now(),
            interaction_type=InteractionType.INITIAL_INQUIRY,
            aos_phase=AosPhase.DESIGN_DETAILS,
        )
        room = ProjectRoom.objects.create(project=project, room_type=RoomType.KITCHEN)
        surface = Surface.objects.create(room=room, surface_type=SurfaceType.FLOOR, surface_area_sf=Decimal("80.00"))
        client = Client()
        client.force_login(associate)
        return client, reverse("conversations:product_search", args=[conversation.pk]), surface
