from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Count, F, Q

from aos_crm.db import TimestampedModel, enum_check, non_negative, positive
from catalog import cache as catalog_cache
from history.triggers import history_trigger
from projects.models import ProductType, UnitOfMeasure

# The wizard's search looks for each typed word in these columns.
SEARCH_COLUMNS = ("product_name", "brand", "color", "material")
# What `iter(ProductCatalog.objects.search(query))` reads; a slice asks for its own number.
SEARCH_MAX_RESULTS = 50

# Columns that the CHECK constraints below, and `ProductCatalog.clean()` with a message, keep above
# zero / not negative (tests/catalog/test_models.py checks the two lists agree).
POSITIVE_FIELDS = (
    "size_length",
    "size_width",
    "size_thickness",
    "coverage_per_box",
    "pieces_per_box",
    "pack_weight_lb",
    "pack_coverage_sf",
    "piece_length_ft",
    "chip_length",
    "chip_width",
    "sheet_coverage_sf",
    "nominal_length",
    "nominal_width",
    "grout_lb_per_sf",
)
# The columns that describe one chip of a sheet-mounted mosaic: only, and (but the sheet's coverage)
# always, on sheet-mounted products.
CHIP_FIELDS = ("chip_length", "chip_width", "chip_shape")
NON_NEGATIVE_FIELDS = ("price_retail", "price_pro", "lead_time_days")


class EdgeType(models.TextChoices):
    """Decides the ANSI A108.02 minimum grout joint (TILE_MATH.md)."""

    RECTIFIED = "rectified", "Rectified"
    PRESSED = "pressed", "Pressed (calibrated)"
    STONE = "stone", "Natural stone"


class Mounting(models.TextChoices):
    """How a tile comes: one piece at a time, or chips on a mesh-backed sheet (a mosaic)."""

    LOOSE = "loose", "Loose tile"
    SHEET = "sheet", "Sheet-mounted (mosaic)"


class ChipShape(models.TextChoices):
    """A mosaic chip's shape, which decides its grout (projects/estimating.py)."""

    SQUARE = "square", "Square"
    RECTANGLE = "rectangle", "Rectangle"
    HEXAGON = "hexagon", "Hexagon"
    PENNY_ROUND = "penny_round", "Penny round"
    OTHER = "other", "Other"


class _OrBlank(models.Func):
    template = "COALESCE(%(expressions)s, '')"


class SearchText(models.Func):
    """UPPER(name || ' ' || brand || ' ' || color || ' ' || material), a NULL column as ''.

    On PostgreSQL the GIN trigram index `idx_catalog_search_trgm` (migration 0002) is built on this
    exact expression, so `LIKE '%WORD%'` on it is answered from the index. The literals are inline
    (not parameters) so the planner sees the same expression as the index."""

    template = "UPPER(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = models.TextField()

    def __init__(self):
        super().__init__(*[_OrBlank(F(column)) for column in SEARCH_COLUMNS])


def _normalized(query: str) -> str:
    return " ".join((query or "").split()).upper()


