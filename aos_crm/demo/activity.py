"""Twelve weeks of invented sales-floor activity for the demo associates.

:func:`generate` builds unsaved model instances (customers, projects, rooms, surfaces, selections,
conversations, quotes) from one seeded ``random.Random``, with every date relative to ``today``, so
the same seed on the same day gives the same data. :func:`save` writes them with ``bulk_create``.

How the story hangs together:

* each associate has a skill profile (mean AOS score per phase); the overall score follows the phase
  scores, and a higher overall score closes (``order_placed``) more often;
* a project's status follows its latest closed conversation; a quote exists when a conversation asked
  for one or an order was placed, and snapshots the project's selected lines;
* every quantity comes from :mod:`projects.estimating` (boxes, grout, thinset, membrane, trim,
  spacers), every price from the catalog (pro price for pro accounts), rounded half-up to cents.
"""

from __future__ import annotations

import itertools
import math
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from aos_crm.demo import people, texts
from aos_crm.demo.catalog import FLOOR, GROUT_COLORS, OUTDOOR, SHOWER_FLOOR, WALL, DemoProduct
from aos_crm.models import User
from catalog.models import EdgeType, ProductCatalog
from conversations.models import AosPhase, ConversationLog, InteractionType, Outcome
from customers.models import ContactMethod, Customer, CustomerType
from projects import estimating
from projects.models import (
    ComplexityLevel,
    InstallationMethod,
    PatternType,
    ProductType,
    Project,
    ProjectRoom,
    ProjectStatus,
    RoomType,
    SelectedProduct,
    SelectionStatus,
    Surface,
    SurfaceType,
    UrgencyLevel,
)
from quotes.models import Quote, QuoteStatus

D = Decimal
CENT = D("0.01")
WEEKS = 12
DAYS = WEEKS * 7
CUSTOMERS = 160

# Mean AOS score per phase (1-4) for each demo associate, and how much of the floor traffic each takes.
SKILL_PROFILES = {
    "associate": {"greeting": 3.6, "needs": 3.0, "design": 3.1, "close": 2.0, "objection": 2.2},  # warm, shy closer
    "associate2": {"greeting": 2.7, "needs": 3.6, "design": 3.3, "close": 3.0, "objection": 3.2},  # thorough
    "associate3": {"greeting": 3.1, "needs": 2.4, "design": 3.7, "close": 2.6, "objection": 2.5},  # design eye
    "associate4": {"greeting": 2.6, "needs": 2.8, "design": 2.5, "close": 3.6, "objection": 3.4},  # the closer
}
DEFAULT_PROFILE = {"greeting": 3.0, "needs": 3.0, "design": 3.0, "close": 3.0, "objection": 3.0}
TRAFFIC = {"associate": 30, "associate2": 26, "associate3": 24, "associate4": 20}
# Chance that a conversation with this overall score ends in an order (before other adjustments).
CLOSE_RATE = {1: 0.03, 2: 0.1, 3: 0.25, 4: 0.5}
# Open (unfinished) conversations to leave: this many for `associate`, this many for the others.
OPEN_FOR_ASSOCIATE, OPEN_FOR_OTHERS = 3, 5
# Grout color for a tile color; anything not listed gets warm gray.
GROUT_FOR_TILE = {
    "white": "bright white", "warm white": "bright white", "bone": "bone", "ivory": "bone",
    "charcoal": "charcoal", "black": "black", "navy": "charcoal", "cobalt": "charcoal", "walnut": "charcoal",
    "multicolor": "charcoal", "beige": "sand beige", "light beige": "sand beige", "sand": "sand beige",
    "oak": "sand beige", "honey": "sand beige", "white oak": "sand beige", "hickory": "sand beige",
    "terracotta": "sand beige", "clay": "sand beige", "rust": "sand beige",
}  # fmt: skip
FOLLOW_UP_OUTCOMES = frozenset({Outcome.FOLLOW_UP_SCHEDULED, Outcome.QUOTE_REQUESTED, Outcome.INFORMATION_GATHERED})


# --------------------------------------------------------------------------------------------------
# Rooms and surfaces


@dataclass(frozen=True)
class SurfaceSpec:
    surface_type: str
    chance: float  # of being part of the room (the first surface picked is always kept)
    # How the area is measured: "floor" (room length x width), "pad" (its own length x width),
    # "wall" (run x height).
    kind: str
    run: tuple[float, float] = (0, 0)  # feet: length of a pad, run of a wall
    span: tuple[float, float] = (0, 0)  # feet: width of a pad, height of a wall


@dataclass(frozen=True)
class RoomSpec:
    labels: tuple[str, ...]
    length: tuple[float, float]
    width: tuple[float, float]
    surfaces: tuple[SurfaceSpec, ...]
    styles: tuple[str, ...] = ("modern", "transitional", "traditional", "farmhouse", "contemporary")


def _floor(chance=1.0):
    return SurfaceSpec(SurfaceType.FLOOR, chance, "floor")


def _wall(surface_type, chance, run, height):
    return SurfaceSpec(surface_type, chance, "wall", run, height)


