"""Time every sales-floor page and partial against a one-query floor, under gunicorn (issue 11).

    python manage.py bench_pages --conversations 100000

On a scratch PostgreSQL database it tops the bench conversations up to --conversations with
bench_dashboard's set-based seeder (same bench rows, same refusal of a database holding anything
else unless --force), loads the demo catalog (real tile sizes and setting materials, so the design
page shows its kits), and gives every associate session it measures an open conversation on a
realistic project: two rooms, five surfaces, a selected tile and a grout on each. Then it serves the
app as `make serve-production` does (gunicorn, sync workers, DEBUG off, a throwaway secret key) on
loopback, logs the bench associates in through the login page (the password hashing stays before the
timing) and measures:

1. Pages: in each of --runs rounds (after --warmup rounds), every page, partial and htmx post of
   the wizard right after a request to the floor view (aos_crm/bench.py), so each page is compared
   with a floor measured at the same moment; p50, p95, min and max as the client sees them, the
   ratio of the page's p50 to the floor's, the response size, and the issue's target (full pages
   within 5x the floor, htmx partials and posts and a repeat PDF within 3x). The posts are valid and
   the same size every round: the room, surface and selection added are removed again after the
   response (outside the timing), and each close post closes a fresh conversation prepared before.
2. A mixed wizard load: --users associates, already logged in, each looping the wizard (home, a new
   customer's conversation through needs, a room, a surface, design, a product, close; every other
   loop reopening their big project) for --load-seconds; requests/s, p50, p95, errors.

Any page request that fails is listed and makes the command fail. docs/performance.md records a run."""

from __future__ import annotations

import http.client
import itertools
import os
import random
import re
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aos_crm.bench import FLOOR_PATH
from aos_crm.bench_http import Browser, Response, Server, database_url, percentile, rss_mb, worker_pids
from aos_crm.demo.catalog import FLOOR, WALL, demo_products
from aos_crm.demo.loader import upsert_products
from aos_crm.models import User
from catalog.models import ProductCatalog
from conversations import services as conversation_services
from conversations.management.commands.bench_dashboard import EMAIL_DOMAIN
from conversations.management.commands.bench_dashboard import Command as DashboardCommand
from conversations.models import ConversationLog, Outcome
from customers.models import CustomerType
from projects import services as project_services
from projects.models import (
    ComplexityLevel,
    InstallationMethod,
    PatternType,
    ProductType,
    ProjectRoom,
    RoomType,
    SelectedProduct,
    SelectionStatus,
    Surface,
    SurfaceType,
)
from quotes import services as quote_services
from quotes.models import Quote

D = Decimal
PASSWORD = "bench-pages-2026"  # noqa: S105 - the scratch database's bench associates only
SHOWCASE = "Bench showcase"  # the project name of each session's big open project
GROWTH = "Bench growth"  # the measured session's project of GROWTH_COPIES times the showcase's rooms
GROWTH_COPIES = 3
GROWTH_TARGET = (2.0, 3.0)  # ms and KB at most per extra surface on the needs and design pages
CLOSING = "Bench close"  # the fresh conversations the measured close post closes, one a round
TARGETS = {"page": 5, "partial": 3, "post": 3, "pdf": 3}  # the issue's: p50 within this many floors
LOAD_TARGET = (150, 250)  # requests/s at least, p95 ms at most (and no errors)
NAME_QUERY = "Bench77"  # a name as it is typed: Bench77, Bench770…, Bench7700…
PHONE_QUERY = "(312) 555-01"  # part of a phone number, in the format people type
WALL_TYPES = {SurfaceType.BACKSPLASH, SurfaceType.SHOWER_WALLS, SurfaceType.TUB_SURROUND, SurfaceType.ACCENT_WALL}
# Two rooms, five surfaces: the project the issue measured the needs and design pages with.
ROOMS = (
    (
        {
            "room_type": RoomType.KITCHEN,
            "room_name": "Kitchen",
            "room_length_ft": D("14"),
            "room_width_ft": D("12"),
            "room_height_ft": D("9"),
        },
        (
            {"surface_type": SurfaceType.FLOOR, "surface_area_sf": D("150"), "pattern_type": PatternType.HERRINGBONE},
            {
                "surface_type": SurfaceType.BACKSPLASH,
                "surface_area_sf": D("32"),
                "pattern_type": PatternType.BRICK_PATTERN,
                "bond_offset_pct": D("33"),
            },
            {
                "surface_type": SurfaceType.ACCENT_WALL,
                "surface_area_sf": D("48"),
                "pattern_type": PatternType.STRAIGHT_LAY,
            },
        ),
    ),
    (
        {
            "room_type": RoomType.MASTER_BATHROOM,
            "room_name": "Primary bath",
            "room_length_ft": D("10"),
            "room_width_ft": D("8"),
            "room_height_ft": D("8"),
        },
        (
            {"surface_type": SurfaceType.FLOOR, "surface_area_sf": D("70"), "pattern_type": PatternType.DIAGONAL},
            {
                "surface_type": SurfaceType.SHOWER_WALLS,
                "surface_area_sf": D("96"),
                "pattern_type": PatternType.STRAIGHT_LAY,
                "complexity_level": ComplexityLevel.MODERATE,
            },
        ),
    ),
)
SHAPE = (2, 5, 10)  # rooms, surfaces, selections
# What an associate types into the forms, as the browser posts them.
ROOM_FORM = {
    "room_type": RoomType.LAUNDRY_ROOM,
    "room_name": "Laundry",
    "room_style": "",
    "room_length_ft": "8",
    "room_width_ft": "6",
    "room_height_ft": "8",
    "room_notes": "",
}
SURFACE_FORM = {
    "surface_type": SurfaceType.FLOOR,
    "surface_area_sf": "",
    "length_ft": "8",
    "width_ft": "6",
    "height_ft": "",
    "pattern_type": PatternType.STRAIGHT_LAY,
    "complexity_level": ComplexityLevel.SIMPLE,
    "waste_factor": "",
    "obstacles_count": "",
    "obstacles_description": "",
    "prep_work_needed": "",
    "bond_offset": "",
    "bond_offset_pct": "",
}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SENTINEL = uuid.UUID(int=0)


