"""Writes to projects, rooms, surfaces and selections. Views validate a form and call one of these;
each runs `full_clean()` before `save()` inside one transaction."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from aos_crm.concurrency import save_versioned
from catalog.models import ProductCatalog
from customers.models import Customer
from projects import estimating
from projects.models import (
    ComplexityLevel,
    ProductType,
    Project,
    ProjectRoom,
    RoomType,
    SelectedProduct,
    SelectionStatus,
    Surface,
    UnitOfMeasure,
)

ROOM_FIELDS = (
    "room_type",
    "room_name",
    "room_style",
    "room_length_ft",
    "room_width_ft",
    "room_height_ft",
    "room_notes",
)
SURFACE_FIELDS = (
    "surface_type",
    "surface_area_sf",
    "length_ft",
    "width_ft",
    "height_ft",
    "pattern_type",
    "complexity_level",
    "waste_factor",
    "obstacles_count",
    "obstacles_description",
    "prep_work_needed",
    "bond_offset_pct",
    "openings",
    "openings_sf",
)
NEEDS_FIELDS = (
    "project_name",
    "installation_method",
    "contractor_name",
    "contractor_phone",
    "contractor_email",
    "designer_name",
    "designer_company",
    "project_start_date",
    "project_completion_date",
    "total_budget_min",
    "total_budget_max",
    "tile_budget",
    "urgency_level",
    "lead_source",
    "notes",
)


def ensure_selections_unlocked(project: Project) -> None:
    """An accepted quote locks the project's products: a change needs a new quote revision first,
    so what the customer accepted never changes silently."""
    from quotes.services import locking_quote

    quote = locking_quote(project)
    if quote is not None:
        raise ValidationError(
            f"Quote {quote.quote_number} was accepted, so this project's products are locked. "
            "Create a new quote revision from the project page before changing them."
        )


def _assign(instance, data: dict, fields: tuple[str, ...]):
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


@transaction.atomic
def project_update_needs(*, project: Project, data: dict, version: int | None = None) -> Project:
    """Phase 2's who/when/how much on the project. `version`: the one the form was loaded from; a
    save since then by someone else raises `StaleEdit` and writes nothing (aos_crm.concurrency)."""
    _assign(project, data, NEEDS_FIELDS)
    project.full_clean()
    save_versioned(project, version=version)
    return project


@transaction.atomic
def room_add(*, project: Project, data: dict) -> ProjectRoom:
    room = ProjectRoom(project=project)
    _assign(room, data, ROOM_FIELDS)
    room.full_clean()
    room.save()
    return room


@transaction.atomic
def room_update(*, room: ProjectRoom, data: dict, version: int | None = None) -> ProjectRoom:
    """`version` as for project_update_needs: a stale save raises `StaleEdit`."""
    _assign(room, data, ROOM_FIELDS)
    room.full_clean()
    save_versioned(room, version=version)
    return room


@transaction.atomic
def room_delete(*, room: ProjectRoom) -> None:
    """A room goes with its surfaces and their selections."""
    ensure_selections_unlocked(room.project)
    room.delete()


def surface_waste_default(
    *, pattern_type: str | None, complexity_level: str | None, tile=None, obstacles: int | None = 0
) -> Decimal:
    """The waste factor a surface starts with: by pattern and complexity, its obstacles (1 % each, at
    most 5 %), and by the tile picked for it once there is one (large format, planks, mosaics)."""
    sized = bool(tile and tile.size_length and tile.size_width)
    return estimating.default_waste_factor(
        pattern_type or "straight_lay",
        complexity_level or "simple",
        tile.size_length if sized else None,
        tile.size_width if sized else None,
        obstacles=obstacles or 0,
        mosaic=bool(tile and tile.is_sheet_mounted),
    )


@transaction.atomic
def surface_add(*, room: ProjectRoom, data: dict) -> Surface:
    surface = Surface(room=room)
    _assign(surface, data, SURFACE_FIELDS)
    if surface.waste_factor is None:
        surface.waste_factor = surface_waste_default(
            pattern_type=surface.pattern_type,
            complexity_level=surface.complexity_level,
            obstacles=surface.obstacles_count,
        )
    surface.full_clean()
    surface.save()
    return surface


@transaction.atomic
def surface_update(*, surface: Surface, data: dict, version: int | None = None) -> Surface:
    """Saves the surface and reprices its tile selections: a new area or waste changes the boxes.
    `version` as for project_update_needs: a stale save raises `StaleEdit` and writes nothing."""
    ensure_selections_unlocked(surface.room.project)
    _assign(surface, data, SURFACE_FIELDS)
    if surface.waste_factor is None:
        surface.waste_factor = surface_waste_default(
            pattern_type=surface.pattern_type,
            complexity_level=surface.complexity_level,
            obstacles=surface.obstacles_count,
        )
    surface.full_clean()
    save_versioned(surface, version=version)
    customer = surface.room.project.customer
    for selection in surface.selections.select_related("product").filter(product_type=ProductType.TILE):
        _compute_line(selection, surface=surface, product=selection.product, customer=customer)
        _check_line_fits(selection)
        selection.full_clean()
        save_versioned(selection)
    return surface


@transaction.atomic
def surface_delete(*, surface: Surface) -> None:
    ensure_selections_unlocked(surface.room.project)
    surface.delete()


LARGEST_AMOUNT = Decimal("99999999.99")  # selected_products' DECIMAL(10,2)


def _check_line_fits(selection: SelectedProduct) -> None:
    """A line too large for its columns is a typing slip (an area or a quantity): say so in words
    instead of the database's "no more than 10 digits"."""
    for value in (selection.quantity_needed, selection.quantity_ordered, selection.total_price):
        if value is not None and abs(value) > LARGEST_AMOUNT:
            raise ValidationError(
                {
                    "quantity_ordered": f"{selection.product_id}: this line would come to more than the largest "
                    f"amount a quote can hold (${LARGEST_AMOUNT:,}). Check the surface's area and the quantity."
                }
            )