ROOMS = {
    RoomType.MASTER_BATHROOM: RoomSpec(("Primary bath",), (9, 14), (7, 12), (
        _floor(0.9), _wall(SurfaceType.SHOWER_WALLS, 0.85, (11, 15), (7.5, 8.5)),
        SurfaceSpec(SurfaceType.SHOWER_FLOOR, 0.75, "pad", (4, 6), (3, 4)))),
    RoomType.GUEST_BATHROOM: RoomSpec(("Guest bath",), (6, 9), (5, 8), (
        _floor(0.9), _wall(SurfaceType.TUB_SURROUND, 0.8, (10, 10), (5, 6)))),
    RoomType.BATHROOM: RoomSpec(("Hall bath", "Kids' bath", "Basement bath"), (6, 10), (5, 8), (
        _floor(0.9), _wall(SurfaceType.SHOWER_WALLS, 0.5, (10, 13), (7.5, 8)),
        _wall(SurfaceType.TUB_SURROUND, 0.4, (10, 10), (5, 6)))),
    RoomType.POWDER_ROOM: RoomSpec(("Powder room",), (4, 6), (3, 5), (
        _floor(0.9), _wall(SurfaceType.WAINSCOTING, 0.35, (14, 18), (3, 4)),
        _wall(SurfaceType.ACCENT_WALL, 0.3, (4, 6), (8, 8)))),
    RoomType.KITCHEN: RoomSpec(("Kitchen",), (12, 20), (10, 16), (
        _floor(0.6), _wall(SurfaceType.BACKSPLASH, 0.75, (12, 30), (1.5, 2)))),
    RoomType.LAUNDRY_ROOM: RoomSpec(("Laundry room",), (6, 10), (5, 8), (
        _floor(1.0), _wall(SurfaceType.BACKSPLASH, 0.35, (6, 10), (1.5, 2)))),
    RoomType.MUDROOM: RoomSpec(("Mudroom",), (6, 10), (5, 8), (_floor(),)),
    RoomType.ENTRYWAY: RoomSpec(("Entry", "Foyer"), (6, 12), (5, 10), (_floor(),)),
    RoomType.LIVING_ROOM: RoomSpec(("Living room", "Family room"), (14, 22), (12, 18), (
        _floor(0.9), _wall(SurfaceType.FIREPLACE, 0.3, (5, 7), (4, 8)))),
    RoomType.DINING_ROOM: RoomSpec(("Dining room",), (10, 14), (10, 13), (_floor(),)),
    RoomType.BEDROOM: RoomSpec(("Bedroom",), (11, 15), (10, 13), (_floor(),)),
    RoomType.BASEMENT: RoomSpec(("Basement",), (18, 30), (14, 24), (_floor(),), ("modern", "industrial")),
    RoomType.OUTDOOR: RoomSpec(("Back patio", "Front porch"), (10, 20), (8, 14), (_floor(),),
                               ("Mediterranean", "modern", "rustic")),
    RoomType.COMMERCIAL: RoomSpec(("Office lobby", "Café"), (20, 36), (16, 28), (
        _floor(), _wall(SurfaceType.ACCENT_WALL, 0.4, (10, 16), (9, 10))), ("modern", "industrial")),
}  # fmt: skip
ROOM_WEIGHTS = {
    RoomType.MASTER_BATHROOM: 22, RoomType.KITCHEN: 20, RoomType.GUEST_BATHROOM: 10, RoomType.BATHROOM: 10,
    RoomType.POWDER_ROOM: 5, RoomType.LAUNDRY_ROOM: 5, RoomType.MUDROOM: 4, RoomType.ENTRYWAY: 5,
    RoomType.LIVING_ROOM: 6, RoomType.DINING_ROOM: 3, RoomType.BEDROOM: 2, RoomType.BASEMENT: 4,
    RoomType.OUTDOOR: 5,
}  # fmt: skip
OBSTACLES = {
    SurfaceType.FLOOR: (("Toilet flange and vanity", 2), ("Toilet flange, vanity and floor vent", 3),
                        ("Kitchen island and floor vent", 2), ("Floor vent", 1), ("Doorway transition", 1)),
    SurfaceType.SHOWER_WALLS: (("Valve, shower head and niche", 3), ("Valve and shower head", 2),
                               ("Window in the shower wall", 1)),
    SurfaceType.SHOWER_FLOOR: (("Center drain", 1), ("Linear drain and curb", 2)),
    SurfaceType.TUB_SURROUND: (("Valve, spout and shower head", 3),),
    SurfaceType.BACKSPLASH: (("Outlets and window", 3), ("Four outlets", 4), ("Range hood and outlets", 3)),
}  # fmt: skip
PREP_WORK = {
    SurfaceType.FLOOR: ("Remove old tile and mortar bed", "Level subfloor (1/4 in dip by the tub)",
                        "Remove carpet and tack strip", "Grind old thinset ridges on the slab"),
    SurfaceType.SHOWER_WALLS: ("Demo to the studs; new backer board", "Waterproof the walls before tile"),
    SurfaceType.SHOWER_FLOOR: ("New mortar bed sloped to the drain",),
    SurfaceType.TUB_SURROUND: ("Remove the acrylic surround; new backer board",),
    SurfaceType.BACKSPLASH: ("Patch the drywall behind the old backsplash",),
}  # fmt: skip


# --------------------------------------------------------------------------------------------------
# The generated rows


@dataclass
class Activity:
    customers: list[Customer] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    rooms: list[ProjectRoom] = field(default_factory=list)
    surfaces: list[Surface] = field(default_factory=list)
    selections: list[SelectedProduct] = field(default_factory=list)
    conversations: list[ConversationLog] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in vars(self).items()}


@dataclass
class _ProjectPlan:
    customer: Customer
    associate: User
    days: list[date]  # one per conversation, oldest first
    open_last: bool = False
    conversations: list[ConversationLog] = field(default_factory=list)


def generate(
    *,
    associates: Sequence[User],
    products: dict[str, ProductCatalog],
    demo_products: Sequence[DemoProduct],
    today: date,
    now: datetime,
    seed: int = 2026,
) -> Activity:
    """Build (without saving) twelve weeks of activity ending ``today`` for ``associates``."""
    return _Generator(
        associates=associates, products=products, demo_products=demo_products, today=today, now=now, seed=seed
    ).run()


@contextmanager
def _explicit_timestamps(*models):
    """Let ``bulk_create`` write the timestamps we set: ``auto_now``/``auto_now_add`` fields would
    otherwise overwrite them with the current time (their ``pre_save`` runs on every insert)."""
    changed = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def save(activity: Activity) -> None:
    """Insert everything, parents first. Call inside a transaction."""
    ordered = (
        (Customer, activity.customers),
        (Project, activity.projects),
        (ProjectRoom, activity.rooms),
        (Surface, activity.surfaces),
        (SelectedProduct, activity.selections),
        (ConversationLog, activity.conversations),
        (Quote, activity.quotes),
    )
    with _explicit_timestamps(*(model for model, _ in ordered)):
        for model, rows in ordered:
            model.objects.bulk_create(rows, batch_size=500)
    # What the wizard would have stored as each conversation went: the completeness of its phases.
    from conversations.reviews import backfill_completeness

    backfill_completeness(queryset=ConversationLog.objects.filter(completeness_greeting__isnull=True))


def flush() -> dict[str, int]:
    """Delete all activity rows (children first, because of the PROTECT foreign keys)."""
    deleted = {}
    for model in (ConversationLog, Quote, SelectedProduct, Surface, ProjectRoom, Project, Customer):
        count, _ = model.objects.all().delete()
        deleted[model._meta.verbose_name_plural] = count
    return deleted


