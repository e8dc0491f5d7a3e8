"""State only: the unmanaged read models of the archive tables (their db_table depends on the
database: `archive"."x` on PostgreSQL, `archive_x` on SQLite)."""

import aos_crm.db
import django.db.models.functions.datetime
import django.utils.timezone
import uuid
from decimal import Decimal
from django.db import migrations, models

from archive import tables


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("archive", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArchivedConversation",
            fields=[
                (
                    "log_id",
                    models.UUIDField(
                        db_default=aos_crm.db.GenRandomUUID(),
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "conversation_date",
                    models.DateTimeField(
                        blank=True,
                        db_default=django.db.models.functions.datetime.Now(),
                        default=django.utils.timezone.now,
                        null=True,
                    ),
                ),
                (
                    "interaction_type",
                    models.CharField(
                        choices=[
                            ("initial_inquiry", "Initial inquiry"),
                            ("followup", "Follow-up"),
                            ("quote_review", "Quote review"),
                            ("order_placement", "Order placement"),
                            ("support", "Support"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "aos_phase",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("greeting", "Greeting"),
                            ("credibility", "Credibility"),
                            ("needs_assessment", "Needs assessment"),
                            ("design_details", "Design & details"),
                            ("close", "Close"),
                            ("objection_handling", "Objection handling"),
                            ("negotiation", "Negotiation"),
                            ("followup", "Follow-up"),
                        ],
                        max_length=20,
                        null=True,
                    ),
                ),
                ("aos_score_greeting", models.IntegerField(blank=True, null=True, verbose_name="greeting score")),
                ("aos_score_needs", models.IntegerField(blank=True, null=True, verbose_name="needs score")),
                ("aos_score_design", models.IntegerField(blank=True, null=True, verbose_name="design score")),
                ("aos_score_close", models.IntegerField(blank=True, null=True, verbose_name="close score")),
                (
                    "aos_score_objection",
                    models.IntegerField(blank=True, null=True, verbose_name="objection handling score"),
                ),
                ("aos_score_overall", models.IntegerField(blank=True, null=True, verbose_name="overall score")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("information_gathered", "Information gathered"),
                            ("quote_requested", "Quote requested"),
                            ("order_placed", "Order placed"),
                            ("follow_up_scheduled", "Follow-up scheduled"),
                            ("lost", "Lost"),
                        ],
                        max_length=24,
                        null=True,
                    ),
                ),
                ("conversation_summary", models.TextField(blank=True, null=True)),
                ("next_action", models.CharField(blank=True, max_length=255, null=True)),
                ("next_contact_date", models.DateField(blank=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "completeness_greeting",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="0–1: how much of the greeting checklist was captured, written when the wizard moves or closes.",
                        max_digits=3,
                        null=True,
                        verbose_name="greeting completeness",
                    ),
                ),
                (
                    "completeness_needs",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="0–1: how much of the needs checklist was captured, written when the wizard moves or closes.",
                        max_digits=3,
                        null=True,
                        verbose_name="needs completeness",
                    ),
                ),
                (
                    "completeness_design",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="0–1: how much of the design checklist was captured, written when the wizard moves or closes.",
                        max_digits=3,
                        null=True,
                        verbose_name="design completeness",
                    ),
                ),
                (
                    "completeness_close",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="0–1: how much of the close checklist was captured, written when the wizard moves or closes.",
                        max_digits=3,
                        null=True,
                        verbose_name="close completeness",
                    ),
                ),
                ("superseded", models.BooleanField(db_default=False, default=False, editable=False)),
                (
                    "scored_as",
                    models.CharField(
                        blank=True,
                        choices=[("manager", "Manager"), ("self", "Self-assessment")],
                        max_length=10,
                        null=True,
                    ),
                ),
                ("scored_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "archived conversation",
                "db_table": tables.archive_table("conversation_log"),
                "ordering": ["-conversation_date"],
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="ArchivedQuote",
            fields=[
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "quote_id",
                    models.UUIDField(
                        db_default=aos_crm.db.GenRandomUUID(),
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("quote_number", models.CharField(max_length=50, unique=True)),
                ("quote_date", models.DateField()),
                ("expiration_date", models.DateField(blank=True, null=True)),
                ("subtotal", models.DecimalField(decimal_places=2, max_digits=10)),
                (
                    "tax_amount",
                    models.DecimalField(
                        blank=True, db_default=0, decimal_places=2, default=0, max_digits=10, null=True
                    ),
                ),
                (
                    "delivery_fee",
                    models.DecimalField(
                        blank=True, db_default=0, decimal_places=2, default=0, max_digits=10, null=True
                    ),
                ),
                ("total_amount", models.DecimalField(decimal_places=2, max_digits=10)),
                (
                    "quote_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("draft", "Draft"),
                            ("sent", "Sent"),
                            ("accepted", "Accepted"),
                            ("rejected", "Rejected"),
                            ("expired", "Expired"),
                        ],
                        db_default="draft",
                        default="draft",
                        max_length=10,
                        null=True,
                    ),
                ),
                ("special_instructions", models.TextField(blank=True, null=True)),
                ("tax_rate", models.DecimalField(db_default=0, decimal_places=4, default=0, max_digits=5)),
                (
                    "lines",
                    models.JSONField(
                        blank=True, db_default=models.Value([], output_field=models.JSONField()), default=list
                    ),
                ),
                ("revision_of", models.CharField(blank=True, max_length=50, null=True)),
                ("status_reason", models.CharField(blank=True, max_length=200, null=True)),
            ],
            options={
                "verbose_name": "archived quote",
                "db_table": tables.archive_table("quotes"),
                "ordering": ["-quote_date", "-created_at"],
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="ArchivedRoom",
            fields=[
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "room_id",
                    models.UUIDField(
                        db_default=aos_crm.db.GenRandomUUID(),
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("room_name", models.CharField(blank=True, max_length=100, null=True)),
                (
                    "room_type",
                    models.CharField(
                        choices=[
                            ("kitchen", "Kitchen"),
                            ("bathroom", "Bathroom"),
                            ("master_bathroom", "Primary bathroom"),
                            ("guest_bathroom", "Guest bathroom"),
                            ("powder_room", "Powder room"),
                            ("laundry_room", "Laundry room"),
                            ("mudroom", "Mudroom"),
                            ("entryway", "Entryway"),
                            ("living_room", "Living room"),
                            ("dining_room", "Dining room"),
                            ("bedroom", "Bedroom"),
                            ("basement", "Basement"),
                            ("outdoor", "Outdoor"),
                            ("commercial", "Commercial"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                ("room_style", models.CharField(blank=True, max_length=100, null=True)),
                ("room_length_ft", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                ("room_width_ft", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                ("room_height_ft", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                ("room_notes", models.TextField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "archived project room",
                "db_table": tables.archive_table("project_rooms"),
                "ordering": ["created_at", "room_id"],
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="ArchivedSelection",
            fields=[
                (
                    "selection_id",
                    models.UUIDField(
                        db_default=aos_crm.db.GenRandomUUID(),
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("product_name", models.CharField(blank=True, max_length=255, null=True)),
                (
                    "product_type",
                    models.CharField(
                        choices=[
                            ("tile", "Tile"),
                            ("trim", "Trim"),
                            ("grout", "Grout"),
                            ("adhesive", "Adhesive / thinset"),
                            ("underlayment", "Underlayment / membrane"),
                            ("sealant", "Sealant"),
                            ("caulk", "Caulk"),
                            ("spacers", "Spacers"),
                            ("tools", "Tools"),
                            ("accessories", "Accessories"),
                        ],
                        max_length=20,
                    ),
                ),
                ("quantity_needed", models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                ("quantity_ordered", models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                (
                    "unit_of_measure",
                    models.CharField(
                        choices=[
                            ("sf", "sq ft"),
                            ("box", "box"),
                            ("linear_ft", "linear ft"),
                            ("piece", "piece"),
                            ("bag", "bag"),
                            ("tube", "tube"),
                            ("gallon", "gallon"),
                        ],
                        max_length=10,
                    ),
                ),
                ("box_coverage_sf", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                ("price_per_unit", models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                ("total_price", models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                (
                    "selection_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("considered", "Considered"),
                            ("selected", "Selected"),
                            ("ordered", "Ordered"),
                            ("delivered", "Delivered"),
                        ],
                        db_default="considered",
                        default="considered",
                        max_length=12,
                        null=True,
                    ),
                ),
                (
                    "selection_date",
                    models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now()),
                ),
                ("notes", models.TextField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "archived selected product",
                "db_table": tables.archive_table("selected_products"),
                "ordering": ["selection_date", "selection_id"],
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="ArchivedSurface",
            fields=[
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "surface_id",
                    models.UUIDField(
                        db_default=aos_crm.db.GenRandomUUID(),
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "surface_type",
                    models.CharField(
                        choices=[
                            ("floor", "Floor"),
                            ("backsplash", "Backsplash"),
                            ("shower_walls", "Shower walls"),
                            ("shower_floor", "Shower floor"),
                            ("tub_surround", "Tub surround"),
                            ("accent_wall", "Accent wall"),
                            ("fireplace", "Fireplace"),
                            ("countertop", "Countertop"),
                            ("wainscoting", "Wainscoting"),
                            ("ceiling", "Ceiling"),
                            ("exterior_wall", "Exterior wall"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                ("surface_area_sf", models.DecimalField(decimal_places=2, max_digits=10)),
                ("length_ft", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                ("width_ft", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                ("height_ft", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                (
                    "pattern_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("straight_lay", "Straight lay"),
                            ("brick_pattern", "Brick (running bond)"),
                            ("herringbone", "Herringbone"),
                            ("diagonal", "Diagonal"),
                            ("basket_weave", "Basket weave"),
                            ("chevron", "Chevron"),
                            ("versailles", "Versailles"),
                            ("pinwheel", "Pinwheel"),
                            ("other", "Other"),
                        ],
                        db_default="straight_lay",
                        default="straight_lay",
                        max_length=20,
                        null=True,
                    ),
                ),
                (
                    "complexity_level",
                    models.CharField(
                        blank=True,
                        choices=[("simple", "Simple"), ("moderate", "Moderate"), ("complex", "Complex")],
                        db_default="simple",
                        default="simple",
                        max_length=10,
                        null=True,
                    ),
                ),
                (
                    "waste_factor",
                    models.DecimalField(
                        blank=True,
                        db_default=Decimal("0.10"),
                        decimal_places=2,
                        default=Decimal("0.10"),
                        max_digits=4,
                        null=True,
                    ),
                ),
                ("obstacles_count", models.IntegerField(blank=True, db_default=0, default=0, null=True)),
                ("obstacles_description", models.TextField(blank=True, null=True)),
                ("prep_work_needed", models.TextField(blank=True, null=True)),
                ("grout_joint_in", models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True)),
                ("trim_linear_ft", models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True)),
                ("bond_offset_pct", models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True)),
            ],
            options={
                "verbose_name": "archived surface",
                "db_table": tables.archive_table("surfaces"),
                "ordering": ["created_at", "surface_id"],
                "managed": False,
            },
        ),
    ]
