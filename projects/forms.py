from decimal import Decimal

from django import forms

from aos_crm.concurrency import VersionedForm
from catalog.models import ProductCatalog
from projects import estimating
from projects.models import PatternType, Project, ProjectRoom, SelectionStatus, Surface, SurfaceType

WALL_TYPES = {
    SurfaceType.BACKSPLASH,
    SurfaceType.SHOWER_WALLS,
    SurfaceType.TUB_SURROUND,
    SurfaceType.ACCENT_WALL,
    SurfaceType.FIREPLACE,
    SurfaceType.WAINSCOTING,
    SurfaceType.EXTERIOR_WALL,
}
_HUNDRED = Decimal("100")


def as_percent(fraction: Decimal) -> Decimal:
    """0.20 → 20 and 0.125 → 12.5, never 2E+1: a waste fraction as the percent the form shows."""
    value = fraction * _HUNDRED
    return value.quantize(Decimal("1")) if value == value.to_integral_value() else value.normalize()


class PlainNumberMessages:
    """Number fields speak an associate's language instead of Django's ("Ensure that there are no
    more than 10 digits in total"): too large, too many decimals, not a number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                places = field.decimal_places or 0
                whole = (field.max_digits or 12) - places
                largest = f"{Decimal(10) ** whole - Decimal(10) ** -places:,.{places}f}"
                too_large = f"That number is too large: check it (this field takes at most {largest})."
                if field.error_messages.get("invalid") == forms.DecimalField.default_error_messages["invalid"]:
                    field.error_messages["invalid"] = "Type a number, like 12 or 12.5."
                field.error_messages.update(
                    {
                        "max_digits": too_large,
                        "max_whole_digits": too_large,
                        "max_decimal_places": f"Use at most {places} digits after the decimal point.",
                    }
                )
            elif isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = "Type a whole number, like 3."
            if isinstance(field, forms.DecimalField | forms.IntegerField):
                field.error_messages["min_value"] = (
                    "Can't be negative." if field.min_value == 0 else "Must be %(limit_value)s or more."
                )
                field.error_messages["max_value"] = "Must be %(limit_value)s or less."


class RoomForm(VersionedForm, PlainNumberMessages, forms.ModelForm):
    class Meta:
        model = ProjectRoom
        fields = (
            "room_type",
            "room_name",
            "room_style",
            "room_length_ft",
            "room_width_ft",
            "room_height_ft",
            "room_notes",
        )
        labels = {
            "room_name": "Name",
            "room_type": "Room type",
            "room_style": "Style",
            "room_length_ft": "Length (ft)",
            "room_width_ft": "Width (ft)",
            "room_height_ft": "Height (ft)",
            "room_notes": "Notes",
        }
        widgets = {
            "room_notes": forms.TextInput(attrs={"placeholder": "what they mentioned"}),
            "room_style": forms.TextInput(attrs={"list": "room-styles", "placeholder": "modern, farmhouse…"}),
            "room_name": forms.TextInput(attrs={"placeholder": "e.g. Primary bath"}),
        }

    def clean(self):
        data = super().clean()
        for name in ("room_length_ft", "room_width_ft", "room_height_ft"):
            value = data.get(name)
            if value is not None and value <= 0:
                self.add_error(name, "Must be more than zero feet.")
        return data


class SurfaceForm(VersionedForm, PlainNumberMessages, forms.ModelForm):
    """Area typed, or computed from length × width (floors) or width × height (walls). The waste
    factor is entered as a percent and stored as a fraction; left blank it comes from the pattern."""

    surface_area_sf = forms.DecimalField(
        label="Area (sq ft)", required=False, max_digits=10, decimal_places=2, help_text="Or give length × width."
    )
    waste_factor = forms.DecimalField(
        label="Waste %",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("99"),
        help_text="Blank: pattern default.",
    )

    bond_offset = forms.ChoiceField(
        label="Running-bond offset",
        required=False,
        choices=[("", "—"), ("50", "½ (half)"), ("33", "⅓ (third)"), ("other", "Other")],
        help_text="Brick pattern only.",
    )
    bond_offset_pct = forms.DecimalField(
        label="Offset % (other)",
        required=False,
        max_digits=5,
        decimal_places=2,
        error_messages={"invalid": "Type the offset as a percent of the tile length, e.g. 25."},
    )

    openings = forms.CharField(
        label="Openings (in)",
        required=False,
        max_length=500,
        help_text="Walls: doors, windows, niches as width x height, e.g. 36x80, 24x36; taken off width × height.",
        widget=forms.TextInput(attrs={"placeholder": "36x80, 24x36"}),
    )

    class Meta:
        model = Surface
        fields = (
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
        )
        labels = {
            "surface_type": "Surface",
            "length_ft": "Length (ft)",
            "width_ft": "Width (ft)",
            "height_ft": "Height (ft)",
            "pattern_type": "Pattern",
            "complexity_level": "Complexity",
            "obstacles_count": "Obstacles",
            "obstacles_description": "Obstacles (what)",
            "prep_work_needed": "Prep work",
        }
        widgets = {
            "obstacles_description": forms.TextInput(attrs={"placeholder": "toilet flange, vanity, floor vent…"}),
            "prep_work_needed": forms.TextInput(attrs={"placeholder": "remove carpet, self-leveler…"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding and self.instance.waste_factor is not None and not self.is_bound:
            self.initial["waste_factor"] = as_percent(self.instance.waste_factor)
        offset = self.instance.bond_offset_pct
        if offset is not None and not self.is_bound:
            preset = f"{offset.normalize():f}"
            self.initial["bond_offset"] = preset if preset in ("50", "33") else "other"
            self.initial["bond_offset_pct"] = None if preset in ("50", "33") else offset.normalize()
        self.fields["obstacles_count"].required = False
        self.fields["pattern_type"].required = False
        self.fields["complexity_level"].required = False

    def _clean_openings(self, data) -> Decimal | None:
        """The openings' square feet (0 without any), or None after adding the field's error.
        Openings are for walls, and are taken off the wall's width × height, not off a typed area
        (that one is already the tiled area)."""
        text = (data.get("openings") or "").strip()
        data["openings"] = text or None
        data["openings_sf"] = None
        if not text:
            return Decimal("0")
        if data.get("surface_type") not in WALL_TYPES:
            self.add_error("openings", "Openings are taken off walls only: leave this empty for this surface.")
            return None
        try:
            openings_sf = estimating.openings_area_sf(estimating.parse_openings(text))
        except ValueError as error:
            self.add_error("openings", str(error))
            return None
        data["openings_sf"] = openings_sf
        if data.get("surface_area_sf") is None and not (data.get("width_ft") and data.get("height_ft")):
            self.add_error("openings", "Give the wall's width and height: the openings are taken off them.")
            return None
        return openings_sf

    def _clean_bond_offset(self, data):
        """The offset counts for a brick pattern only: ½ and ⅓ are 50 and 33 %, "other" takes the
        percent typed."""
        choice = data.get("bond_offset") or ""
        if data.get("pattern_type") != "brick_pattern" or not choice:
            data["bond_offset_pct"] = None
        elif choice != "other":
            data["bond_offset_pct"] = Decimal(choice)
        elif data.get("bond_offset_pct") is None:
            self.add_error("bond_offset_pct", "Type the offset as a percent of the tile length, e.g. 25.")
        elif not Decimal("0") <= data["bond_offset_pct"] <= Decimal("100"):
            self.add_error("bond_offset_pct", "The offset is a percent of the tile length, from 0 to 100.")

    def clean(self):
        data = super().clean()
        for name in ("length_ft", "width_ft", "height_ft"):
            value = data.get(name)
            if value is not None and value <= 0:
                self.add_error(name, "Must be more than zero feet.")
        if self.errors:
            return data
        area = data.get("surface_area_sf")
        length, width, height = data.get("length_ft"), data.get("width_ft"), data.get("height_ft")
        openings_sf = self._clean_openings(data)
        if openings_sf is None:
            return data
        if area is None:
            if data.get("surface_type") in WALL_TYPES and width and height:
                area = width * height - openings_sf
                if area <= 0:
                    self.add_error(
                        "openings", "The openings cover the whole wall: check them, or the width and height."
                    )
                    return data
            elif length and width:
                area = length * width
            elif width and height:
                area = width * height
            else:
                self.add_error("surface_area_sf", "Enter the area, or the length and width.")
                return data
            data["surface_area_sf"] = area.quantize(Decimal("0.01"))
        if data["surface_area_sf"] <= 0:
            self.add_error("surface_area_sf", "The area must be more than zero square feet.")
        if data.get("obstacles_count") is None:
            data["obstacles_count"] = 0
        self._clean_bond_offset(data)
        if data.get("obstacles_count", 0) < 0:
            self.add_error("obstacles_count", "Cannot be negative.")
        waste = data.get("waste_factor")
        if waste is not None and waste != waste.to_integral_value():
            # The seed keeps waste as a fraction with two decimals: 12.5 % cannot be stored as typed.
            self.add_error("waste_factor", "Waste is kept in whole percents: use 12 or 13, not 12.5.")
            return data
        data["waste_factor"] = None if waste is None else waste / _HUNDRED
        return data

    def _post_clean(self):
        # Model validation would run on the percent; the service validates the stored fraction.
        pass


class NeedsForm(VersionedForm, PlainNumberMessages, forms.ModelForm):
    """Phase 2's who, when and how much."""

    class Meta:
        model = Project
        fields = (
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
        labels = {
            "project_name": "Project name",
            "installation_method": "Who installs",
            "project_start_date": "Start date",
            "project_completion_date": "Completion date",
            "total_budget_min": "Budget from ($)",
            "total_budget_max": "Budget up to ($)",
            "tile_budget": "Tile budget ($)",
            "urgency_level": "Urgency",
            "lead_source": "How they found us",
            "notes": "Project notes",
        }
        widgets = {
            "project_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "project_completion_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "lead_source": forms.TextInput(attrs={"list": "lead-sources"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urgency_level"].required = False

    def clean(self):
        data = super().clean()
        for name in ("total_budget_min", "total_budget_max", "tile_budget"):
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, "Cannot be negative.")
        low, high = data.get("total_budget_min"), data.get("total_budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("total_budget_max", "The budget's upper end must be at least its lower end.")
        start, end = data.get("project_start_date"), data.get("project_completion_date")
        if start and end and end < start:
            self.add_error("project_completion_date", "The completion date cannot be before the start date.")
        return data

    def _post_clean(self):
        # The rules above give the messages next to the fields; the service's full_clean() and the
        # database constraints back them when it saves cleaned_data.
        pass


class SelectionAddForm(PlainNumberMessages, forms.Form):
    product_sku = forms.CharField(label="SKU", max_length=50)
    selection_status = forms.ChoiceField(
        choices=[(SelectionStatus.CONSIDERED, "Considered"), (SelectionStatus.SELECTED, "Selected")],
        initial=SelectionStatus.CONSIDERED,
        required=False,
    )
    quantity_ordered = forms.DecimalField(
        label="Quantity", required=False, min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )

    def clean_product_sku(self):
        sku = self.cleaned_data["product_sku"].strip()
        product = ProductCatalog.objects.lookup(sku)
        if product is None:
            raise forms.ValidationError(f"No product with SKU “{sku}” in the catalog.")
        if product.discontinued:
            raise forms.ValidationError(f"{product.sku} is discontinued and can't be newly selected.")
        self.cleaned_data["product"] = product
        return product.sku

    def clean_selection_status(self):
        return self.cleaned_data.get("selection_status") or SelectionStatus.CONSIDERED


class SelectionUpdateForm(VersionedForm, PlainNumberMessages, forms.Form):
    selection_status = forms.ChoiceField(label="Status", choices=SelectionStatus.choices, required=False)
    quantity_ordered = forms.DecimalField(
        label="Quantity", required=False, min_value=Decimal("0"), max_digits=10, decimal_places=2
    )

    @classmethod
    def for_instance(cls, selection):
        """The form as the design page shows `selection` (its quantity and status)."""
        form = cls(
            initial={"selection_status": selection.selection_status, "quantity_ordered": selection.quantity_ordered},
            auto_id=f"selection-{selection.pk}-%s",
        )
        form.add_version_fields(selection)
        return form


class KitForm(PlainNumberMessages, forms.Form):
    """The inputs of the setting-materials kit: the grout joint and the trimmed edges."""

    joint_width = forms.CharField(
        label="Grout joint (in)", max_length=12, help_text="e.g. 1/8 or 3/16", widget=forms.TextInput(attrs={"size": 6})
    )
    trim_linear_ft = forms.DecimalField(
        label="Trim (linear ft)", required=False, min_value=Decimal("0"), max_digits=8, decimal_places=2
    )
    role = forms.MultipleChoiceField(
        required=False,
        choices=[(r, r) for r in ("thinset", "grout", "membrane", "waterproofing", "spacers", "trim")],
        widget=forms.CheckboxSelectMultiple,
    )
    keep_both = forms.BooleanField(
        label="Keep both: add beside what the surface already has instead of replacing it", required=False
    )

    def clean_joint_width(self):
        from projects.estimating import parse_fraction

        text = self.cleaned_data["joint_width"]
        try:
            joint = parse_fraction(text)
        except ValueError:
            raise forms.ValidationError("Give the joint like 1/8 or 0.125 (inches).") from None
        if joint <= 0 or joint > 1:
            raise forms.ValidationError("A grout joint is more than 0 and at most 1 inch.")
        return joint

    def clean_trim_linear_ft(self):
        return self.cleaned_data.get("trim_linear_ft") or Decimal("0")


class QuickEstimateForm(PlainNumberMessages, forms.Form):
    """The quick estimate's questions (GET): a tile by SKU or a typed size, the area (or two sides),
    the pattern, the surface and the joint. `clean()` leaves `tile` (a catalog product, or an unsaved
    one for the typed size) and `area_sf` in cleaned_data."""

    sku = forms.CharField(label="Tile SKU", required=False, max_length=50, help_text="Or search, or type a size.")
    tile_length_in = forms.DecimalField(label="Tile length (in)", required=False, max_digits=6, decimal_places=2)
    tile_width_in = forms.DecimalField(label="Tile width (in)", required=False, max_digits=6, decimal_places=2)
    tile_thickness_in = forms.DecimalField(
        label="Thickness (in)", required=False, max_digits=6, decimal_places=3, help_text="For the grout."
    )
    coverage_per_box = forms.DecimalField(
        label="Sq ft per box", required=False, max_digits=8, decimal_places=2, help_text="For the boxes."
    )
    area_sf = forms.DecimalField(label="Area (sq ft)", required=False, max_digits=10, decimal_places=2)
    length_ft = forms.DecimalField(
        label="Length (ft)", required=False, max_digits=8, decimal_places=2, help_text="Walls: the width."
    )
    width_ft = forms.DecimalField(
        label="Width (ft)", required=False, max_digits=8, decimal_places=2, help_text="Walls: the height."
    )
    pattern_type = forms.ChoiceField(label="Pattern", choices=PatternType.choices, initial=PatternType.STRAIGHT_LAY)
    surface_type = forms.ChoiceField(label="Surface", choices=SurfaceType.choices, initial=SurfaceType.FLOOR)
    joint_width = forms.CharField(label="Grout joint (in)", max_length=12, initial="1/8", help_text="e.g. 1/16, 1/8")
    obstacles = forms.IntegerField(label="Obstacles", required=False, min_value=0, max_value=1000)
    price_level = forms.ChoiceField(
        label="Prices", choices=[("retail", "Retail"), ("pro", "Pro")], initial="retail", required=False
    )

    def clean_joint_width(self):
        text = self.cleaned_data["joint_width"]
        try:
            joint = estimating.parse_fraction(text)
        except ValueError:
            raise forms.ValidationError("Write the joint like 1/8, 3/16 or 0.125 (inches).") from None
        if not Decimal("0") < joint <= Decimal("1"):
            raise forms.ValidationError("A grout joint is more than 0 and at most 1 inch.")
        return joint

    def clean(self):
        data = super().clean()
        for name in ("tile_length_in", "tile_width_in", "tile_thickness_in", "coverage_per_box", "area_sf",
                     "length_ft", "width_ft"):  # fmt: skip
            value = data.get(name)
            if value is not None and value <= 0:
                self.add_error(name, "Must be more than zero.")
        if self.errors:
            return data
        sku = (data.get("sku") or "").strip()
        if sku:
            tile = ProductCatalog.objects.lookup(sku)
            if tile is None:
                self.add_error("sku", f"No product with SKU {sku}: search for it, or type the tile's size.")
            elif not (tile.size_length and tile.size_width):
                self.add_error("sku", f"{tile.sku} has no size in the catalog: type the tile's size instead.")
            else:
                data["tile"] = tile
        elif data.get("tile_length_in") and data.get("tile_width_in"):
            from projects.quick_estimate import typed_tile

            data["tile"] = typed_tile(
                length_in=data["tile_length_in"],
                width_in=data["tile_width_in"],
                thickness_in=data.get("tile_thickness_in"),
                coverage_per_box_sf=data.get("coverage_per_box"),
            )
        else:
            self.add_error("sku", "Pick a tile by SKU, or type its length and width.")
        area, length, width = data.get("area_sf"), data.get("length_ft"), data.get("width_ft")
        if area is None:
            if length and width:
                data["area_sf"] = (length * width).quantize(Decimal("0.01"))
            else:
                self.add_error("area_sf", "Enter the area, or the length and width.")
        if data.get("area_sf") is not None and data["area_sf"] <= 0:
            self.add_error("area_sf", "The area must be more than zero square feet.")
        return data


class EstimateCarryForm(forms.Form):
    """What a quick estimate hands to a new conversation (prefix `estimate`): the tile by SKU, the
    area, the pattern and the surface. Carried as hidden fields through phase 1; anything unreadable
    is simply not carried."""

    sku = forms.CharField(required=False, max_length=50)
    area_sf = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    pattern_type = forms.ChoiceField(choices=PatternType.choices)
    surface_type = forms.ChoiceField(choices=SurfaceType.choices)

    def clean(self):
        data = super().clean()
        sku = (data.get("sku") or "").strip()
        data["tile"] = ProductCatalog.objects.lookup(sku) if sku else None
        return data

    def hidden(self) -> list[tuple[str, str]]:
        """(name, value) of each carried field, for hidden inputs in phase 1's form."""
        return [(self.add_prefix(name), str(self.data.get(self.add_prefix(name), ""))) for name in self.fields]

    def summary(self) -> str:
        data = self.cleaned_data
        tile = f"{data['tile'].sku}, " if data.get("tile") else ""
        surface = SurfaceType(data["surface_type"]).label.lower()
        return (
            f"{tile}{data['area_sf'].normalize():f} sq ft, {surface}, {PatternType(data['pattern_type']).label.lower()}"
        )