# --------------------------------------------------------------------------------------------------
# Helpers


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _qty(value) -> Decimal:
    return D(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _round_to(value: Decimal, step: int) -> Decimal:
    """Round to a whole multiple of ``step`` dollars (at least one step)."""
    steps = max(1, int((value / step).to_integral_value(rounding=ROUND_HALF_UP)))
    return D(steps * step).quantize(CENT)


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


class _Generator:
    def __init__(self, *, associates, products, demo_products, today, now, seed):
        self.rng = random.Random(seed)
        self.today = today
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.associates = list(associates)
        self.products = products
        self.tax_rate = D(str(settings.STORE_TAX_RATE))
        self.quote_days = settings.QUOTE_VALIDITY_DAYS
        self.out = Activity()
        self.rooms_of: dict[uuid.UUID, list] = {}
        self.info = {p.sku: p for p in demo_products}
        sellable = [p for p in demo_products if p.sku in products and not products[p.sku].discontinued]
        self.tiles_for = {
            use: [products[p.sku] for p in sellable if use in p.uses] for use in (FLOOR, WALL, SHOWER_FLOOR, OUTDOOR)
        }
        self.grout = {}  # (kind, pounds, color) -> product
        self.thinset = {}  # (sq ft per bag, color) -> product
        for p in sellable:
            product = products[p.sku]
            if product.product_type == ProductType.GROUT:
                kind = product.material.split()[0]  # sanded / unsanded / urethane
                self.grout[kind, int(product.pack_weight_lb), product.color] = product
            elif product.product_type == ProductType.ADHESIVE:
                self.thinset[int(product.pack_coverage_sf), product.color] = product
        self.used_pro_numbers = set()

    # ---- small random helpers

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def feet(self, bounds: tuple[float, float]) -> Decimal:
        """A measurement in half feet between the bounds."""
        low, high = (int(b * 2) for b in bounds)
        return (D(self.rng.randint(low, high)) / 2).quantize(CENT)

    def moment(self, day: date, minute_of_day: int) -> datetime:
        """A time on ``day`` in the store's time zone, never later than an hour ago."""
        moment = datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), tzinfo=self.tz)
        return min(moment, self.now - timedelta(hours=1))

    def phone(self) -> str:
        """A fictional 555-01xx number, stored as the app stores every phone: E.164."""
        return f"+1{self.rng.choice(people.AREA_CODES)}55501{self.rng.randint(0, 99):02d}"

    # ---- the run

    def run(self) -> Activity:
        plans = [plan for index in range(CUSTOMERS) for plan in self.plan_customer(index)]
        self.mark_open(plans)
        for plan in plans:
            self.build_project(plan)
        self.spread_follow_ups(plans)
        for plan in plans:  # after the follow-up dates are final: summaries quote them
            self.write_texts(plan.conversations, plan.customer, self.rooms_of[plan.conversations[0].log_id])
        self.number_quotes()
        return self.out

    def plan_customer(self, index: int) -> list[_ProjectPlan]:
        rng = self.rng
        customer_type = self.pick({CustomerType.DIY_HOMEOWNER: 60, CustomerType.CONTRACTOR: 20,
                                   CustomerType.DESIGNER: 12, CustomerType.BUILDER: 8})  # fmt: skip
        pro = customer_type != CustomerType.DIY_HOMEOWNER
        first, last = rng.choice(people.FIRST_NAMES), rng.choice(people.LAST_NAMES)
        has_email = rng.random() < (0.95 if pro else 0.82)
        email = f"{first}.{last}{index + 1}@example.com".lower().replace("'", "") if has_email else None
        city, state, zips = rng.choices(people.PLACES, weights=people.PLACE_WEIGHTS)[0]
        has_address = rng.random() < 0.75
        contact = self.pick({ContactMethod.PHONE: 45, ContactMethod.TEXT: 30, ContactMethod.EMAIL: 25})
        if contact == ContactMethod.EMAIL and not email:
            contact = ContactMethod.PHONE
        pro_number = None
        if pro and rng.random() < 0.85:
            while pro_number is None or pro_number in self.used_pro_numbers:
                pro_number = f"PRO-{rng.randint(10000, 99999)}"
            self.used_pro_numbers.add(pro_number)
        notes = None
        if rng.random() < 0.18:
            notes = rng.choice(people.PRO_NOTES if pro else people.CUSTOMER_NOTES)
        customer = Customer(
            customer_id=self.uuid(),
            first_name=first,
            last_name=last,
            email=email,
            phone_primary=self.phone(),
            phone_secondary=self.phone() if rng.random() < 0.12 else None,
            address_line1=f"{rng.randint(100, 9899)} {rng.choice(people.STREETS)}" if has_address else None,
            address_line2=rng.choice(("Apt 3B", "Unit 210")) if has_address and rng.random() < 0.06 else None,
            city=city,
            state=state,
            zip_code=rng.choice(zips) if has_address or rng.random() < 0.5 else None,
            country="USA",
            customer_type=customer_type,
            pro_account_number=pro_number,
            preferred_contact_method=contact,
            marketing_opt_in=rng.random() < 0.35,
            notes=notes,
            created_at=None,  # set from the customer's first conversation
            updated_at=None,
        )  # fmt: skip
        self.out.customers.append(customer)

        associate = self.associate_for_new_customer()
        plans = [_ProjectPlan(customer, associate, self.plan_days())]
        second_chance = 0.4 if pro else 0.18
        first_age = (self.today - plans[0].days[0]).days
        if rng.random() < second_chance and first_age > 14:
            days = self.plan_days(latest_start_ago=first_age - 7)
            # The same customer usually comes back to the same associate.
            again = associate if rng.random() < 0.8 else self.associate_for_new_customer()
            plans.append(_ProjectPlan(customer, again, days))
        return plans

    def associate_for_new_customer(self) -> User:
        weights = {a: TRAFFIC.get(a.username, 20) for a in self.associates}
        return self.pick(weights)

    def plan_days(self, *, latest_start_ago: int = DAYS - 1) -> list[date]:
        """Days of a project's conversations: 1-3, two to twelve days apart, within the 12 weeks."""
        rng = self.rng
        count = self.pick({1: 35, 2: 40, 3: 25})
        gaps = [rng.randint(2, 12) for _ in range(count - 1)]
        span = sum(gaps)
        while span > latest_start_ago and gaps:
            span -= gaps.pop()
        start_ago = rng.randint(span, latest_start_ago)
        days = [self.today - timedelta(days=start_ago)]
        for gap in gaps:
            days.append(days[-1] + timedelta(days=gap))
        return days

    def mark_open(self, plans: list[_ProjectPlan]) -> None:
        """Leave a few conversations unfinished: the latest one of some single-project customers,
        moved to the last three days (a tablet put down mid-conversation)."""
        projects_per_customer = defaultdict(int)
        for plan in plans:
            projects_per_customer[plan.customer.customer_id] += 1
        single = [p for p in plans if projects_per_customer[p.customer.customer_id] == 1]
        mine = [p for p in single if p.associate.username == "associate"]
        others = [p for p in single if p.associate.username != "associate"]
        chosen = self.rng.sample(mine, min(OPEN_FOR_ASSOCIATE, len(mine)))
        chosen += self.rng.sample(others, min(OPEN_FOR_OTHERS, len(others)))
        for plan in chosen:
            plan.open_last = True
            gaps = [(b - a).days for a, b in itertools.pairwise(plan.days)]
            last = self.today - timedelta(days=self.rng.choice((0, 0, 1, 2)))
            plan.days = [last - timedelta(days=sum(gaps[i:])) for i in range(len(gaps))] + [last]

    # ---- one project

    def build_project(self, plan: _ProjectPlan) -> None:
        rng = self.rng
        customer = plan.customer
        pro = customer.customer_type != CustomerType.DIY_HOMEOWNER
        convs = self.plan_conversations(plan, pro=pro)
        status, order_day = self.project_status(convs)
        first_start = convs[0].conversation_date
        if customer.created_at is None or first_start < customer.created_at:
            customer.created_at = first_start - timedelta(minutes=rng.randint(1, 5))
        last_event = max(c.closed_at or c.conversation_date for c in convs)
        customer.updated_at = max(customer.updated_at or last_event, last_event)

        project = Project(
            project_id=self.uuid(),
            customer=customer,
            project_status=status,
            sales_associate=plan.associate,
            urgency_level=self.pick({UrgencyLevel.LOW: 20, UrgencyLevel.MEDIUM: 50, UrgencyLevel.HIGH: 22,
                                     UrgencyLevel.RUSH: 8}),
            lead_source=self.pick({"pro desk": 50, "walk-in": 20, "referral": 20, "website": 10} if pro else
                                  {"walk-in": 38, "website": 30, "referral": 20, "home show": 12}),
            notes=rng.choice(people.PROJECT_NOTES) if rng.random() < 0.15 else None,
            created_at=first_start,
            updated_at=last_event,
        )  # fmt: skip
        self.set_installer(project, customer)
        self.set_dates(project, status, convs[0].conversation_date.date(), order_day)
        for conv in convs:
            conv.project = project
        self.out.projects.append(project)

        selection_status = self.selection_status(plan, status, convs)
        rooms = self.build_rooms(project, customer, convs[0], selection_status)
        project.project_name = self.project_name(customer, rooms)
        self.set_budget(project, rooms)
        self.rooms_of[convs[0].log_id] = rooms
        self.out.conversations.extend(convs)
        plan.conversations = convs
        self.build_quote(project, convs, rooms)

    def plan_conversations(self, plan: _ProjectPlan, *, pro: bool) -> list[ConversationLog]:
        rng = self.rng
        convs: list[ConversationLog] = []
        quoted = False
        for k, day in enumerate(plan.days):
            last = k == len(plan.days) - 1
            associate = plan.associate
            if k and rng.random() < 0.12:  # a colleague picks up the follow-up
                associate = rng.choice(self.associates)
            previous = convs[-1].outcome if convs else None
            interaction = (
                InteractionType.INITIAL_INQUIRY
                if k == 0
                else InteractionType.QUOTE_REVIEW
                if previous == Outcome.QUOTE_REQUESTED
                else InteractionType.FOLLOWUP
            )
            start = self.moment(day, rng.randint(9 * 60, 18 * 60 + 30))
            conv = ConversationLog(
                log_id=self.uuid(),
                conversation_date=start,
                interaction_type=interaction,
                sales_associate=associate,
            )
            convs.append(conv)
            if last and plan.open_last:
                conv.aos_phase = (
                    rng.choice((AosPhase.NEEDS_ASSESSMENT, AosPhase.DESIGN_DETAILS))
                    if k == 0
                    else rng.choice((AosPhase.GREETING, AosPhase.NEEDS_ASSESSMENT))
                )
                continue
            scores = self.scores(associate)
            if last:
                outcome = self.final_outcome(scores, day, pro=pro, first=k == 0, quoted=quoted)
            elif quoted:
                outcome = self.pick({Outcome.FOLLOW_UP_SCHEDULED: 70, Outcome.INFORMATION_GATHERED: 30})
            else:
                outcome = self.pick({Outcome.FOLLOW_UP_SCHEDULED: 45, Outcome.INFORMATION_GATHERED: 25,
                                     Outcome.QUOTE_REQUESTED: 30})  # fmt: skip
            quoted = quoted or outcome == Outcome.QUOTE_REQUESTED
            # The rubric's close 4 is "the customer committed"; a lost sale never earns it.
            if outcome == Outcome.ORDER_PLACED:
                scores["close"] = max(scores["close"], 4 if rng.random() < 0.6 else 3)
                if k:
                    conv.interaction_type = InteractionType.ORDER_PLACEMENT
            elif outcome == Outcome.LOST:
                scores["close"] = min(scores["close"], 3)
            conv.aos_phase = AosPhase.CLOSE
            conv.outcome = outcome
            conv.aos_score_greeting = scores["greeting"]
            conv.aos_score_needs = scores["needs"]
            conv.aos_score_design = scores["design"]
            conv.aos_score_close = scores["close"]
            conv.aos_score_objection = scores["objection"]
            conv.aos_score_overall = scores["overall"]
            conv.closed_at = start + timedelta(minutes=rng.randint(20, 50))
        # Follow-up dates: an earlier conversation's next contact is the day the next one happened.
        for conv, following in itertools.pairwise(convs):
            if conv.outcome in FOLLOW_UP_OUTCOMES:
                conv.next_contact_date = following.conversation_date.date()
        final = convs[-1]
        if final.outcome == Outcome.INFORMATION_GATHERED and (self.today - final.conversation_date.date()).days > 30:
            pass  # no follow-up was booked, and the lead went cold
        elif final.outcome in FOLLOW_UP_OUTCOMES:
            final.next_contact_date = final.conversation_date.date() + timedelta(days=rng.randint(3, 21))
        return convs

    def scores(self, associate: User) -> dict[str, int | None]:
        profile = SKILL_PROFILES.get(associate.username, DEFAULT_PROFILE)

        def draw(mean: float) -> int:
            return max(1, min(4, math.floor(self.rng.gauss(mean, 0.6) + 0.5)))

        scores = {phase: draw(profile[phase]) for phase in ("greeting", "needs", "design", "close")}
        mean = sum(scores.values()) / 4
        scores["overall"] = max(1, min(4, math.floor(mean + self.rng.gauss(0, 0.35) + 0.5)))
        scores["objection"] = draw(profile["objection"]) if self.rng.random() < 0.4 else None
        return scores

    def final_outcome(self, scores: dict, day: date, *, pro: bool, first: bool, quoted: bool) -> str:
        """The outcome of a project's latest conversation. The overall score sets the base chance of
        an order and the close score scales it; leads from weeks ago have mostly been won or lost
        by now, so few of them are still waiting for a call."""
        age = (self.today - day).days
        chance = CLOSE_RATE[scores["overall"]] * (0.6 + 0.2 * scores["close"])
        chance *= (1.2 if pro else 1.0) * (0.6 if first else 1.0) * (1.3 if quoted else 1.0) * (1.25 if age > 10 else 1)
        if self.rng.random() < chance:
            return Outcome.ORDER_PLACED
        pending = 1.0 if age <= 10 else 0.4 if age <= 30 else 0.15
        weights = {
            Outcome.QUOTE_REQUESTED: 0 if quoted else 30 * pending,
            Outcome.FOLLOW_UP_SCHEDULED: 35 * pending,
            Outcome.INFORMATION_GATHERED: 20 * pending + (10 if age > 30 else 0),
            Outcome.LOST: 15 * (1.4 if scores["overall"] <= 2 else 1),
        }
        return self.pick(weights)

    def project_status(self, convs: list[ConversationLog]) -> tuple[str, date | None]:
        closed = [c for c in convs if c.outcome]
        if not closed:
            return ProjectStatus.INQUIRY, None
        latest = closed[-1]
        if latest.outcome == Outcome.ORDER_PLACED:
            order_day = latest.conversation_date.date()
            age = (self.today - order_day).days
            if age <= 14:
                return ProjectStatus.ORDERED, order_day
            return (ProjectStatus.IN_PROGRESS if age <= 35 else ProjectStatus.COMPLETED), order_day
        if latest.outcome == Outcome.LOST:
            return ProjectStatus.CANCELLED, None
        if any(c.outcome == Outcome.QUOTE_REQUESTED for c in closed):
            return ProjectStatus.QUOTED, None
        return ProjectStatus.INQUIRY, None

    def set_installer(self, project: Project, customer: Customer) -> None:
        rng = self.rng
        if customer.customer_type in (CustomerType.CONTRACTOR, CustomerType.BUILDER):
            project.installation_method = InstallationMethod.CONTRACTOR
        elif customer.customer_type == CustomerType.DESIGNER:
            project.installation_method = InstallationMethod.DESIGNER_MANAGED
            project.designer_name = f"{customer.first_name} {customer.last_name}"
            project.designer_company = rng.choice(people.DESIGN_FIRMS)
        else:
            project.installation_method = self.pick({InstallationMethod.DIY: 50, InstallationMethod.CONTRACTOR: 42,
                                                     InstallationMethod.UNKNOWN: 8})  # fmt: skip
            if project.installation_method == InstallationMethod.CONTRACTOR and rng.random() < 0.8:
                company = rng.choice(people.CONTRACTORS)
                project.contractor_name = company
                project.contractor_phone = self.phone()
                slug = "".join(ch for ch in company.lower() if ch.isalnum())
                project.contractor_email = f"office@{slug}.example.com" if rng.random() < 0.6 else None

    def set_dates(self, project: Project, status: str, first_day: date, order_day: date | None) -> None:
        rng = self.rng
        if status in (ProjectStatus.ORDERED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED):
            age = (self.today - order_day).days
            if status == ProjectStatus.ORDERED:
                start = order_day + timedelta(days=rng.randint(7, 30))
                end = start + timedelta(days=rng.randint(2, 14))
            elif status == ProjectStatus.IN_PROGRESS:
                start = order_day + timedelta(days=rng.randint(5, min(14, age)))
                end = self.today + timedelta(days=rng.randint(1, 14))
            else:
                start = order_day + timedelta(days=rng.randint(7, 20))
                end = start + timedelta(days=rng.randint(2, 10))
        elif rng.random() < 0.15:
            return  # start date not known yet
        elif status == ProjectStatus.CANCELLED:
            start = first_day + timedelta(days=rng.randint(14, 60))
            end = start + timedelta(days=rng.randint(2, 21))
        else:
            start = max(
                first_day + timedelta(days=rng.randint(14, 60)), self.today + timedelta(days=rng.randint(5, 45))
            )
            end = start + timedelta(days=rng.randint(2, 21))
        project.project_start_date = start
        project.project_completion_date = end if rng.random() < 0.8 else None

    def selection_status(self, plan: _ProjectPlan, status: str, convs: list[ConversationLog]) -> str:
        if status == ProjectStatus.ORDERED:
            return SelectionStatus.ORDERED
        if status in (ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED):
            return SelectionStatus.DELIVERED
        if plan.open_last and len(convs) == 1:
            return SelectionStatus.CONSIDERED
        if status == ProjectStatus.QUOTED:
            return SelectionStatus.SELECTED
        if any(c.outcome in (Outcome.QUOTE_REQUESTED, Outcome.ORDER_PLACED) for c in convs):
            return SelectionStatus.SELECTED  # cancelled after a quote
        return SelectionStatus.SELECTED if self.rng.random() < 0.7 else SelectionStatus.CONSIDERED

    # ---- rooms, surfaces, selections

    def build_rooms(self, project, customer, first_conv, selection_status) -> list[tuple[ProjectRoom, list]]:
        rng = self.rng
        weights = dict(ROOM_WEIGHTS)
        if customer.customer_type in (CustomerType.CONTRACTOR, CustomerType.BUILDER):
            weights[RoomType.COMMERCIAL] = 4
        room_count = self.pick({1: 55, 2: 33, 3: 12})
        room_types = []
        while len(room_types) < room_count:
            room_type = self.pick(weights)
            weights.pop(room_type)
            room_types.append(room_type)
        start = first_conv.conversation_date
        minute = 2
        rooms = []
        for room_type in room_types:
            spec = ROOMS[room_type]
            length, width = self.feet(spec.length), self.feet(spec.width)
            if width > length:
                length, width = width, length
            room = ProjectRoom(
                room_id=self.uuid(),
                project=project,
                room_name=rng.choice(spec.labels),
                room_type=room_type,
                room_style=rng.choice(spec.styles),
                room_length_ft=length,
                room_width_ft=width,
                room_height_ft=None if room_type == RoomType.OUTDOOR else self.feet((8, 10)),
                created_at=start + timedelta(minutes=minute),
                updated_at=start + timedelta(minutes=minute),
            )
            self.out.rooms.append(room)
            surfaces = []
            for surface_spec in self.pick_surfaces(spec):
                minute += 1
                surface = self.build_surface(room, surface_spec, start + timedelta(minutes=minute))
                selections = self.build_selections(
                    surface, room, customer, selection_status, start + timedelta(minutes=minute + 8)
                )
                surfaces.append((surface, selections))
            rooms.append((room, surfaces))
            minute += 1
        return rooms

    def pick_surfaces(self, spec: RoomSpec) -> list[SurfaceSpec]:
        chosen = [s for s in spec.surfaces if self.rng.random() < s.chance]
        if not chosen:
            chosen = [spec.surfaces[0]]
        return chosen[:3]

    def build_surface(self, room: ProjectRoom, spec: SurfaceSpec, moment: datetime) -> Surface:
        rng = self.rng
        surface = Surface(
            surface_id=self.uuid(), room=room, surface_type=spec.surface_type, created_at=moment, updated_at=moment
        )
        if spec.kind == "floor":
            surface.length_ft, surface.width_ft = room.room_length_ft, room.room_width_ft
            surface.surface_area_sf = surface.length_ft * surface.width_ft
        elif spec.kind == "pad":
            surface.length_ft, surface.width_ft = self.feet(spec.run), self.feet(spec.span)
            surface.surface_area_sf = surface.length_ft * surface.width_ft
        else:
            surface.width_ft, surface.height_ft = self.feet(spec.run), self.feet(spec.span)
            surface.surface_area_sf = surface.width_ft * surface.height_ft
        surface.surface_area_sf = _qty(surface.surface_area_sf)
        options = OBSTACLES.get(spec.surface_type, (("Floor vent", 1),))
        if rng.random() < 0.65:
            surface.obstacles_description, surface.obstacles_count = rng.choice(options)
        else:
            surface.obstacles_count = 0
        if rng.random() < 0.4:
            surface.prep_work_needed = rng.choice(PREP_WORK.get(spec.surface_type, ("Remove old flooring",)))
        surface.complexity_level = self.pick(
            {ComplexityLevel.SIMPLE: 60, ComplexityLevel.MODERATE: 32, ComplexityLevel.COMPLEX: 8}
            if surface.obstacles_count <= 1
            else {ComplexityLevel.SIMPLE: 25, ComplexityLevel.MODERATE: 50, ComplexityLevel.COMPLEX: 25}
        )
        self.out.surfaces.append(surface)
        return surface

    def use_for(self, surface: Surface, room: ProjectRoom) -> str:
        if room.room_type == RoomType.OUTDOOR:
            return OUTDOOR
        if surface.surface_type == SurfaceType.FLOOR:
            return FLOOR
        if surface.surface_type == SurfaceType.SHOWER_FLOOR:
            return SHOWER_FLOOR
        return WALL

    def pattern_for(self, tile: ProductCatalog) -> str:
        if self.info[tile.sku].chip:
            return PatternType.STRAIGHT_LAY
        length, width = tile.size_length, tile.size_width
        if estimating.is_plank(length, width):
            return self.pick({PatternType.BRICK_PATTERN: 60, PatternType.HERRINGBONE: 20, PatternType.STRAIGHT_LAY: 20})
        if length != width:
            return self.pick({PatternType.BRICK_PATTERN: 55, PatternType.STRAIGHT_LAY: 45})
        if tile.edge_type == EdgeType.STONE:
            weights = {PatternType.STRAIGHT_LAY: 50, PatternType.DIAGONAL: 25, PatternType.PINWHEEL: 10}
            if tile.material == "travertine":
                weights[PatternType.VERSAILLES] = 20
            return self.pick(weights)
        return self.pick({PatternType.STRAIGHT_LAY: 70, PatternType.DIAGONAL: 30})

    def build_selections(self, surface, room, customer, status, moment) -> list[SelectedProduct]:
        rng = self.rng
        tiles = self.tiles_for[self.use_for(surface, room)]
        tile = rng.choice(tiles)
        surface.pattern_type = self.pattern_for(tile)
        surface.waste_factor = estimating.default_waste_factor(
            surface.pattern_type, surface.complexity_level, tile.size_length, tile.size_width
        )
        area = surface.surface_area_sf
        estimate = estimating.tile_boxes(area, surface.waste_factor, tile.coverage_per_box)
        warnings = estimating.warnings_for(
            surface_type=surface.surface_type,
            tile_length_in=tile.size_length,
            tile_width_in=tile.size_width,
            discontinued=tile.discontinued,
            special_order=tile.special_order,
            in_stock=tile.in_stock,
        )
        lines = [(tile, estimate.sf_to_buy, estimate.boxes, " ".join(w.message for w in warnings) or None, status)]
        if rng.random() < 0.1:
            alternative = rng.choice(tiles)
            if alternative.pk != tile.pk:
                alt = estimating.tile_boxes(area, surface.waste_factor, alternative.coverage_per_box)
                lines.append((alternative, alt.sf_to_buy, alt.boxes, "Alternative the customer liked.",
                              SelectionStatus.CONSIDERED))  # fmt: skip
        if rng.random() < 0.75:
            lines += [(*line, None, status) for line in self.setting_kit(surface, room, tile)]
        selections = []
        for offset, (product, needed, ordered, note, line_status) in enumerate(lines):
            price = product.price_for(pro=customer.is_pro)
            quantity = _qty(ordered)
            selection = SelectedProduct(
                selection_id=self.uuid(),
                surface=surface,
                product=product,
                product_name=product.product_name,
                product_type=product.product_type,
                quantity_needed=_qty(needed),
                quantity_ordered=quantity,
                unit_of_measure=product.unit_of_measure,
                box_coverage_sf=product.coverage_per_box if product.product_type == ProductType.TILE else None,
                price_per_unit=price,
                total_price=estimating.line_total(quantity, price),
                selection_status=line_status,
                selection_date=moment + timedelta(seconds=20 * offset),
                notes=note,
            )
            selections.append(selection)
        self.out.selections.extend(selections)
        return selections

    def setting_kit(self, surface: Surface, room: ProjectRoom, tile: ProductCatalog) -> list[tuple]:
        """Grout and thinset for the tile, plus what the surface usually needs: (product, needed, ordered)."""
        rng, products = self.rng, self.products
        area = surface.surface_area_sf
        chip = self.info[tile.sku].chip
        length, width = chip or (tile.size_length, tile.size_width)
        wet = estimating.is_wet_surface(surface.surface_type) or room.room_type == RoomType.OUTDOOR
        stone = tile.edge_type == EdgeType.STONE
        light = tile.color in {"white", "warm white", "bone", "ivory", "light beige", "beige", "sand"}
        kit = []

        joint = estimating.DEFAULTS.min_joint_by_edge_in[tile.edge_type]
        grout = estimating.grout_pounds(length, width, tile.size_thickness, joint, area)
        kind = "urethane" if wet and rng.random() < 0.25 else ("sanded" if grout.sanded else "unsanded")
        color = self.grout_color(tile.color)
        bag = self.grout_bag(kind, color, grout.pounds_with_loss)
        pounds = bag.pack_weight_lb
        kit.append((bag, grout.pounds_with_loss / pounds, estimating.grout_bags(grout.pounds_with_loss, pounds)))

        thinset = estimating.thinset_bags(area, length, width, wet_area=wet, natural_stone=stone)
        mortar_color = "white" if light or tile.material in ("glass", "marble") else "gray"
        sf_per_bag = int(thinset.sf_per_bag)
        mortar = self.thinset.get((sf_per_bag, mortar_color)) or self.thinset[sf_per_bag, "gray"]
        needed = area * thinset.coverage_pct / estimating.DEFAULTS.mortar_coverage_dry_pct / thinset.sf_per_bag
        kit.append((mortar, needed, thinset.bags))

        surface_type = surface.surface_type
        if surface_type == SurfaceType.FLOOR and room.room_type != RoomType.OUTDOOR and rng.random() < 0.25:
            small, large = products["ESS-UCM-054"], products["ESS-UCM-323"]
            options = [(estimating.membrane_rolls(area, roll.pack_coverage_sf), roll) for roll in (small, large)]
            rolls, roll = min(options, key=lambda o: o[0] * o[1].price_retail)
            kit.append((roll, area / roll.pack_coverage_sf, rolls))
        shower = surface_type in (SurfaceType.SHOWER_WALLS, SurfaceType.SHOWER_FLOOR, SurfaceType.TUB_SURROUND)
        if shower and rng.random() < 0.55:
            membrane = products["ESS-LWM-1G"]
            gallons = estimating.membrane_rolls(area, membrane.pack_coverage_sf)
            kit.append((membrane, area / membrane.pack_coverage_sf, gallons))
        if surface.height_ft and rng.random() < 0.45:
            trim = self.trim_for(tile)
            linear = surface.height_ft * 2
            if surface_type == SurfaceType.WAINSCOTING:
                linear += surface.width_ft
            pieces = estimating.trim_pieces(linear, trim.piece_length_ft)
            needed = linear * (1 + estimating.DEFAULTS.trim_overage) / trim.piece_length_ft
            kit.append((trim, needed, pieces))
        if (wet or surface_type == SurfaceType.BACKSPLASH) and rng.random() < 0.35:
            caulk = products.get(f"ESS-SAC-{self.grout_code(color)}") or products["ESS-SIL-CLR"]
            tubes = 2 if area > 60 else 1
            kit.append((caulk, tubes, tubes))
        large = estimating.is_large_format(length, width)
        if large and surface_type == SurfaceType.FLOOR and rng.random() < 0.35:
            kit.append((products["STW-LVL-KIT"], 1, 1))
        elif not chip and rng.random() < 0.2:
            spacer = products[{D("0.0625"): "STW-SPC-116", D("0.125"): "STW-SPC-018"}.get(joint, "STW-SPC-316")]
            count = estimating.spacers(area, length, width, joint)
            if count:
                kit.append((spacer, D(count) / spacer.pieces_per_box,
                            estimating.membrane_rolls(count, spacer.pieces_per_box)))  # fmt: skip
        if stone and rng.random() < 0.6:
            sealer = products["ESS-CES-1G" if rng.random() < 0.3 else "ESS-PSS-1G"]
            gallons = estimating.membrane_rolls(area, sealer.pack_coverage_sf)
            kit.append((sealer, area / sealer.pack_coverage_sf, gallons))
        return kit

    def grout_color(self, tile_color: str) -> str:
        return GROUT_FOR_TILE.get(tile_color, "warm gray")

    @staticmethod
    def grout_code(color: str) -> str:
        return {name: code for code, name in GROUT_COLORS.items()}.get(color, "WGR")

    def grout_bag(self, kind: str, color: str, pounds: Decimal) -> ProductCatalog:
        """The bag of grout to sell: the big bag for big jobs, the small one otherwise, in the tile's
        grout color when that kind comes in it (warm gray always does)."""
        sizes = (25, 10) if pounds > 10 else (10, 25)
        for wanted in (color, "warm gray"):
            for size in sizes:
                bag = self.grout.get((kind, size, wanted))
                if bag is not None:
                    return bag
        raise LookupError(f"No {kind} grout in the demo catalog.")

    def trim_for(self, tile: ProductCatalog) -> ProductCatalog:
        if tile.sku.startswith("ETC-MEG-"):
            bullnose = self.products.get(f"ETC-MEG-BN312-{tile.sku.rsplit('-', 1)[1]}")
            if bullnose is not None:
                return bullnose
        return self.products[self.rng.choice(("DPI-ALA-SLV", "DPI-ALA-BNK", "DPI-ALR-BLK", "DPI-SSQ-STL"))]

    # ---- project name, budget, texts, quote

    def project_name(self, customer: Customer, rooms) -> str:
        labels = _join([room.room_name.lower() for room, _ in rooms])
        if customer.customer_type == CustomerType.BUILDER:
            return f"{self.rng.choice(people.COMMUNITIES)} lot {self.rng.randint(2, 60)} {labels}"
        if customer.customer_type == CustomerType.CONTRACTOR and self.rng.random() < 0.6:
            return f"{self.rng.randint(100, 9899)} {self.rng.choice(people.STREETS)} {labels}"
        client = customer.last_name
        if customer.customer_type == CustomerType.DESIGNER:
            client = self.rng.choice(people.LAST_NAMES)
        return f"{client} {labels}"

    def set_budget(self, project: Project, rooms) -> None:
        rng = self.rng
        # The first selection of every surface is its tile (alternatives come after it).
        tile_cost = sum((selections[0].total_price for _, surfaces in rooms for _, selections in surfaces), D(0))
        roll = rng.random()
        if roll < 0.12:
            return
        project.tile_budget = _round_to(tile_cost * D(str(round(rng.uniform(0.85, 1.5), 2))), 50)
        if roll < 0.22:
            return
        low = _round_to(project.tile_budget * D(str(round(rng.uniform(1.8, 3.5), 2))), 500)
        project.total_budget_min = low
        project.total_budget_max = low + _round_to(low * D(str(round(rng.uniform(0.2, 0.6), 2))), 500)

    def write_texts(self, convs: list[ConversationLog], customer: Customer, rooms) -> None:
        rng = self.rng
        room_labels = _join([room.room_name.lower() for room, _ in rooms])
        surface, selections = rng.choice([s for _, surfaces in rooms for s in surfaces])
        tile = selections[0].product
        area = sum((s.surface_area_sf for _, surfaces in rooms for s, _ in surfaces), D(0))
        installer = {
            InstallationMethod.DIY: "the customer, DIY",
            InstallationMethod.CONTRACTOR: "their contractor",
            InstallationMethod.DESIGNER_MANAGED: "the designer's crew",
            InstallationMethod.UNKNOWN: "not decided yet",
        }[convs[0].project.installation_method]
        for conv in convs:
            if not conv.outcome:
                continue  # still open: the associate writes the summary at the close
            values = {
                "name": customer.first_name,
                "room": room_labels,
                "area": f"{area.normalize():f}",
                "tile": f"{tile.product_name.split(' (')[0].rsplit(', ', 1)[0]} in {tile.color}",
                "surface": surface.get_surface_type_display().lower(),
                "installer": installer,
                "pattern": surface.get_pattern_type_display().lower(),
                "next": f"{conv.next_contact_date:%b} {conv.next_contact_date.day}" if conv.next_contact_date else "",
            }
            sentences = [rng.choice(texts.OPENINGS[conv.interaction_type])]
            if rng.random() < 0.6:
                details = texts.DETAILS
                if surface.pattern_type == PatternType.STRAIGHT_LAY:
                    details = [d for d in details if "{pattern}" not in d]
                sentences.append(rng.choice(details))
            sentences.append(rng.choice(texts.CLOSINGS[conv.outcome]))
            conv.conversation_summary = " ".join(s.format(**values) for s in sentences)
            if conv.outcome in texts.NEXT_ACTIONS:
                conv.next_action = rng.choice(texts.NEXT_ACTIONS[conv.outcome]).format(**values)

    def build_quote(self, project: Project, convs: list[ConversationLog], rooms) -> None:
        rng = self.rng
        asked = next((c for c in convs if c.outcome == Outcome.QUOTE_REQUESTED), None)
        ordered = next((c for c in convs if c.outcome == Outcome.ORDER_PLACED), None)
        source = asked or ordered
        if source is None:
            return
        lines, subtotal = [], D("0.00")
        for room, surfaces in rooms:
            for surface, selections in surfaces:
                for s in selections:
                    if s.selection_status == SelectionStatus.CONSIDERED:
                        continue
                    lines.append({
                        "room": room.room_name,
                        "surface": surface.get_surface_type_display(),
                        "sku": s.product.sku,
                        "name": s.product_name,
                        "quantity": str(s.quantity_ordered),
                        "unit": s.unit_of_measure,
                        "unit_price": str(s.price_per_unit),
                        "line_total": str(s.total_price),
                    })  # fmt: skip
                    subtotal += s.total_price
        quote_date = source.conversation_date.date()
        expiration = quote_date + timedelta(days=self.quote_days)
        if ordered:
            status = QuoteStatus.ACCEPTED
        elif convs[-1].outcome == Outcome.LOST:
            status = QuoteStatus.REJECTED
        elif expiration < self.today:
            status = QuoteStatus.EXPIRED
        elif (self.today - quote_date).days <= 1 and rng.random() < 0.5:
            status = QuoteStatus.DRAFT
        else:
            status = QuoteStatus.SENT
        tax = _money(subtotal * self.tax_rate)
        delivery = D("75.00") if rng.random() < 0.45 else D("0.00")
        created = source.closed_at or source.conversation_date
        updated = {QuoteStatus.ACCEPTED: ordered, QuoteStatus.REJECTED: convs[-1]}.get(status)
        quote = Quote(
            quote_id=self.uuid(),
            project=project,
            quote_date=quote_date,
            expiration_date=expiration,
            subtotal=subtotal,
            tax_rate=self.tax_rate,
            tax_amount=tax,
            delivery_fee=delivery,
            total_amount=subtotal + tax + delivery,
            quote_status=status,
            sales_associate=source.sales_associate,
            special_instructions=rng.choice(people.SPECIAL_INSTRUCTIONS) if rng.random() < 0.3 else None,
            lines=lines,
            created_at=created,
            updated_at=max(created, (updated.closed_at or updated.conversation_date) if updated else created),
        )
        self.out.quotes.append(quote)

    # ---- finishing touches

    def spread_follow_ups(self, plans: list[_ProjectPlan]) -> None:
        """Make the follow-up queue look like a real morning: a few due today, besides the overdue
        and upcoming ones the random dates give."""
        pending = [p.conversations[-1] for p in plans if p.conversations[-1].next_contact_date]
        candidates = [c for c in pending if 2 <= (self.today - c.conversation_date.date()).days <= 10]
        for conv in self.rng.sample(candidates, min(4, len(candidates))):
            conv.next_contact_date = self.today
        if not any(c.next_contact_date < self.today for c in pending):
            old = [c for c in pending if (self.today - c.conversation_date.date()).days >= 4]
            if old:
                old[0].next_contact_date = self.today - timedelta(days=2)

    def number_quotes(self) -> None:
        """Quote numbers run in date order, one sequence per year: Q-2026-000001, Q-2026-000002…"""
        sequence = defaultdict(int)
        for quote in sorted(self.out.quotes, key=lambda q: (q.quote_date, q.created_at)):
            sequence[quote.quote_date.year] += 1
            quote.quote_number = f"Q-{quote.quote_date.year}-{sequence[quote.quote_date.year]:06d}"
