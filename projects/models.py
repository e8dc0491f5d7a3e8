from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from aos_crm.db import ChecksInOneQuery, TimestampedModel, enum_check, non_negative, positive, uuid_pk, version_field
from history.triggers import ROOM_PROJECT, SELECTION_PROJECT, SURFACE_PROJECT, history_trigger


class ProjectStatus(models.TextChoices):
    INQUIRY = "inquiry", "Inquiry"
    QUOTED = "quoted", "Quoted"
    ORDERED = "ordered", "Ordered"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


_STATUS_ORDER = [
    ProjectStatus.INQUIRY,
    ProjectStatus.QUOTED,
    ProjectStatus.ORDERED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.COMPLETED,
]


def status_moves_forward(current: str | None, target: str) -> bool:
    """Whether an event (a conversation's outcome, a quote sent or accepted) may move a project from
    `current` to `target`: statuses only move forward, a cancelled project is revived by any, and a
    project already ordered or further on is not cancelled by a later lost conversation."""
    if target == ProjectStatus.CANCELLED:
        return current not in (ProjectStatus.ORDERED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED)
    if current in (None, ProjectStatus.CANCELLED):
        return True
    return _STATUS_ORDER.index(target) > _STATUS_ORDER.index(current)


class InstallationMethod(models.TextChoices):
    DIY = "diy", "DIY (customer installs)"
    CONTRACTOR = "contractor", "Contractor"
    DESIGNER_MANAGED = "designer_managed", "Designer managed"
    UNKNOWN = "unknown", "Not known yet"


class UrgencyLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    RUSH = "rush", "Rush"


class RoomType(models.TextChoices):
    KITCHEN = "kitchen", "Kitchen"
    BATHROOM = "bathroom", "Bathroom"
    MASTER_BATHROOM = "master_bathroom", "Primary bathroom"
    GUEST_BATHROOM = "guest_bathroom", "Guest bathroom"
    POWDER_ROOM = "powder_room", "Powder room"
    LAUNDRY_ROOM = "laundry_room", "Laundry room"
    MUDROOM = "mudroom", "Mudroom"
    ENTRYWAY = "entryway", "Entryway"
    LIVING_ROOM = "living_room", "Living room"
    DINING_ROOM = "dining_room", "Dining room"
    BEDROOM = "bedroom", "Bedroom"
    BASEMENT = "basement", "Basement"
    OUTDOOR = "outdoor", "Outdoor"
    COMMERCIAL = "commercial", "Commercial"
    OTHER = "other", "Other"


class SurfaceType(models.TextChoices):
    FLOOR = "floor", "Floor"
    BACKSPLASH = "backsplash", "Backsplash"
    SHOWER_WALLS = "shower_walls", "Shower walls"
    SHOWER_FLOOR = "shower_floor", "Shower floor"
    TUB_SURROUND = "tub_surround", "Tub surround"
    ACCENT_WALL = "accent_wall", "Accent wall"
    FIREPLACE = "fireplace", "Fireplace"
    COUNTERTOP = "countertop", "Countertop"
    WAINSCOTING = "wainscoting", "Wainscoting"
    CEILING = "ceiling", "Ceiling"
    EXTERIOR_WALL = "exterior_wall", "Exterior wall"
    OTHER = "other", "Other"


class PatternType(models.TextChoices):
    STRAIGHT_LAY = "straight_lay", "Straight lay"
    BRICK_PATTERN = "brick_pattern", "Brick (running bond)"
    HERRINGBONE = "herringbone", "Herringbone"
    DIAGONAL = "diagonal", "Diagonal"
    BASKET_WEAVE = "basket_weave", "Basket weave"
    CHEVRON = "chevron", "Chevron"
    VERSAILLES = "versailles", "Versailles"
    PINWHEEL = "pinwheel", "Pinwheel"
    OTHER = "other", "Other"


class ComplexityLevel(models.TextChoices):
    SIMPLE = "simple", "Simple"
    MODERATE = "moderate", "Moderate"
    COMPLEX = "complex", "Complex"


class ProductType(models.TextChoices):
    TILE = "tile", "Tile"
    TRIM = "trim", "Trim"
    GROUT = "grout", "Grout"
    ADHESIVE = "adhesive", "Adhesive / thinset"
    UNDERLAYMENT = "underlayment", "Underlayment / membrane"
    SEALANT = "sealant", "Sealant"
    CAULK = "caulk", "Caulk"
    SPACERS = "spacers", "Spacers"
    TOOLS = "tools", "Tools"
    ACCESSORIES = "accessories", "Accessories"