class ProductCatalogQuerySet(models.QuerySet):
    def sellable(self):
        return self.filter(discontinued=False)

    def matching(self, query: str):
        """The wizard's search, uncached: a SKU prefix, or every word found in the name, brand,
        color or material; in-stock products first, discontinued ones last (still listed, flagged,
        so an associate can tell a customer why a tile they remember can't be ordered)."""
        query = _normalized(query)
        if not query:
            return self.none()
        words = Q()
        for word in query.split():
            words &= Q(search_text__contains=word)
        return (
            self.alias(search_text=SearchText())
            .filter(Q(sku__istartswith=query) | words)
            .order_by("discontinued", "-in_stock", "sku")
        )

    def upkeep_counts(self):
        """The catalog staff's home-page figures, in one aggregate query."""
        return self.aggregate(
            total=Count("sku"),
            discontinued_count=Count("sku", filter=Q(discontinued=True)),
            out_of_stock=Count("sku", filter=Q(in_stock=False, discontinued=False)),
            special_orders=Count("sku", filter=Q(special_order=True, discontinued=False)),
        )

    # Writes: each one makes the cached catalog reads stale (catalog/cache.py says why here and
    # not in signals); ProductCatalog.save()/delete() do the same for single rows.

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        catalog_cache.invalidate()
        return rows

    def delete(self):
        result = super().delete()
        catalog_cache.invalidate()
        return result

    def create(self, **kwargs):
        product = super().create(**kwargs)
        catalog_cache.invalidate()
        return product

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        catalog_cache.invalidate()
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        catalog_cache.invalidate()
        return rows

    def bulk_update_values(self, objs, fields, *, batch_size: int = 1000) -> int:
        """`bulk_update()` for large imports. Django's bulk_update writes one CASE WHEN per column
        with a branch per row, evaluated in time quadratic in the batch (about 250 s for 50,000
        rows of 22 columns on PostgreSQL). Here PostgreSQL gets one `UPDATE … FROM (VALUES …)` per
        batch, and other databases (SQLite) one prepared `UPDATE … WHERE pk = %s` run for every
        row (executemany). Plain values only (no F() expressions). Returns the rows updated."""
        objs = list(objs)
        if not objs:
            return 0
        connection = connections[self.db]
        opts = self.model._meta
        pk = opts.pk
        columns = [opts.get_field(name) for name in fields]
        qn = connection.ops.quote_name

        def values(obj):
            return [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]

        updated = 0
        with transaction.atomic(using=self.db, savepoint=False), connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                assignments = ", ".join(f"{qn(field.column)} = %s" for field in columns)
                cursor.executemany(
                    f"UPDATE {qn(opts.db_table)} SET {assignments} WHERE {qn(pk.column)} = %s",  # noqa: S608 - identifiers from the model
                    [[*values(obj), pk.get_db_prep_save(obj.pk, connection)] for obj in objs],
                )
                updated = cursor.rowcount
            else:
                aliases = [f"c{i}" for i in range(len(columns))]
                assignments = ", ".join(
                    f"{qn(field.column)} = v.{alias}::{field.db_type(connection)}"
                    for field, alias in zip(columns, aliases, strict=True)
                )
                placeholder = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
                for start in range(0, len(objs), batch_size):
                    batch = objs[start : start + batch_size]
                    params = []
                    for obj in batch:
                        params.append(pk.get_db_prep_save(obj.pk, connection))
                        params.extend(values(obj))
                    cursor.execute(
                        f"UPDATE {qn(opts.db_table)} AS t SET {assignments} "  # noqa: S608 - identifiers from the model
                        f"FROM (VALUES {', '.join([placeholder] * len(batch))}) AS v(pk, {', '.join(aliases)}) "
                        f"WHERE t.{qn(pk.column)} = v.pk::{pk.db_type(connection)}",
                        params,
                    )
                    updated += cursor.rowcount
        catalog_cache.invalidate()
        return updated

    def update_or_create(self, *args, **kwargs):
        result = super().update_or_create(*args, **kwargs)
        catalog_cache.invalidate()
        return result


class ProductSearch(Sequence):
    """What `ProductCatalog.objects.search(query)` returns: nothing is read until it is sliced or
    iterated. `[:n]` reads the first n results through the cache (the wizard's `[:8]`); iterating
    reads the first SEARCH_MAX_RESULTS. For every match, uncached, use `.matching(query)`."""

    def __init__(self, manager: ProductCatalogManager, query: str):
        self._manager = manager
        self.query = query

    def _first(self, limit: int) -> list[ProductCatalog]:
        return self._manager.search(self.query, limit=limit)

    def __getitem__(self, index):
        is_head = isinstance(index, slice) and not index.start and index.step is None and index.stop is not None
        if is_head and 0 <= index.stop <= SEARCH_MAX_RESULTS:
            return self._first(index.stop)
        return self._first(SEARCH_MAX_RESULTS)[index]

    def __iter__(self):
        return iter(self._first(SEARCH_MAX_RESULTS))

    def __len__(self):
        return len(self._first(SEARCH_MAX_RESULTS))

    def __repr__(self):
        return f"<ProductSearch {self.query!r}>"


