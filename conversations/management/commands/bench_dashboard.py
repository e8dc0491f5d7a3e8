"""Seed a scratch database with bench conversations and time the AOS review pages (issue 6).

    python manage.py bench_dashboard --conversations 100000

Bench rows are recognisable (users `bench-*`, customers `@bench.invalid`, SKUs `BENCH-*`), so the
command refuses a database holding anything else unless --force, and a second run tops the data up
to the asked count instead of starting again. It then times, over several runs, the dashboard
selector (reviews.team_dashboard) and the pages through the test client, and prints the median and
95th percentile server time and the query count of each. docs/dashboard.md records the numbers."""

from __future__ import annotations

import math
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from aos_crm import roles
from aos_crm.models import User
from catalog.models import ProductCatalog
from conversations import reviews
from conversations.models import ConversationLog, InteractionType, Outcome
from customers.models import Customer, CustomerType
from projects.models import (
    InstallationMethod,
    PatternType,
    ProductType,
    Project,
    ProjectRoom,
    RoomType,
    SelectedProduct,
    SelectionStatus,
    Surface,
    SurfaceType,
    UnitOfMeasure,
)
from quotes.models import Quote

USER_PREFIX = "bench-"
EMAIL_DOMAIN = "@bench.invalid"
SKU_PREFIX = "BENCH-"
BATCH = 2000
CENT = Decimal("0.01")
OUTCOMES = [
    (Outcome.INFORMATION_GATHERED, 20),
    (Outcome.QUOTE_REQUESTED, 18),
    (Outcome.ORDER_PLACED, 17),
    (Outcome.FOLLOW_UP_SCHEDULED, 27),
    (Outcome.LOST, 10),
    (None, 8),  # still open
]