class UnitOfMeasure(models.TextChoices):
    SF = "sf", "sq ft"
    BOX = "box", "box"
    LINEAR_FT = "linear_ft", "linear ft"
    PIECE = "piece", "piece"
    BAG = "bag", "bag"
    TUBE = "tube", "tube"
    GALLON = "gallon", "gallon"


class SelectionStatus(models.TextChoices):
    CONSIDERED = "considered", "Considered"
    SELECTED = "selected", "Selected"
    ORDERED = "ordered", "Ordered"
    DELIVERED = "delivered", "Delivered"


class ProjectQuerySet(models.QuerySet):
    def customer_summary(self, customer_id):
        """The seed's "Get Customer Project Summary" as an ORM read: one row per project of the
        customer with its room count and total square feet. `room_count` is the seed's figure to the
        number: its LEFT JOIN through surfaces counts a room once per surface. Pages show
        `distinct_rooms`, the number of rooms a person would count."""
        from django.db.models import Count, Sum

        return (
            self.filter(customer_id=customer_id)
            .select_related("customer")
            .annotate(
                room_count=Count("rooms__room_id"),
                distinct_rooms=Count("rooms__room_id", distinct=True),
                total_sf=Sum("rooms__surfaces__surface_area_sf"),
            )
            .order_by("created_at", "project_id")
        )

    def with_selected_total(self):
        """The seed's "Calculate Project Total": the sum of `selected` product lines and the number of
        distinct surfaces that carry them."""
        from django.db.models import Count, Sum

        selected = Q(rooms__surfaces__selections__selection_status=SelectionStatus.SELECTED)
        return self.annotate(
            project_total=Sum("rooms__surfaces__selections__total_price", filter=selected),
            surface_count=Count("rooms__surfaces__surface_id", filter=selected, distinct=True),
        )

    def for_customer_page(self, customer_id):
        """The customer page's project table, newest first, with `distinct_rooms` and `total_sf` as
        in `customer_summary`. The figures are correlated subqueries rather than a GROUP BY over
        the join, so the database walks `idx_projects_customer_date` and computes them for the
        page's rows only, instead of aggregating every project of the customer before sorting."""
        from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
        from django.db.models.functions import Coalesce

        rooms = (
            ProjectRoom.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=Count("room_id"))
            .values("n")
        )
        area = (
            Surface.objects.filter(room__project=OuterRef("pk"))
            .order_by()
            .values("room__project")
            .annotate(total=Sum("surface_area_sf"))
            .values("total")
        )
        return (
            self.filter(customer_id=customer_id)
            .select_related("customer", "sales_associate")
            .annotate(
                distinct_rooms=Coalesce(Subquery(rooms, output_field=IntegerField()), Value(0)),
                total_sf=Subquery(area),
            )
            .order_by("-created_at", "-project_id")
        )

    def for_detail_page(self):
        """Everything the project page shows, in a fixed number of queries whatever its size."""
        from django.db.models import Prefetch

        selections = SelectedProduct.objects.select_related("product").order_by("selection_date", "selection_id")
        surfaces = Surface.objects.prefetch_related(Prefetch("selections", queryset=selections))
        return (
            self.select_related("customer", "sales_associate")
            .with_selected_total()
            .prefetch_related(Prefetch("rooms__surfaces", queryset=surfaces))
        )


