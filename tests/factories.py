"""factory-boy factories for every model. Values are invented and clearly fake."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from aos_crm import roles
from aos_crm.models import User
from catalog.models import EdgeType, ProductCatalog
from conversations.models import AosPhase, ConversationLog, InteractionType
from customers.models import ContactMethod, Customer, CustomerType
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
from quotes.models import Quote, QuoteStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("test-pass-123")

    role = None

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """`UserFactory(role="Manager")`, or a role factory below, puts the user in that group."""
        role = extracted or getattr(self, "_role", None)
        if create and role:
            self.groups.add(Group.objects.get(name=role))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        role = kwargs.pop("role", None)
        user = super()._create(model_class, *args, **kwargs)
        user._role = role
        return user


class AssociateFactory(UserFactory):
    role = roles.ASSOCIATE


class ManagerFactory(UserFactory):
    role = roles.MANAGER


class CatalogStaffFactory(UserFactory):
    is_staff = True
    role = roles.CATALOG_STAFF


FAKE_AREA_CODES = ("312", "773", "872", "630", "847", "217", "618", "309", "815", "708")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    # Fictional 555-01xx numbers, stored as E.164 like every phone the app saves.
    phone_primary = factory.Sequence(
        lambda n: f"+1{FAKE_AREA_CODES[(n // 100) % len(FAKE_AREA_CODES)]}55501{n % 100:02d}"
    )
    city = "Springfield"
    state = "IL"
    zip_code = "62701"
    customer_type = CustomerType.DIY_HOMEOWNER
    preferred_contact_method = ContactMethod.PHONE


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCatalog
        django_get_or_create = ("sku",)

    sku = factory.Sequence(lambda n: f"TST-{n:05d}")
    product_name = factory.Sequence(lambda n: f"Test Porcelain 12x24 Tile {n}")
    product_type = ProductType.TILE
    brand = "Example Tile Co."
    material = "porcelain"
    color = "gray"
    size_length = Decimal("24.00")
    size_width = Decimal("12.00")
    size_thickness = Decimal("0.38")
    coverage_per_box = Decimal("15.50")
    pieces_per_box = 8
    price_retail = Decimal("45.88")
    price_pro = Decimal("41.29")
    unit_of_measure = UnitOfMeasure.BOX
    edge_type = EdgeType.RECTIFIED


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    customer = factory.SubFactory(CustomerFactory)
    project_name = factory.Sequence(lambda n: f"Bathroom remodel {n}")
    installation_method = InstallationMethod.CONTRACTOR
    sales_associate = factory.SubFactory(AssociateFactory)
    total_budget_min = Decimal("5000.00")
    total_budget_max = Decimal("9000.00")
    tile_budget = Decimal("2500.00")
    project_start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectRoom

    project = factory.SubFactory(ProjectFactory)
    room_type = RoomType.MASTER_BATHROOM
    room_name = "Primary bath"
    room_style = "modern"
    room_length_ft = Decimal("10.00")
    room_width_ft = Decimal("8.00")


class SurfaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Surface

    room = factory.SubFactory(RoomFactory)
    surface_type = SurfaceType.FLOOR
    surface_area_sf = Decimal("80.00")
    length_ft = Decimal("10.00")
    width_ft = Decimal("8.00")
    pattern_type = PatternType.STRAIGHT_LAY
    waste_factor = Decimal("0.10")


class SelectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectedProduct

    surface = factory.SubFactory(SurfaceFactory)
    product = factory.SubFactory(ProductFactory)
    product_name = factory.LazyAttribute(lambda s: s.product.product_name)
    product_type = ProductType.TILE
    quantity_needed = Decimal("88.00")
    quantity_ordered = Decimal("6.00")
    unit_of_measure = UnitOfMeasure.BOX
    box_coverage_sf = Decimal("15.50")
    price_per_unit = Decimal("45.88")
    total_price = factory.LazyAttribute(lambda s: (s.quantity_ordered * s.price_per_unit).quantize(Decimal("0.01")))
    selection_status = SelectionStatus.SELECTED


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConversationLog

    project = factory.SubFactory(ProjectFactory)
    sales_associate = factory.SelfAttribute("project.sales_associate")
    conversation_date = factory.LazyFunction(timezone.now)
    interaction_type = InteractionType.INITIAL_INQUIRY
    aos_phase = AosPhase.GREETING


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    project = factory.SubFactory(ProjectFactory)
    quote_number = factory.Sequence(lambda n: f"Q-2026-{n + 1:06d}")
    quote_date = factory.LazyFunction(date.today)
    expiration_date = factory.LazyAttribute(lambda q: q.quote_date + timedelta(days=30))
    subtotal = Decimal("275.28")
    tax_rate = Decimal("0.0825")
    tax_amount = Decimal("22.71")
    delivery_fee = Decimal("0.00")
    total_amount = Decimal("297.99")
    quote_status = QuoteStatus.DRAFT
    sales_associate = factory.SelfAttribute("project.sales_associate")


class MosaicFactory(ProductFactory):
    """A 2x2 in porcelain mosaic on a 12x12 in sheet, sold by the box of 10 sheets."""

    product_name = factory.Sequence(lambda n: f"Test Porcelain 2x2 Mosaic {n}")
    size_length = Decimal("12.00")
    size_width = Decimal("12.00")
    size_thickness = Decimal("0.25")
    coverage_per_box = Decimal("10.00")
    pieces_per_box = 10
    edge_type = EdgeType.PRESSED
    mounting = "sheet"
    chip_length = Decimal("2.00")
    chip_width = Decimal("2.00")
    chip_shape = "square"
    sheet_coverage_sf = Decimal("1.00")