class Command(BaseCommand):
    help = "Seed bench conversations (scratch database only) and time the AOS review dashboard."

    def add_arguments(self, parser):
        parser.add_argument("--conversations", type=int, default=100_000, help="How many conversations to have.")
        parser.add_argument("--associates", type=int, default=12, help="Bench associates sharing them.")
        parser.add_argument("--weeks", type=int, default=52, help="Weeks of history the dates spread over.")
        parser.add_argument("--runs", type=int, default=15, help="Timed runs per measurement (after a warm-up).")
        parser.add_argument("--seed", type=int, default=6, help="Random seed, for repeatable data.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though the database holds data that is not bench data."
        )
        parser.add_argument("--seed-only", action="store_true", help="Seed, do not time.")

    def handle(self, *args, **options):
        self.check_scratch(force=options["force"])
        started = time.perf_counter()
        added = self.seed(
            total=options["conversations"],
            associates=options["associates"],
            weeks=options["weeks"],
            rng=random.Random(options["seed"]),
        )
        if added:
            self.stdout.write(f"Seeded {added} conversations in {time.perf_counter() - started:.1f} s.")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        self.report_sizes()
        if not options["seed_only"]:
            self.time_pages(runs=options["runs"])

    # --- timing ---------------------------------------------------------------------------------------

    def report_sizes(self):
        sizes = ", ".join(f"{n} {name}" for name, n in _sizes().items())
        self.stdout.write(f"Database ({connection.vendor}, {connection.settings_dict['NAME']}): {sizes}")

    def time_pages(self, *, runs: int):
        today = timezone.localdate()
        period = reviews.Period.default(today)
        manager = User.objects.get(username=f"{USER_PREFIX}manager")
        associate = User.objects.filter(username__startswith=f"{USER_PREFIX}associate").order_by("username").first()
        self.stdout.write(
            f"Dashboard period {period.start} – {period.end}: {_period_count(period)} conversations "
            f"(previous period {_period_count(period.previous())}). {runs} runs after a warm-up; times in ms."
        )
        self.stdout.write(f"  {'measurement':<40} {'queries':>7} {'median':>9} {'p95':>9} {'min':>9} {'max':>9}")
        previous = period.previous()
        measurements = [
            ("reviews.team_dashboard() (all 7 reads)", lambda: reviews.team_dashboard(period=period, today=today)),
            ("  associates_with_conversations()", lambda: list(reviews.associates_with_conversations())),
            ("  per_associate() this period", lambda: reviews.per_associate(period=period)),
            (
                "  per_associate() previous period",
                lambda: reviews.per_associate(period=previous, completeness=False),
            ),
            ("  weekly_trend()", lambda: reviews.weekly_trend(period=period)),
            ("  distribution()", lambda: reviews.distribution(period=period)),
            ("  close_rate_by_score()", lambda: reviews.close_rate_by_score(period=period)),
            ("  followups_per_associate()", lambda: reviews.followups_per_associate(today=today)),
        ]
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            manager_client, associate_client = _client(manager), _client(associate)
            measurements += [
                ("GET /reviews/team/", _get(manager_client, "/reviews/team/")),
                ("GET /reviews/team.csv", _get(manager_client, "/reviews/team.csv")),
                ("GET /reviews/associates/<id>/", _get(manager_client, f"/reviews/associates/{associate.pk}/")),
                ("GET /reviews/mine/ (associate)", _get(associate_client, "/reviews/mine/")),
                ("GET /reviews/followups/ (associate)", _get(associate_client, "/reviews/followups/")),
            ]
            for name, fn in measurements:
                timings, queries = _measure(fn, runs)
                _print_row(self.stdout, name, timings, queries)

    # --- safety -------------------------------------------------------------------------------------

    def check_scratch(self, *, force: bool):
        foreign = {
            "users": User.objects.exclude(username__startswith=USER_PREFIX).count(),
            "customers": Customer.objects.exclude(email__endswith=EMAIL_DOMAIN).count(),
            "conversations": ConversationLog.objects.exclude(sales_associate__username__startswith=USER_PREFIX).count(),
        }
        found = {name: n for name, n in foreign.items() if n}
        if found and not force:
            listed = ", ".join(f"{n} {name}" for name, n in found.items())
            raise CommandError(
                f"This database holds data that is not bench data ({listed}): "
                f"{connection.settings_dict['NAME']}. Use a scratch database, or --force."
            )

    # --- seeding ------------------------------------------------------------------------------------------

    def seed(self, *, total: int, associates: int, weeks: int, rng: random.Random) -> int:
        have = ConversationLog.objects.filter(sales_associate__username__startswith=USER_PREFIX).count()
        if have >= total:
            self.stdout.write(f"{have} bench conversations already there; not seeding.")
            return 0
        users = self.bench_users(associates)
        products = self.bench_products()
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        profiles = {user.pk: [rng.uniform(2.0, 3.6) for _ in range(5)] for user in users}
        added = 0
        while have + added < total:
            batch = Batch()
            while have + added + len(batch.conversations) < total and len(batch.conversations) < 10_000:
                self.plan_project(batch, users, products, profiles, rng, today, tz, weeks)
            extra = have + added + len(batch.conversations) - total
            if extra > 0:
                del batch.conversations[-extra:]
            batch.save()
            added += len(batch.conversations)
            self.stdout.write(f"  {have + added} / {total}")
        return added

    def bench_users(self, count: int) -> list[User]:
        associate_group = Group.objects.get(name=roles.ASSOCIATE)
        manager_group = Group.objects.get(name=roles.MANAGER)
        users = []
        for n in range(count):
            user, created = User.objects.get_or_create(
                username=f"{USER_PREFIX}associate{n + 1:02d}",
                defaults={"first_name": "Bench", "last_name": f"Associate {n + 1:02d}"},
            )
            if created:
                user.groups.add(associate_group)
            users.append(user)
        manager, created = User.objects.get_or_create(
            username=f"{USER_PREFIX}manager", defaults={"first_name": "Bench", "last_name": "Manager"}
        )
        if created:
            manager.groups.add(manager_group)
        return users

    def bench_products(self) -> dict[str, list[ProductCatalog]]:
        specs = [
            (ProductType.TILE, UnitOfMeasure.BOX, Decimal("45.00")),
            (ProductType.TILE, UnitOfMeasure.BOX, Decimal("62.00")),
            (ProductType.GROUT, UnitOfMeasure.BAG, Decimal("24.00")),
            (ProductType.ADHESIVE, UnitOfMeasure.BAG, Decimal("38.00")),
            (ProductType.TRIM, UnitOfMeasure.PIECE, Decimal("19.00")),
        ]
        by_type: dict[str, list[ProductCatalog]] = {}
        for n, (product_type, unit, price) in enumerate(specs):
            product, _ = ProductCatalog.objects.get_or_create(
                sku=f"{SKU_PREFIX}{n:03d}",
                defaults={
                    "product_name": f"Bench {product_type} {n}",
                    "product_type": product_type,
                    "unit_of_measure": unit,
                    "price_retail": price,
                    "price_pro": price,
                    "coverage_per_box": Decimal("15.50") if product_type == ProductType.TILE else None,
                },
            )
            by_type.setdefault(product_type, []).append(product)
        return by_type

    def plan_project(self, batch, users, products, profiles, rng, today, tz, weeks):
        """One customer, one project with rooms, surfaces and selections, one to four conversations."""
        associate = rng.choice(users)
        n = batch.next_number()
        customer = Customer(
            customer_id=uuid.uuid4(),
            first_name=f"Bench{n}",
            last_name="Customer",
            email=f"bench-{uuid.uuid4().hex[:16]}{EMAIL_DOMAIN}",
            phone_primary=f"(555) 555-{n % 10000:04d}" if rng.random() < 0.9 else None,
            customer_type=rng.choice(CustomerType.values),
        )
        budget = Decimal(rng.randrange(2000, 30000, 500))
        project = Project(
            project_id=uuid.uuid4(),
            customer_id=customer.customer_id,
            sales_associate_id=associate.pk,
            installation_method=rng.choice(InstallationMethod.values),
            total_budget_min=budget if rng.random() < 0.7 else None,
            total_budget_max=budget * 2 if rng.random() < 0.7 else None,
            project_start_date=today + timedelta(days=rng.randrange(0, 90)) if rng.random() < 0.6 else None,
        )
        batch.customers.append(customer)
        batch.projects.append(project)
        for _ in range(rng.choice((1, 1, 2, 3))):
            room = ProjectRoom(
                room_id=uuid.uuid4(), project_id=project.project_id, room_type=rng.choice(RoomType.values)
            )
            batch.rooms.append(room)
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                surface = Surface(
                    surface_id=uuid.uuid4(),
                    room_id=room.room_id,
                    surface_type=rng.choice(SurfaceType.values),
                    surface_area_sf=Decimal(rng.randrange(20, 400)),
                    pattern_type=rng.choice(PatternType.values) if rng.random() < 0.9 else None,
                )
                batch.surfaces.append(surface)
                if rng.random() < 0.8:
                    batch.selection(surface, rng.choice(products[ProductType.TILE]), rng)
                if rng.random() < 0.5:
                    batch.selection(surface, rng.choice(products[ProductType.GROUT]), rng)
        if rng.random() < 0.3:
            batch.quote(project, associate, today - timedelta(days=rng.randrange(0, weeks * 7)))
        first_day = rng.randrange(0, weeks * 7)
        for k in range(rng.choice((1, 2, 2, 3, 4))):
            days_ago = max(0, first_day - k * rng.randrange(1, 15))
            when = datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), tzinfo=tz) + timedelta(
                minutes=rng.randrange(9 * 60, 19 * 60)
            )
            batch.conversation(project, associate, when, profiles[associate.pk], rng, today, first=k == 0)