class Project(TimestampedModel):
    project_id = uuid_pk()
    version = version_field()
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="projects", db_index=False
    )
    project_name = models.CharField(max_length=255, blank=True, null=True)
    project_status = models.CharField(
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.INQUIRY,
        db_default=ProjectStatus.INQUIRY,
        blank=True,
        null=True,
    )
    total_budget_min = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    total_budget_max = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    tile_budget = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    project_start_date = models.DateField(blank=True, null=True)
    project_completion_date = models.DateField(blank=True, null=True)
    installation_method = models.CharField(max_length=20, choices=InstallationMethod.choices)
    contractor_name = models.CharField(max_length=255, blank=True, null=True)
    contractor_phone = models.CharField(max_length=20, blank=True, null=True)
    contractor_email = models.EmailField(max_length=255, blank=True, null=True)
    designer_name = models.CharField(max_length=255, blank=True, null=True)
    designer_company = models.CharField(max_length=255, blank=True, null=True)
    urgency_level = models.CharField(
        max_length=10,
        choices=UrgencyLevel.choices,
        default=UrgencyLevel.MEDIUM,
        db_default=UrgencyLevel.MEDIUM,
        blank=True,
        null=True,
    )
    lead_source = models.CharField(max_length=100, blank=True, null=True)
    sales_associate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="projects", blank=True, null=True
    )
    notes = models.TextField(blank=True, null=True)
    # Addition: when `manage.py archive` moved the project's rooms, surfaces, selections, quotes and
    # conversation notes to the archive tables (archive app). The row itself stays, so conversations
    # keep their project and search still finds it; the project then opens read-only.
    archived_at = models.DateTimeField(blank=True, null=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        db_table = "projects"
        triggers = [history_trigger(table="projects", pk="project_id", project="{row}.project_id")]
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer"], name="idx_projects_customer"),
            models.Index(fields=["project_status"], name="idx_projects_status"),
            models.Index(fields=["created_at"], name="idx_projects_date"),
            # Addition: a customer's projects newest first (customer page), one page at a time.
            models.Index(fields=["customer", "created_at", "project_id"], name="idx_projects_customer_date"),
        ]
        constraints = [
            enum_check("project_status", ProjectStatus, table="projects", nullable=True),
            enum_check("installation_method", InstallationMethod, table="projects"),
            enum_check("urgency_level", UrgencyLevel, table="projects", nullable=True),
            non_negative("total_budget_min", table="projects"),
            non_negative("total_budget_max", table="projects"),
            non_negative("tile_budget", table="projects"),
            models.CheckConstraint(
                condition=Q(total_budget_min__isnull=True)
                | Q(total_budget_max__isnull=True)
                | Q(total_budget_min__lte=F("total_budget_max")),
                name="projects_budget_min_le_max",
                violation_error_message="The minimum budget cannot be above the maximum budget.",
            ),
            models.CheckConstraint(
                condition=Q(project_start_date__isnull=True)
                | Q(project_completion_date__isnull=True)
                | Q(project_completion_date__gte=F("project_start_date")),
                name="projects_completion_after_start",
                violation_error_message="The completion date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return self.project_name or f"Project for {self.customer}"


class ProjectRoom(TimestampedModel):
    room_id = uuid_pk()
    version = version_field()
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rooms", db_index=False)
    room_name = models.CharField(max_length=100, blank=True, null=True)
    room_type = models.CharField(max_length=20, choices=RoomType.choices)
    room_style = models.CharField(max_length=100, blank=True, null=True)
    room_length_ft = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    room_width_ft = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    room_height_ft = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    room_notes = models.TextField(blank=True, null=True)

    class Meta:
        db_table = "project_rooms"
        triggers = [history_trigger(table="project_rooms", pk="room_id", project=ROOM_PROJECT)]
        ordering = ["created_at", "room_id"]
        indexes = [models.Index(fields=["project"], name="idx_rooms_project")]
        constraints = [
            enum_check("room_type", RoomType, table="project_rooms"),
            positive("room_length_ft", table="project_rooms"),
            positive("room_width_ft", table="project_rooms"),
            positive("room_height_ft", table="project_rooms"),
        ]

    def __str__(self):
        return self.room_name or self.get_room_type_display()


class Surface(TimestampedModel):
    surface_id = uuid_pk()
    version = version_field()
    room = models.ForeignKey(ProjectRoom, on_delete=models.CASCADE, related_name="surfaces", db_index=False)
    surface_type = models.CharField(max_length=20, choices=SurfaceType.choices)
    surface_area_sf = models.DecimalField(max_digits=10, decimal_places=2)
    length_ft = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    width_ft = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    height_ft = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    pattern_type = models.CharField(
        max_length=20,
        choices=PatternType.choices,
        default=PatternType.STRAIGHT_LAY,
        db_default=PatternType.STRAIGHT_LAY,
        blank=True,
        null=True,
    )
    complexity_level = models.CharField(
        max_length=10,
        choices=ComplexityLevel.choices,
        default=ComplexityLevel.SIMPLE,
        db_default=ComplexityLevel.SIMPLE,
        blank=True,
        null=True,
    )
    waste_factor = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.10"), db_default=Decimal("0.10"), blank=True, null=True
    )
    obstacles_count = models.IntegerField(default=0, db_default=0, blank=True, null=True)
    obstacles_description = models.TextField(blank=True, null=True)
    prep_work_needed = models.TextField(blank=True, null=True)
    # Additions: the setting-materials kit's inputs, kept so they survive a reload (docs/schema.md).
    grout_joint_in = models.DecimalField(max_digits=5, decimal_places=4, blank=True, null=True)
    trim_linear_ft = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    # Addition: a brick pattern's running-bond offset, in percent of the tile length (50 = half).
    bond_offset_pct = models.DecimalField(max_digits=5, decimal_places=2, blank=True, null=True)
    # Addition: a wall's doors, windows and niches as typed ("36x80, 24x36", inches), and their
    # square feet, taken off the wall's width x height (docs/estimating.md).
    openings = models.TextField(blank=True, null=True)
    openings_sf = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)

    class Meta:
        db_table = "surfaces"
        triggers = [history_trigger(table="surfaces", pk="surface_id", project=SURFACE_PROJECT)]
        ordering = ["created_at", "surface_id"]
        indexes = [models.Index(fields=["room"], name="idx_surfaces_room")]
        constraints = [
            enum_check("surface_type", SurfaceType, table="surfaces"),
            enum_check("pattern_type", PatternType, table="surfaces", nullable=True),
            enum_check("complexity_level", ComplexityLevel, table="surfaces", nullable=True),
            models.CheckConstraint(
                condition=Q(surface_area_sf__gt=0),
                name="surfaces_surface_area_sf_positive",
                violation_error_message="The area must be more than zero square feet.",
            ),
            positive("length_ft", table="surfaces"),
            positive("width_ft", table="surfaces"),
            positive("height_ft", table="surfaces"),
            models.CheckConstraint(
                condition=Q(waste_factor__isnull=True) | Q(waste_factor__gte=0, waste_factor__lt=1),
                name="surfaces_waste_factor_range",
                violation_error_message="The waste factor must be from 0 up to (not including) 1.",
            ),
            non_negative("obstacles_count", table="surfaces"),
            models.CheckConstraint(
                condition=Q(grout_joint_in__isnull=True) | Q(grout_joint_in__gt=0, grout_joint_in__lte=1),
                name="surfaces_grout_joint_in_range",
                violation_error_message="A grout joint is more than 0 and at most 1 inch.",
            ),
            non_negative("trim_linear_ft", table="surfaces"),
            models.CheckConstraint(
                condition=Q(bond_offset_pct__isnull=True) | Q(bond_offset_pct__gte=0, bond_offset_pct__lte=100),
                name="surfaces_bond_offset_pct_range",
                violation_error_message="The offset is a percent of the tile length, from 0 to 100.",
            ),
            non_negative("openings_sf", table="surfaces"),
        ]

    def __str__(self):
        return f"{self.get_surface_type_display()} — {self.surface_area_sf} sq ft"


