from django.conf import settings
from django.db import migrations, models


def retire_extra_accepted(apps, schema_editor):
    """Before the index: where a project already holds several accepted quotes, the newest stays
    accepted and the older ones are retired as superseded by it."""
    Quote = apps.get_model("quotes", "Quote")
    newest = {}
    for quote in Quote.objects.filter(quote_status="accepted").order_by("project_id", "-created_at", "-quote_number"):
        keeper = newest.setdefault(quote.project_id, quote)
        if keeper.pk != quote.pk:
            quote.quote_status = "rejected"
            quote.status_reason = f"Superseded by {keeper.quote_number}"
            quote.save(update_fields=["quote_status", "status_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("quotes", "0003_counter_and_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="status_reason",
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.RunPython(retire_extra_accepted, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="quote",
            constraint=models.UniqueConstraint(
                condition=models.Q(("quote_status", "accepted")),
                fields=("project",),
                name="quotes_one_accepted_per_project",
                violation_error_message="This project already has an accepted quote.",
            ),
        ),
    ]