class Batch:
    """Rows planned in memory, then written table by table with bulk_create (parents first)."""

    counter = 0

    def __init__(self):
        self.customers, self.projects, self.rooms, self.surfaces = [], [], [], []
        self.selections, self.quotes, self.conversations = [], [], []

    def next_number(self) -> int:
        Batch.counter += 1
        return Batch.counter

    def selection(self, surface, product, rng):
        quantity = Decimal(rng.randrange(1, 30)) if rng.random() < 0.9 else None
        self.selections.append(
            SelectedProduct(
                selection_id=uuid.uuid4(),
                surface_id=surface.surface_id,
                product_id=product.sku,
                product_name=product.product_name,
                product_type=product.product_type,
                unit_of_measure=product.unit_of_measure,
                quantity_ordered=quantity,
                price_per_unit=product.price_retail,
                total_price=(quantity * product.price_retail).quantize(CENT) if quantity else None,
                selection_status=rng.choice(SelectionStatus.values),
            )
        )

    def quote(self, project, associate, day):
        subtotal = Decimal("1000.00")
        tax = Decimal("82.50")
        self.quotes.append(
            Quote(
                quote_id=uuid.uuid4(),
                project_id=project.project_id,
                quote_number=f"BENCH-{uuid.uuid4().hex[:20]}",
                quote_date=day,
                expiration_date=day + timedelta(days=30),
                subtotal=subtotal,
                tax_rate=Decimal("0.0825"),
                tax_amount=tax,
                delivery_fee=Decimal("0.00"),
                total_amount=subtotal + tax,
                sales_associate_id=associate.pk,
            )
        )

    def conversation(self, project, associate, when, profile, rng, today, *, first):
        outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
        closed = outcome is not None
        scores = [max(1, min(4, round(rng.gauss(mean, 0.7)))) for mean in profile]
        overall = max(1, min(4, math.floor(sum(scores[:4]) / 4 + rng.gauss(0, 0.35) + 0.5)))
        follow_up = outcome in (Outcome.FOLLOW_UP_SCHEDULED, Outcome.QUOTE_REQUESTED, Outcome.INFORMATION_GATHERED)
        self.conversations.append(
            ConversationLog(
                log_id=uuid.uuid4(),
                project_id=project.project_id,
                sales_associate_id=associate.pk,
                conversation_date=when,
                interaction_type=InteractionType.INITIAL_INQUIRY if first else InteractionType.FOLLOWUP,
                aos_phase="close" if closed else "needs_assessment",
                outcome=outcome,
                closed_at=when if closed else None,
                next_action="Call back" if follow_up else None,
                next_contact_date=when.date() + timedelta(days=rng.randrange(1, 21)) if follow_up else None,
                aos_score_greeting=scores[0] if closed else None,
                aos_score_needs=scores[1] if closed else None,
                aos_score_design=scores[2] if closed else None,
                aos_score_close=scores[3] if closed else None,
                aos_score_objection=scores[4] if closed and rng.random() < 0.4 else None,
                aos_score_overall=overall if closed else None,
            )
        )

    @transaction.atomic
    def save(self):
        for model, rows in (
            (Customer, self.customers),
            (Project, self.projects),
            (ProjectRoom, self.rooms),
            (Surface, self.surfaces),
            (SelectedProduct, self.selections),
            (Quote, self.quotes),
            (ConversationLog, self.conversations),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _measure(fn, runs: int) -> tuple[list[float], int]:
    fn()  # warm-up: connection, caches, plans
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return timings, queries


def _print_row(stdout, name, timings, queries):
    stdout.write(
        f"  {name:<40} {queries:>7} {statistics.median(timings):>9.1f} {_p95(timings):>9.1f} "
        f"{min(timings):>9.1f} {max(timings):>9.1f}"
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client, url):
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")

    return run


def _sizes() -> dict[str, int]:
    return {
        "conversations": ConversationLog.objects.count(),
        "customers": Customer.objects.count(),
        "projects": Project.objects.count(),
        "rooms": ProjectRoom.objects.count(),
        "surfaces": Surface.objects.count(),
        "selections": SelectedProduct.objects.count(),
        "quotes": Quote.objects.count(),
    }


def _period_count(period) -> int:
    start, end = period.bounds()
    return ConversationLog.objects.filter(conversation_date__gte=start, conversation_date__lt=end).count()