class SelectedProduct(ChecksInOneQuery):
    selection_id = uuid_pk()
    version = version_field()
    surface = models.ForeignKey(Surface, on_delete=models.CASCADE, related_name="selections", db_index=False)
    # The seed's product_sku column, kept as a real reference to the catalog so an unknown SKU
    # is refused by the database too.
    product = models.ForeignKey(
        "catalog.ProductCatalog",
        on_delete=models.PROTECT,
        db_column="product_sku",
        related_name="selections",
        verbose_name="product SKU",
    )
    product_name = models.CharField(max_length=255, blank=True, null=True)
    product_type = models.CharField(max_length=20, choices=ProductType.choices)
    quantity_needed = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    quantity_ordered = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    unit_of_measure = models.CharField(max_length=10, choices=UnitOfMeasure.choices)
    box_coverage_sf = models.DecimalField(max_digits=8, decimal_places=2, blank=True, null=True)
    price_per_unit = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    total_price = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    selection_status = models.CharField(
        max_length=12,
        choices=SelectionStatus.choices,
        default=SelectionStatus.CONSIDERED,
        db_default=SelectionStatus.CONSIDERED,
        blank=True,
        null=True,
    )
    selection_date = models.DateTimeField(auto_now_add=True, db_default=Now())
    notes = models.TextField(blank=True, null=True)

    class Meta:
        db_table = "selected_products"
        triggers = [history_trigger(table="selected_products", pk="selection_id", project=SELECTION_PROJECT)]
        ordering = ["selection_date", "selection_id"]
        indexes = [models.Index(fields=["surface"], name="idx_products_surface")]
        constraints = [
            enum_check("product_type", ProductType, table="selected_products"),
            enum_check("unit_of_measure", UnitOfMeasure, table="selected_products"),
            enum_check("selection_status", SelectionStatus, table="selected_products", nullable=True),
            non_negative("quantity_needed", table="selected_products"),
            non_negative("quantity_ordered", table="selected_products"),
            positive("box_coverage_sf", table="selected_products"),
            non_negative("price_per_unit", table="selected_products"),
            non_negative("total_price", table="selected_products"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity_ordered or self.quantity_needed or 0} {self.unit_of_measure}"