def _compute_line(
    selection: SelectedProduct,
    *,
    surface: Surface,
    product: ProductCatalog,
    customer: Customer,
    quantity: Decimal | None = None,
) -> None:
    """Quantity needed, whole units ordered, unit price at the customer's level and the line total.
    Tile sold by the box: needed = area × (1 + waste) sq ft, ordered = whole boxes. Anything else:
    the quantity the associate gave (1 when none). A changed surface recomputes the boxes; the
    associate can then override the boxes ordered with `selection_update`."""
    selection.product_name = product.product_name
    selection.product_type = product.product_type or ProductType.ACCESSORIES
    selection.unit_of_measure = product.unit_of_measure or UnitOfMeasure.PIECE
    selection.price_per_unit = product.price_for(pro=customer.is_pro)
    is_boxed_tile = (
        selection.product_type == ProductType.TILE
        and product.unit_of_measure == UnitOfMeasure.BOX
        and product.coverage_per_box
    )
    if is_boxed_tile:
        estimate = estimating.tile_boxes(
            surface.surface_area_sf, surface.waste_factor or Decimal("0"), product.coverage_per_box
        )
        selection.box_coverage_sf = product.coverage_per_box
        selection.quantity_needed = estimate.sf_to_buy
        selection.quantity_ordered = quantity if quantity is not None else Decimal(estimate.boxes)
    else:
        selection.box_coverage_sf = None
        if quantity is not None:
            selection.quantity_ordered = quantity
        if selection.quantity_ordered is None:
            selection.quantity_ordered = Decimal("1")
        selection.quantity_needed = selection.quantity_ordered
    price = selection.price_per_unit if selection.price_per_unit is not None else Decimal("0")
    selection.total_price = estimating.line_total(selection.quantity_ordered, price)


