from django.db import models
from django.db.models import Count, F, Q

from aos_crm.db import TimestampedModel, enum_check, non_negative, positive
from projects.models import ProductType, UnitOfMeasure


class EdgeType(models.TextChoices):
    """Decides the ANSI A108.02 minimum grout joint (TILE_MATH.md)."""

    RECTIFIED = "rectified", "Rectified"
    PRESSED = "pressed", "Pressed (calibrated)"
    STONE = "stone", "Natural stone"


class ProductCatalogQuerySet(models.QuerySet):
    def sellable(self):
        return self.filter(discontinued=False)

    def search(self, query: str):
        """The wizard's product search: a SKU prefix, or every word found in the name, brand, color
        or material; in-stock products first, discontinued ones last."""
        query = (query or "").strip()
        if not query:
            return self.none()
        words = Q()
        for word in query.split():
            words &= (
                Q(product_name__icontains=word)
                | Q(brand__icontains=word)
                | Q(color__icontains=word)
                | Q(material__icontains=word)
            )
        return self.filter(Q(sku__istartswith=query) | words).order_by("discontinued", "-in_stock", "sku")

    def upkeep_counts(self):
        """The catalog staff's home-page figures, in one aggregate query."""
        return self.aggregate(
            total=Count("sku"),
            discontinued_count=Count("sku", filter=Q(discontinued=True)),
            out_of_stock=Count("sku", filter=Q(in_stock=False, discontinued=False)),
            special_orders=Count("sku", filter=Q(special_order=True, discontinued=False)),
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

    objects = ProductCatalogQuerySet.as_manager()

    class Meta:
        db_table = "product_catalog"
        ordering = ["sku"]
        verbose_name = "product"
        verbose_name_plural = "product catalog"
        indexes = [
            models.Index(fields=["product_type", "brand"], name="idx_catalog_type_brand"),
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

    def price_for(self, *, pro: bool):
        """The unit price a customer pays: pro price for pro accounts when the product has one."""
        if pro and self.price_pro is not None:
            return self.price_pro
        return self.price_retail
