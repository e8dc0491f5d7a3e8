from django.contrib import admin

from conversations.models import ConversationLog


@admin.register(ConversationLog)
class ConversationLogAdmin(admin.ModelAdmin):
    list_display = (
        "conversation_date",
        "customer",
        "interaction_type",
        "aos_phase",
        "aos_score_overall",
        "outcome",
        "sales_associate",
        "next_contact_date",
    )
    list_filter = ("interaction_type", "aos_phase", "outcome", "aos_score_overall", "sales_associate")
    search_fields = ("project__project_name", "project__customer__last_name", "project__customer__email", "next_action")
    list_select_related = ("project__customer", "sales_associate")
    date_hierarchy = "conversation_date"
    raw_id_fields = ("project",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "project",
                    "sales_associate",
                    "conversation_date",
                    "interaction_type",
                    "aos_phase",
                    "closed_at",
                )
            },
        ),
        (
            "AOS scores (1–4)",
            {
                "fields": (
                    ("aos_score_greeting", "aos_score_needs", "aos_score_design"),
                    ("aos_score_close", "aos_score_objection", "aos_score_overall"),
                )
            },
        ),
        ("Outcome", {"fields": ("outcome", "conversation_summary", "next_action", "next_contact_date")}),
    )

    @admin.display(description="Customer", ordering="project__customer__last_name")
    def customer(self, obj):
        return obj.project.customer