class ProductCatalogManager(models.Manager.from_queryset(ProductCatalogQuerySet)):
    """The catalog reads the wizard makes, through the cache (catalog/cache.py)."""

    def search(self, query: str, limit: int | None = None):
        """The wizard's product search (see `ProductCatalogQuerySet.matching`). With a `limit`, the
        first `limit` products as a list; without, a lazy `ProductSearch` to slice."""
        if limit is None:
            return ProductSearch(self, query)
        query = _normalized(query)
        if not query or limit <= 0:
            return []
        return catalog_cache.cached("search", (query, limit), lambda: list(self.get_queryset().matching(query)[:limit]))

    def lookup(self, sku: str) -> ProductCatalog | None:
        """The product with this SKU (any letter case), or None."""
        sku = (sku or "").strip()
        if not sku:
            return None
        return catalog_cache.cached(
            "sku", (sku.upper(),), lambda: self.get_queryset().filter(sku__iexact=sku).order_by("sku").first()
        )

    def kit_candidates(self, product_types: Iterable[str]) -> list[ProductCatalog]:
        """Every sellable product of these types, in stock first: what the setting-materials kit
        (projects/kit.py) matches against."""
        types = tuple(sorted({str(product_type) for product_type in product_types}))
        return catalog_cache.cached(
            "kit",
            types,
            lambda: list(
                self.get_queryset().filter(product_type__in=types, discontinued=False).order_by("-in_stock", "sku")
            ),
        )