class Failed(Exception):
    """A request answered something else than a working page would. `counted`: the request that
    failed is already among the load's hits (else the loop counts one error for it)."""

    def __init__(self, message: str, *, counted: bool = False):
        super().__init__(message)
        self.counted = counted


@dataclass(frozen=True)
class Catalog:
    floor_tile: ProductCatalog
    wall_tile: ProductCatalog
    grout: ProductCatalog

    @property
    def search_query(self) -> str:
        return self.floor_tile.brand or self.floor_tile.product_name.split()[0]


@dataclass
class Session:
    """One logged-in browser of one associate, with their big open project."""

    user: User
    showcase: ConversationLog
    browser: Browser | None = None


@dataclass
class Probe:
    """One page, partial or post measured: `send` makes the request (round number given), `check`
    says what is wrong with the answer (None when nothing) and undoes a write, outside the timing."""

    name: str
    kind: str
    send: Callable[[Browser, int], Response]
    check: Callable[[Response, int], str | None]
    ms: list[float] = field(default_factory=list)
    kb: float = 0.0


@dataclass(frozen=True)
class Hit:
    step: str
    ms: float
    ok: bool
    at: float


class Command(BaseCommand):
    help = "Time the sales-floor pages and partials against a one-query floor under gunicorn (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--conversations", type=int, default=100_000, help="Bench conversations to have.")
        parser.add_argument("--associates", type=int, default=12, help="Bench associates sharing the history.")
        parser.add_argument("--runs", type=int, default=30, help="Measured rounds of every page (after a warm-up).")
        parser.add_argument("--warmup", type=int, default=3, help="Rounds before the measured ones.")
        parser.add_argument("--load-seconds", type=float, default=20, help="How long the mixed wizard load runs.")
        parser.add_argument(
            "--pdf-downloads",
            type=int,
            default=500,
            help="Repeat quote PDF downloads after which the workers' memory is compared with fresh ones'.",
        )
        parser.add_argument("--users", type=int, default=16, help="Associates in the mixed load.")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)), help="Gunicorn sync workers."
        )
        parser.add_argument("--seed", type=int, default=11, help="Random seed of the seeded history.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though the database holds data that is not bench data."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_pages measures the app as production runs it, on PostgreSQL; DATABASE_URL names "
                f"{connection.vendor}. Point it at a scratch PostgreSQL database."
            )
        if options["runs"] < 1 or options["users"] < 1:
            raise CommandError("--runs and --users must be at least 1.")
        dashboard = DashboardCommand(stdout=self.stdout, stderr=self.stderr)
        dashboard.check_scratch(force=options["force"])
        started = time.perf_counter()
        added = dashboard.seed(
            total=options["conversations"],
            associates=options["associates"],
            days=52 * 7,
            rng=random.Random(options["seed"]),
        )
        if added:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"Seeded {added} conversations in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        catalog = self.catalog()
        users = dashboard.bench_users(max(options["associates"], options["users"]))
        sessions = self.sessions(users, options["users"], catalog)
        closing = self.conversations(sessions[0].user, CLOSING, options["warmup"] + options["runs"], catalog)
        quote = self.quote(sessions[0].showcase)
        growth = self.conversations(sessions[0].user, GROWTH, 1, catalog, copies=GROWTH_COPIES)[0]
        User.objects.filter(pk__in={s.user.pk for s in sessions}).update(password=make_password(PASSWORD))
        self.stdout.write(
            f"Prepared {len(sessions)} sessions' projects, {len(closing)} conversations to close and a quote "
            f"in {time.perf_counter() - started:.1f} s."
        )
        dashboard.report_sizes()
        connection.close()  # the server's workers and this process's checks each use their own

        server = Server(database_url=database_url(connection.settings_dict), workers=options["workers"])
        try:
            server.start()
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        try:
            self.stdout.write(
                f"Serving on 127.0.0.1:{server.port}: {' '.join(server.command[2:-2])} "
                f"(DEBUG off; {os.cpu_count()} cores here)."
            )
            fresh = {pid: rss_mb(pid) for pid in worker_pids(server.process.pid)}
            self.log_in(sessions, server.port)
            loads = [("before the pages", os.getloadavg()[0])]
            probes = self.probes(sessions[0], closing, quote, catalog, growth)
            failures = self.measure_pages(sessions[0].browser, probes, runs=options["runs"], warmup=options["warmup"])
            loads.append(("after the pages", os.getloadavg()[0]))
            self.report_pages(probes, runs=options["runs"], warmup=options["warmup"])
            hits, seconds = self.mixed_load(sessions[1:], catalog, seconds=options["load_seconds"])
            loads.append(("after the load", os.getloadavg()[0]))
            self.report_load(hits, seconds, users=len(sessions) - 1)
            if options["pdf_downloads"]:
                self.pdf_memory(sessions[0].browser, quote, server, fresh, downloads=options["pdf_downloads"])
        finally:
            server.stop()
        self.stdout.write("Load average (1 min): " + ", ".join(f"{value:.2f} {label}" for label, value in loads) + ".")
        load_errors = sum(not hit.ok for hit in hits)
        self.stdout.write(f"Failed requests: {len(failures)} of the pages', {load_errors} of the load's.")
        if failures:
            shown = "\n  ".join(failures[:20])
            raise CommandError(f"{len(failures)} page requests failed:\n  {shown}")

    def pdf_memory(self, browser: Browser, quote: Quote, server: Server, fresh: dict, *, downloads: int) -> None:
        """Each worker's resident memory after `downloads` repeat downloads of a quote's PDF, against
        the same workers just before (warm: they have served the pages and the load) and the workers
        right after they started. gunicorn replaces a worker after MAX_REQUESTS; that is said."""
        if not fresh:
            self.stdout.write("Worker memory: not measured (no /proc here).")
            return
        url = reverse("quotes:pdf", args=[quote.pk])
        warm = {pid: rss_mb(pid) for pid in worker_pids(server.process.pid)}
        failed = sum(browser.get(url).status != 200 for _ in range(downloads))
        now = {pid: rss_mb(pid) for pid in worker_pids(server.process.pid)}

        def listed(values: dict) -> str:
            return ", ".join(f"{value:.0f}" for value in values.values() if value)

        kept = [pid for pid in now if pid in warm and now[pid] and warm[pid]]
        growth = max((now[pid] / warm[pid] for pid in kept), default=None)
        self.stdout.write(
            f"Worker memory (MB): fresh {listed(fresh)}; before {downloads} repeat PDF downloads {listed(warm)}; "
            f"after {listed(now)} ({failed} downloads failed; {len(set(now) - set(warm))} of {len(now)} workers "
            f"replaced by --max-requests meanwhile"
            + (f"; the others at {growth:.2f}x their memory before, target <= 1.20x" if growth else "")
            + ")."
        )

    # --- data --------------------------------------------------------------------------------------

    def catalog(self) -> Catalog:
        """The demo catalog (created or brought up to date): the tiles and the grout the bench
        projects select, and everything the design page's kits offer."""
        products, summary = upsert_products()
        self.stdout.write(summary)
        uses = {item.sku: item.uses for item in demo_products()}

        def first(product_type, use=None) -> ProductCatalog:
            for sku in sorted(products):
                product = products[sku]
                sellable = product.in_stock and not product.discontinued and not product.special_order
                if product.product_type == product_type and sellable and (use is None or use in uses[sku]):
                    return product
            raise CommandError(f"The demo catalog has no sellable {product_type} for {use or 'any use'}.")

        return Catalog(
            floor_tile=first(ProductType.TILE, FLOOR),
            wall_tile=first(ProductType.TILE, WALL),
            grout=first(ProductType.GROUT),
        )

    def sessions(self, users: list[User], load_users: int, catalog: Catalog) -> list[Session]:
        """The measured session (the first associate) and one per simulated associate, each with a
        big open project of its own (made once, reused by later runs)."""
        chosen = [users[0], *users[:load_users]]
        wanted: dict[int, int] = {}
        for user in chosen:
            wanted[user.pk] = wanted.get(user.pk, 0) + 1
        projects = {
            user.pk: self.conversations(user, SHOWCASE, wanted[user.pk], catalog) for user in users[:load_users]
        }
        return [Session(user=user, showcase=projects[user.pk].pop()) for user in chosen]

    def conversations(
        self, user: User, name: str, count: int, catalog: Catalog, copies: int = 1
    ) -> list[ConversationLog]:
        """`count` open conversations of `user` on projects named `name`, of the bench shape (its
        rooms `copies` times): the ones an earlier run left, then new ones."""
        found = [
            conversation
            for conversation in ConversationLog.objects.filter(
                sales_associate=user, closed_at__isnull=True, project__project_name=name
            ).order_by("conversation_date")[: count * 2]
            if _shape(conversation) == tuple(n * copies for n in SHAPE)
        ][:count]
        while len(found) < count:
            found.append(_open_project(associate=user, name=name, catalog=catalog, copies=copies))
        return found

    def quote(self, conversation: ConversationLog) -> Quote:
        project = conversation.project
        return Quote.objects.newest_for_project(project.pk) or quote_services.quote_create(
            project=project, associate=conversation.sales_associate
        )

    # --- logging in ----------------------------------------------------------------------------------

    def log_in(self, sessions: list[Session], port: int) -> None:
        """Each session logs in through the login page, as a browser does (two at a time, one per
        worker: the password hash is slow on purpose). Not timed."""
        started = time.perf_counter()
        for session in sessions:
            session.browser = Browser(port)
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda s: _log_in(s.browser, s.user.username), sessions))
        self.stdout.write(f"Logged in {len(sessions)} sessions in {time.perf_counter() - started:.1f} s (not timed).")

    # --- pages -------------------------------------------------------------------------------------

    def probes(
        self, session: Session, closing: list[ConversationLog], quote: Quote, catalog: Catalog, growth: ConversationLog
    ) -> list[Probe]:
        conversation = session.showcase
        log = conversation.pk
        rooms = list(ProjectRoom.objects.filter(project_id=conversation.project_id).order_by("created_at", "room_id"))
        room = rooms[0]
        surface = Surface.objects.filter(room=room).order_by("created_at", "surface_id").first()
        original = {
            "rooms": {r.pk for r in rooms},
            "surfaces": set(Surface.objects.filter(room=room).values_list("pk", flat=True)),
            "selections": set(SelectedProduct.objects.filter(surface=surface).values_list("pk", flat=True)),
        }

        def page(url, **params):
            return lambda browser, n: browser.get(url, params=params or None)

        def partial(url, **params):
            return lambda browser, n: browser.get(url, params=params, htmx=True)

        def phase(slug):
            return reverse("conversations:phase", args=[log, slug])

        def one_added(rows, kept, remove):
            """A check for an add: exactly one new row, removed again through its service."""

            def check(response, n):
                problem = _html(response)
                added = [row for row in rows() if row.pk not in kept]
                for row in added:
                    remove(row)
                return problem or (None if len(added) == 1 else f"{len(added)} rows added instead of 1")

            return check

        def closed(response, n):
            if response.status != 200 or not response.headers.get("HX-Redirect"):
                return f"answered {response.status} without HX-Redirect"
            if not ConversationLog.objects.filter(pk=closing[n].pk, closed_at__isnull=False).exists():
                return "the conversation is still open"
            return None

        def pdf(response, n):
            if response.status != 200 or not response.body.startswith(b"%PDF"):
                return f"answered {response.status} {response.headers.get('Content-Type')}"
            return None

        def check_html(response, n):
            return _html(response)

        return [
            Probe("home /", "page", page(reverse("home")), check_html),
            Probe("greeting page", "page", page(phase("greeting")), check_html),
            Probe("needs page (2 rooms, 5 surfaces)", "page", page(phase("needs")), check_html),
            Probe("design page", "page", page(phase("design")), check_html),
            Probe("close page", "page", page(phase("close")), check_html),
            *self.growth_probes(growth, check_html),
            Probe(
                "product search partial",
                "partial",
                partial(
                    reverse("conversations:product_search", args=[log]), q=catalog.search_query, surface=surface.pk
                ),
                check_html,
            ),
            Probe(
                "customer search partial",
                "partial",
                partial(reverse("conversations:customer_search"), q=NAME_QUERY),
                check_html,
            ),
            Probe("open conversations /conversations/", "page", page(reverse("conversations:list")), check_html),
            Probe(
                "customers /customers/?q=<phone>", "page", page(reverse("customers:list"), q=PHONE_QUERY), check_html
            ),
            Probe(
                "add room (htmx post)",
                "post",
                lambda browser, n: browser.post(reverse("conversations:room_add", args=[log]), ROOM_FORM),
                one_added(
                    lambda: ProjectRoom.objects.filter(project_id=conversation.project_id),
                    original["rooms"],
                    lambda row: project_services.room_delete(room=row),
                ),
            ),
            Probe(
                "add surface (htmx post)",
                "post",
                lambda browser, n: browser.post(
                    reverse("conversations:surface_add", args=[log, room.pk]), SURFACE_FORM
                ),
                one_added(
                    lambda: Surface.objects.filter(room=room).select_related("room__project"),
                    original["surfaces"],
                    lambda row: project_services.surface_delete(surface=row),
                ),
            ),
            Probe(
                "add selection (htmx post)",
                "post",
                lambda browser, n: browser.post(
                    reverse("conversations:selection_add", args=[log, surface.pk]), _selection_form(catalog.floor_tile)
                ),
                one_added(
                    lambda: SelectedProduct.objects.filter(surface=surface),
                    original["selections"],
                    lambda row: project_services.selection_delete(selection=row),
                ),
            ),
            Probe(
                "close (htmx post)",
                "post",
                lambda browser, n: browser.post(
                    reverse("conversations:phase", args=[closing[n].pk, "close"]), _close_form()
                ),
                closed,
            ),
            Probe("quote PDF, repeat download", "pdf", page(reverse("quotes:pdf", args=[quote.pk])), pdf),
        ]

    def measure_pages(self, browser: Browser, probes: list[Probe], *, runs: int, warmup: int) -> list[str]:
        """Floor, page A, floor, page B, … for every round; the floor's times are kept in
        `self.floor`. Returns what failed."""
        self.stdout.write(
            f"Measuring {len(probes)} pages: {warmup} warm-up rounds, then {runs} rounds, each page right "
            "after a request to the floor."
        )
        self.floor: list[float] = []
        self.floor_kb = 0.0
        failures = []
        for n in range(warmup + runs):
            for probe in probes:
                base = browser.get("/" + FLOOR_PATH)
                response = probe.send(browser, n)
                problem = _html(base) or probe.check(response, n)
                if problem:
                    failures.append(f"round {n + 1}, {probe.name}: {problem}")
                if n >= warmup:
                    self.floor.append(base.ms)
                    self.floor_kb = base.kb
                    probe.ms.append(response.ms)
                    probe.kb = response.kb
        return failures

    def report_pages(self, probes: list[Probe], *, runs: int, warmup: int) -> None:
        floor = statistics.median(self.floor)
        self.stdout.write(
            f"\nPages: {runs} rounds after {warmup} warm-up rounds; ms from the request sent to the last byte "
            "received (loopback, gunicorn, Django, PostgreSQL)."
        )
        self.stdout.write(
            f"  {'page':<38} {'p50':>7} {'p95':>7} {'min':>7} {'max':>7} {'x floor':>8} {'KB':>7}  target"
        )
        self.stdout.write(
            f"  {'floor (one query, ' + '/' + FLOOR_PATH + ')':<38} {floor:>7.1f} {percentile(self.floor, 0.95):>7.1f} "
            f"{min(self.floor):>7.1f} {max(self.floor):>7.1f} {1:>7.1f}x {self.floor_kb:>7.1f}"
        )
        for probe in probes:
            p50 = statistics.median(probe.ms)
            ratio = p50 / floor
            target = TARGETS[probe.kind]
            verdict = "pass" if ratio <= target else "MISS"
            self.stdout.write(
                f"  {probe.name:<38} {p50:>7.1f} {percentile(probe.ms, 0.95):>7.1f} {min(probe.ms):>7.1f} "
                f"{max(probe.ms):>7.1f} {ratio:>7.1f}x {probe.kb:>7.1f}  {probe.kind} <= {target}x: {verdict}"
            )
        passed = sum(statistics.median(p.ms) / floor <= TARGETS[p.kind] for p in probes)
        self.stdout.write(f"  {passed} of {len(probes)} within their target.\n")
        self.report_growth(probes)

    def growth_probes(self, growth: ConversationLog, check) -> list[Probe]:
        """The needs and design pages of the growth project: GROWTH_COPIES times the showcase's
        rooms, surfaces and selections, measured in the same rounds as the showcase's pages."""
        rooms, surfaces, _ = (n * GROWTH_COPIES for n in SHAPE)
        return [
            Probe(
                f"{slug} page ({rooms} rooms, {surfaces} surfaces)",
                "page",
                lambda browser, n, slug=slug: browser.get(reverse("conversations:phase", args=[growth.pk, slug])),
                check,
            )
            for slug in ("needs", "design")
        ]

    def report_growth(self, probes: list[Probe]) -> None:
        """What one more surface (with its tile and grout) costs the needs and design pages: the
        difference between the growth project's page and the showcase's, per extra surface."""
        extra = SHAPE[1] * (GROWTH_COPIES - 1)
        by_name = {probe.name: probe for probe in probes}
        rooms, surfaces, _ = (n * GROWTH_COPIES for n in SHAPE)
        self.stdout.write(f"Growth per extra surface ({SHAPE[1]} -> {surfaces} surfaces, each with a tile and grout):")
        for slug, small in (("needs", "needs page (2 rooms, 5 surfaces)"), ("design", "design page")):
            big = by_name[f"{slug} page ({rooms} rooms, {surfaces} surfaces)"]
            ms = (statistics.median(big.ms) - statistics.median(by_name[small].ms)) / extra
            kb = (big.kb - by_name[small].kb) / extra
            verdict = "pass" if ms <= GROWTH_TARGET[0] and kb <= GROWTH_TARGET[1] else "MISS"
            self.stdout.write(
                f"  {slug + ' page':<38} {ms:>6.2f} ms {kb:>6.2f} KB  "
                f"<= {GROWTH_TARGET[0]:g} ms and {GROWTH_TARGET[1]:g} KB: {verdict}"
            )
        self.stdout.write("")

    # --- mixed load --------------------------------------------------------------------------------

    def mixed_load(self, sessions: list[Session], catalog: Catalog, *, seconds: float) -> tuple[list[Hit], float]:
        """Every simulated associate loops the wizard in its own thread until the time is up; a
        request is counted when it was sent before the end."""
        hits: list[Hit] = []
        started = time.monotonic()
        deadline = started + seconds
        threads = [
            threading.Thread(target=_wizard_loop, args=(session, catalog, deadline, hits, n), daemon=True)
            for n, session in enumerate(sessions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        finished = max((hit.at for hit in hits), default=deadline)
        return hits, max(finished - started, 1e-9)

    def report_load(self, hits: list[Hit], seconds: float, *, users: int) -> None:
        times = [hit.ms for hit in hits] or [0.0]
        errors = sum(not hit.ok for hit in hits)
        rate = len(hits) / seconds
        p95 = percentile(times, 0.95)
        met = rate >= LOAD_TARGET[0] and p95 <= LOAD_TARGET[1] and not errors
        self.stdout.write(
            f"Mixed wizard load: {users} associates for {seconds:.1f} s: {len(hits)} requests, {rate:.1f} req/s, "
            f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, errors {errors} "
            f"(target >= {LOAD_TARGET[0]} req/s, p95 <= {LOAD_TARGET[1]} ms, no errors: {'pass' if met else 'MISS'})"
        )
        self.stdout.write(f"  {'step':<28} {'requests':>8} {'p50':>7} {'p95':>7} {'errors':>6}")
        for step in dict.fromkeys(hit.step for hit in hits):
            mine = [hit for hit in hits if hit.step == step]
            ms = [hit.ms for hit in mine]
            self.stdout.write(
                f"  {step:<28} {len(mine):>8} {statistics.median(ms):>7.1f} {percentile(ms, 0.95):>7.1f} "
                f"{sum(not hit.ok for hit in mine):>6}"
            )


# --- helpers --------------------------------------------------------------------------------------


def _shape(conversation: ConversationLog) -> tuple[int, int, int]:
    rooms = ProjectRoom.objects.filter(project_id=conversation.project_id)
    return (
        rooms.count(),
        Surface.objects.filter(room__in=rooms).count(),
        SelectedProduct.objects.filter(surface__room__in=rooms).count(),
    )


def _open_project(*, associate: User, name: str, catalog: Catalog, copies: int = 1) -> ConversationLog:
    """An open conversation, standing on the needs page, about a new customer's project of two
    rooms and five surfaces (`copies` times), each with a selected tile and a considered grout."""
    tag = uuid.uuid4().hex[:16]
    conversation = conversation_services.conversation_start(
        associate=associate,
        customer_data={
            "first_name": "Showcase",
            "last_name": f"Customer {tag[:6]}",
            "email": f"bench-pages-{tag}{EMAIL_DOMAIN}",
            "customer_type": CustomerType.DIY_HOMEOWNER,
            "marketing_opt_in": False,
        },
        project_data={"installation_method": InstallationMethod.CONTRACTOR, "project_name": name},
    )
    for room_data, surfaces in ROOMS * copies:
        room = project_services.room_add(project=conversation.project, data=room_data)
        for surface_data in surfaces:
            surface = project_services.surface_add(room=room, data=surface_data)
            tile = catalog.wall_tile if surface.surface_type in WALL_TYPES else catalog.floor_tile
            project_services.selection_add(surface=surface, product=tile, selection_status=SelectionStatus.SELECTED)
            project_services.selection_add(surface=surface, product=catalog.grout, quantity=D("2"))
    return conversation_services.conversation_advance(conversation=conversation, phase="needs", by=associate)


def _selection_form(product: ProductCatalog) -> dict:
    return {"product_sku": product.sku, "quantity_ordered": "", "selection_status": SelectionStatus.SELECTED}


def _close_form() -> dict:
    return {
        "go": "close",
        "outcome": Outcome.INFORMATION_GATHERED,
        "conversation_summary": "Measured the kitchen and the bath; she wants to see samples first.",
        "next_action": "Call with the samples",
        "next_contact_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "aos_score_greeting": "3",
        "aos_score_needs": "3",
        "aos_score_design": "3",
        "aos_score_close": "2",
        "aos_score_objection": "",
        "aos_score_overall": "3",
    }


def _html(response: Response) -> str | None:
    """What is wrong with an answer that should be a page or partial (None when nothing)."""
    if response.status != 200:
        return f"answered {response.status} {response.headers.get('Location') or ''}".strip()
    if not (response.headers.get("Content-Type") or "").startswith("text/html"):
        return f"answered {response.headers.get('Content-Type')}"
    if "is-invalid" in response.text:
        return "the form came back with errors"
    return None


def _log_in(browser: Browser, username: str) -> None:
    login = reverse("login")
    page = browser.get(login)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status != 200 or not token:
        raise CommandError(f"The login page answered {page.status} without a CSRF token.")
    answer = browser.post(
        login, {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}, htmx=False
    )
    if answer.status != 302 or "sessionid" not in browser.cookies:
        raise CommandError(f"{username} could not log in: the login page answered {answer.status}.")
    _keep_token(browser, browser.get(reverse("home")))


def _keep_token(browser: Browser, response: Response) -> None:
    """The CSRF token htmx sends, from the page's `hx-headers`."""
    found = re.search(r'"x-csrftoken":\s*"([^"]+)"', response.text)
    if found:
        browser.csrf_token = found.group(1)


def _url_pattern(name: str, *args) -> re.Pattern:
    """The regular expression of a URL, the UUID to find in a page standing where `SENTINEL` is
    given (by default the last argument)."""
    url = reverse(name, args=[*args] if SENTINEL in args else [*args, SENTINEL])
    return re.compile(re.escape(url).replace(re.escape(str(SENTINEL)), f"({UUID})"))


class _TimeUp(Exception):
    pass


def _wizard_loop(session: Session, catalog: Catalog, deadline: float, hits: list[Hit], n: int) -> None:
    """One simulated associate: a new customer's conversation from the start to the close, then a
    visit to their big project, and again, until the deadline."""
    browser = session.browser
    rng = random.Random(n)

    def step(name: str, send: Callable[[], Response], ok: Callable[[Response], bool]) -> Response:
        if time.monotonic() >= deadline:
            raise _TimeUp
        try:
            response = send()
        except (OSError, http.client.HTTPException):
            hits.append(Hit(name, 0.0, False, time.monotonic()))
            raise Failed(name, counted=True) from None
        good = ok(response)
        hits.append(Hit(name, response.ms, good, time.monotonic()))
        if not good:
            raise Failed(name, counted=True)
        return response

    def html(response: Response) -> bool:
        return _html(response) is None

    for loop in itertools.count():
        try:
            if loop % 2 == 0:
                _new_conversation(step, html, browser, catalog, rng)
            else:
                _visit_showcase(step, html, browser, session.showcase)
        except _TimeUp:
            return
        except Failed as failure:  # an error; the associate starts over
            if not failure.counted:
                hits.append(Hit(str(failure), 0.0, False, time.monotonic()))
        except Exception as error:  # an answer this loop did not foresee: an error, not the end of the run
            hits.append(Hit(f"unexpected {type(error).__name__}", 0.0, False, time.monotonic()))


def _new_conversation(step, html, browser: Browser, catalog: Catalog, rng: random.Random) -> None:
    step("home", lambda: browser.get(reverse("home")), html)
    start = reverse("conversations:new")
    step("start page", lambda: browser.get(start), html)
    step(
        "customer search (htmx)",
        lambda: browser.get(reverse("conversations:customer_search"), params={"q": NAME_QUERY}, htmx=True),
        html,
    )
    tag = uuid.uuid4().hex[:16]
    customer = {
        "first_name": "Walkin",
        "last_name": f"Load {tag[:6]}",
        "email": f"bench-load-{tag}{EMAIL_DOMAIN}",
        "phone_primary": "",
        "phone_secondary": "",
        "customer_type": rng.choice([CustomerType.DIY_HOMEOWNER, CustomerType.CONTRACTOR]),
        "pro_account_number": "",
        "preferred_contact_method": "",
        "installation_method": InstallationMethod.UNKNOWN,
        "interaction_type": "initial_inquiry",
        "project_name": "",
    }
    found = _url_pattern("conversations:phase", SENTINEL, "needs")
    started = step(
        "start (post)",
        lambda: browser.post(start, customer, htmx=False),
        lambda r: r.status == 302 and bool(found.search(r.headers.get("Location") or "")),
    )
    needs = started.headers["Location"]
    log = found.search(needs).group(1)
    step("needs page", lambda: browser.get(needs), html)
    room_answer = step(
        "add room (htmx)", lambda: browser.post(reverse("conversations:room_add", args=[log]), ROOM_FORM), html
    )
    room = _url_pattern("conversations:surface_add", log).search(room_answer.text)
    if room is None:
        raise Failed("the new room's card has no add-surface form")
    surface_answer = step(
        "add surface (htmx)",
        lambda: browser.post(reverse("conversations:surface_add", args=[log, room.group(1)]), SURFACE_FORM),
        html,
    )
    surface = _url_pattern("conversations:surface_edit", log).search(surface_answer.text)
    if surface is None:
        raise Failed("the room card has no surface")
    step("design page", lambda: browser.get(reverse("conversations:phase", args=[log, "design"])), html)
    step(
        "product search (htmx)",
        lambda: browser.get(
            reverse("conversations:product_search", args=[log]),
            params={"q": catalog.search_query, "surface": surface.group(1)},
            htmx=True,
        ),
        html,
    )
    step(
        "add selection (htmx)",
        lambda: browser.post(
            reverse("conversations:selection_add", args=[log, surface.group(1)]), _selection_form(catalog.floor_tile)
        ),
        html,
    )
    close = reverse("conversations:phase", args=[log, "close"])
    step("close page", lambda: browser.get(close), html)
    closed = step(
        "close (htmx post)",
        lambda: browser.post(close, _close_form()),
        lambda r: r.status == 200 and bool(r.headers.get("HX-Redirect")),
    )
    step("summary page", lambda: browser.get(closed.headers["HX-Redirect"]), html)


def _visit_showcase(step, html, browser: Browser, conversation: ConversationLog) -> None:
    step("open conversations", lambda: browser.get(reverse("conversations:list")), html)
    resumed = step(
        "resume (redirect)",
        lambda: browser.get(reverse("conversations:resume", args=[conversation.pk])),
        lambda r: r.status == 302,
    )
    step("needs page", lambda: browser.get(resumed.headers["Location"]), html)
    step("design page", lambda: browser.get(reverse("conversations:phase", args=[conversation.pk, "design"])), html)
    step("close page", lambda: browser.get(reverse("conversations:phase", args=[conversation.pk, "close"])), html)