@transaction.atomic
@transaction.atomic
def estimate_carry(*, project: Project, data: dict) -> Surface:
    """A quick estimate carried into a new conversation: its surface (type, area, pattern) as the
    project's first room and surface, and its tile, when it came from the catalog, as a considered
    selection there. `data` is `projects.forms.EstimateCarryForm`'s cleaned data."""
    room = room_add(project=project, data={"room_name": "From the quick estimate", "room_type": RoomType.OTHER})
    surface = surface_add(
        room=room,
        data={
            "surface_type": data["surface_type"],
            "surface_area_sf": data["area_sf"],
            "pattern_type": data["pattern_type"],
            "complexity_level": ComplexityLevel.SIMPLE,
            "obstacles_count": 0,
        },
    )
    if data.get("tile") is not None:
        selection_add(surface=surface, product=data["tile"], selection_status=SelectionStatus.CONSIDERED)
    return surface


def selection_add(
    *,
    surface: Surface,
    product: ProductCatalog,
    selection_status: str = SelectionStatus.CONSIDERED,
    quantity: Decimal | None = None,
) -> SelectedProduct:
    """Adds a catalog product to a surface with its quantities and price computed."""
    if product.discontinued:
        raise ValueError(f"{product.sku} is discontinued and can't be newly selected.")
    ensure_selections_unlocked(surface.room.project)
    customer = surface.room.project.customer
    selection = SelectedProduct(surface=surface, product=product, selection_status=selection_status)
    _compute_line(selection, surface=surface, product=product, customer=customer, quantity=quantity)
    _check_line_fits(selection)
    selection.full_clean()
    selection.save()
    return selection


@transaction.atomic
def selection_update(
    *,
    selection: SelectedProduct,
    selection_status: str | None = None,
    quantity_ordered: Decimal | None = None,
    version: int | None = None,
) -> SelectedProduct:
    """Changes the status or the quantity ordered; the line total follows. `version` as for
    project_update_needs: a stale save raises `StaleEdit` and writes nothing."""
    ensure_selections_unlocked(selection.surface.room.project)
    if selection_status:
        selection.selection_status = selection_status
    if quantity_ordered is not None:
        selection.quantity_ordered = quantity_ordered
    price = selection.price_per_unit if selection.price_per_unit is not None else Decimal("0")
    selection.total_price = estimating.line_total(selection.quantity_ordered or Decimal("0"), price)
    _check_line_fits(selection)
    selection.full_clean()
    save_versioned(selection, version=version)
    return selection


@transaction.atomic
def selection_delete(*, selection: SelectedProduct) -> None:
    ensure_selections_unlocked(selection.surface.room.project)
    selection.delete()


@transaction.atomic
def surface_kit_inputs_save(
    *, surface: Surface, joint_width_in: Decimal | None, trim_linear_ft: Decimal | None
) -> Surface:
    """Keeps the kit's grout joint and trim length on the surface, so a reload (or a colleague
    opening the conversation) sees what was typed, whether or not the kit was added."""
    surface.grout_joint_in = joint_width_in
    surface.trim_linear_ft = trim_linear_ft or None
    surface.full_clean()
    save_versioned(surface, fields=["grout_joint_in", "trim_linear_ft", "updated_at"])
    return surface


@transaction.atomic
def kit_add(*, surface: Surface, lines, keep_both: bool = False) -> list[SelectedProduct]:
    """Adds the setting-materials kit lines (projects.kit.KitLine) as selected products, with the
    kit's quantities and the customer's prices; all or nothing. A line replaces what the surface
    already holds in its role (its thinset, grout, membrane, spacers or trim), so adding the kit
    again after changing the joint leaves one grout, not sanded and unsanded; `keep_both` keeps
    the existing ones beside the new lines."""
    from projects.kit import ROLE_TYPES

    if not lines:
        return []
    ensure_selections_unlocked(surface.room.project)
    if not keep_both:
        replaced = {ROLE_TYPES[line.role] for line in lines}
        SelectedProduct.objects.filter(surface=surface, product_type__in=replaced).delete()
    return [
        selection_add(
            surface=surface,
            product=line.product,
            selection_status=SelectionStatus.SELECTED,
            quantity=Decimal(line.quantity),
        )
        for line in lines
    ]