class ProductCatalog(TimestampedModel):
    """A product the store sells. Columns after `special_order` are additions the estimator needs
    (docs/schema.md says why each exists)."""

    sku = models.CharField("SKU", max_length=50, primary_key=True)
    product_name = models.CharField(max_length=255)
    product_type = models.CharField(max_length=100, choices=ProductType.choices, blank=True, null=True)
    brand = models.CharField(max_length=100, blank=True, null=True)
    material = models.CharField(max_length=100, blank=True, null=True)
    color = models.CharField(max_length=100, blank=True, null=True)
    size_length = models.DecimalField("length (in)", max_digits=6, decimal_places=2, blank=True, null=True)
    size_width = models.DecimalField("width (in)", max_digits=6, decimal_places=2, blank=True, null=True)
    size_thickness = models.DecimalField("thickness (in)", max_digits=6, decimal_places=2, blank=True, null=True)
    coverage_per_box = models.DecimalField(
        "coverage per box (sq ft)", max_digits=8, decimal_places=2, blank=True, null=True
    )
    pieces_per_box = models.IntegerField(blank=True, null=True)
    price_retail = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    price_pro = models.DecimalField(max_digits=10, decimal_places=2, blank=True, null=True)
    in_stock = models.BooleanField(default=True, db_default=True)
    discontinued = models.BooleanField(default=False, db_default=False)
    special_order = models.BooleanField(default=False, db_default=False)
    # Additions for pricing and estimating.
    unit_of_measure = models.CharField(
        "sold by",
        max_length=10,
        choices=UnitOfMeasure.choices,
        default=UnitOfMeasure.BOX,
        db_default=UnitOfMeasure.BOX,
        help_text="The unit the prices are per: a box of tile, a bag of grout, a trim piece…",
    )
    pack_weight_lb = models.DecimalField(
        "pack weight (lb)",
        max_digits=6,
        decimal_places=2,
        blank=True,
        null=True,
        help_text="Pounds per bag of grout or thinset.",
    )
    pack_coverage_sf = models.DecimalField(
        "pack coverage (sq ft)",
        max_digits=8,
        decimal_places=2,
        blank=True,
        null=True,
        help_text="Square feet one bag, roll or pail covers (membrane rolls, sealer).",
    )
    piece_length_ft = models.DecimalField(
        "piece length (ft)",
        max_digits=6,
        decimal_places=2,
        blank=True,
        null=True,
        help_text="Length of one trim piece.",
    )
    edge_type = models.CharField(max_length=10, choices=EdgeType.choices, blank=True, null=True)
    lead_time_days = models.IntegerField(blank=True, null=True, help_text="For special-order products.")
    # Additions for mosaics and metric formats (docs/estimating.md).
    mounting = models.CharField(
        max_length=10,
        choices=Mounting.choices,
        default=Mounting.LOOSE,
        db_default=Mounting.LOOSE,
        help_text="Sheet-mounted: a mosaic sold by the sheet; its grout, trowel and spacers follow the chip.",
    )
    chip_length = models.DecimalField(
        "chip length (in)",
        max_digits=6,
        decimal_places=2,
        blank=True,
        null=True,
        help_text="One chip of a sheet: its length (a hexagon: across the corners; a penny round: its diameter).",
    )
    chip_width = models.DecimalField(
        "chip width (in)",
        max_digits=6,
        decimal_places=2,
        blank=True,
        null=True,
        help_text="One chip of a sheet: its width (a hexagon: across the flats; a penny round: its diameter).",
    )
    chip_shape = models.CharField(max_length=12, choices=ChipShape.choices, blank=True, null=True)
    sheet_coverage_sf = models.DecimalField(
        "sheet coverage (sq ft)", max_digits=6, decimal_places=2, blank=True, null=True
    )
    nominal_length = models.DecimalField(
        "nominal length (in)",
        max_digits=6,
        decimal_places=2,
        blank=True,
        null=True,
        help_text="The size the box is sold by, when it differs from the actual (600 mm is sold as 24 in).",
    )
    nominal_width = models.DecimalField("nominal width (in)", max_digits=6, decimal_places=2, blank=True, null=True)
    grout_lb_per_sf = models.DecimalField(
        "grout (lb per sq ft)",
        max_digits=6,
        decimal_places=3,
        blank=True,
        null=True,
        help_text="The maker's grout figure for this product at its usual joint; wins over the formula.",
    )

    objects = ProductCatalogManager()

    class Meta:
        db_table = "product_catalog"
        triggers = [history_trigger(table="product_catalog", pk="sku")]
        ordering = ["sku"]
        verbose_name = "product"
        verbose_name_plural = "product catalog"
        indexes = [
            models.Index(fields=["product_type", "brand"], name="idx_catalog_type_brand"),
            # The search's order: for a common word the first eight matches are found by walking
            # this index; a rare word is found through the trigram index (migration 0002).
            models.Index(fields=["discontinued", "-in_stock", "sku"], name="idx_catalog_search_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(sku=""), name="product_catalog_sku_not_blank"),
            models.CheckConstraint(
                condition=Q(product_type__isnull=True) | Q(product_type__in=ProductType.values),
                name="product_catalog_product_type_valid",
            ),
            enum_check("unit_of_measure", UnitOfMeasure, table="product_catalog"),
            models.CheckConstraint(
                condition=Q(edge_type__isnull=True) | Q(edge_type__in=EdgeType.values),
                name="product_catalog_edge_type_valid",
            ),
            positive("size_length", table="product_catalog"),
            positive("size_width", table="product_catalog"),
            positive("size_thickness", table="product_catalog"),
            positive("coverage_per_box", table="product_catalog"),
            positive("pieces_per_box", table="product_catalog"),
            non_negative("price_retail", table="product_catalog"),
            non_negative("price_pro", table="product_catalog"),
            positive("pack_weight_lb", table="product_catalog"),
            positive("pack_coverage_sf", table="product_catalog"),
            positive("piece_length_ft", table="product_catalog"),
            non_negative("lead_time_days", table="product_catalog"),
            enum_check("mounting", Mounting, table="product_catalog"),
            models.CheckConstraint(
                condition=Q(chip_shape__isnull=True) | Q(chip_shape__in=ChipShape.values),
                name="product_catalog_chip_shape_valid",
            ),
            positive("chip_length", table="product_catalog"),
            positive("chip_width", table="product_catalog"),
            positive("sheet_coverage_sf", table="product_catalog"),
            positive("nominal_length", table="product_catalog"),
            positive("nominal_width", table="product_catalog"),
            positive("grout_lb_per_sf", table="product_catalog"),
            models.CheckConstraint(
                condition=Q(
                    mounting=Mounting.SHEET,
                    chip_length__isnull=False,
                    chip_width__isnull=False,
                    chip_shape__isnull=False,
                )
                # Not "mounting = loose": an unknown mounting is product_catalog_mounting_valid's
                # to refuse, alone (PostgreSQL names the first failing CHECK by name).
                | (
                    ~Q(mounting=Mounting.SHEET)
                    & Q(
                        chip_length__isnull=True,
                        chip_width__isnull=True,
                        chip_shape__isnull=True,
                        sheet_coverage_sf__isnull=True,
                    )
                ),
                name="product_catalog_chip_fields_for_sheets",
                violation_error_message=(
                    "A sheet-mounted product needs its chip's length, width and shape; a loose one has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(nominal_length__isnull=True, nominal_width__isnull=True)
                | Q(nominal_length__isnull=False, nominal_width__isnull=False),
                name="product_catalog_nominal_both_or_neither",
                violation_error_message="Give both nominal sides, or neither.",
            ),
            models.CheckConstraint(
                condition=Q(price_pro__isnull=True)
                | Q(price_retail__isnull=True)
                | Q(price_pro__lte=F("price_retail")),
                name="product_catalog_pro_le_retail",
                violation_error_message="The pro price cannot be above the retail price.",
            ),
        ]

    def __str__(self):
        return f"{self.sku} — {self.product_name}"

    # A plain save() or delete() from anywhere (a service, a shell, a management command) makes the
    # cached catalog reads stale at once, like the queryset writes above: an exception to "no logic
    # in save()", because a product changed by any path must never be sold at a stale price.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        catalog_cache.invalidate()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        catalog_cache.invalidate()
        return result

    def clean(self):
        """The CHECK constraints' rules as messages next to the field they concern (admin forms,
        import rows), before the database refuses the row."""
        errors = {}
        for name in POSITIVE_FIELDS:
            value = getattr(self, name)
            if isinstance(value, int | Decimal) and value <= 0:
                errors[name] = "Must be more than zero."
        for name in NON_NEGATIVE_FIELDS:
            value = getattr(self, name)
            if isinstance(value, int | Decimal) and value < 0:
                errors[name] = "Can't be negative."
        retail, pro = self.price_retail, self.price_pro
        if (
            not errors.keys() & {"price_retail", "price_pro"}
            and isinstance(retail, Decimal)
            and isinstance(pro, Decimal)
            and pro > retail
        ):
            errors["price_pro"] = "The pro price cannot be above the retail price."
        if self.mounting == Mounting.SHEET:
            for name in CHIP_FIELDS:
                if getattr(self, name) in (None, "") and name not in errors:
                    errors[name] = "A sheet-mounted product needs this (it decides the grout and the trowel)."
        elif self.mounting == Mounting.LOOSE:
            for name in (*CHIP_FIELDS, "sheet_coverage_sf"):
                if getattr(self, name) not in (None, "") and name not in errors:
                    errors[name] = "Only for sheet-mounted products: set mounting to sheet, or leave this empty."
        nominal = {"nominal_length": self.nominal_length, "nominal_width": self.nominal_width}
        if (nominal["nominal_length"] is None) != (nominal["nominal_width"] is None):
            missing = "nominal_length" if nominal["nominal_length"] is None else "nominal_width"
            errors.setdefault(missing, "Give both nominal sides, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_sheet_mounted(self) -> bool:
        return self.mounting == Mounting.SHEET

    def price_for(self, *, pro: bool):
        """The unit price a customer pays: pro price for pro accounts when the product has one."""
        if pro and self.price_pro is not None:
            return self.price_pro
        return self.price_retail
