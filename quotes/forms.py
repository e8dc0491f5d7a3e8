from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from quotes.models import QuoteStatus


class QuoteForm(forms.Form):
    """Tax rate as a percent (8.25 = 8.25 %), delivery fee and instructions; the lines come from
    the project's selected products."""

    tax_rate = forms.DecimalField(
        label="Tax rate (%)", max_digits=6, decimal_places=3, help_text="The store's rate; 0 for tax-exempt customers."
    )
    delivery_fee = forms.DecimalField(
        label="Delivery fee ($)", max_digits=10, decimal_places=2, initial=Decimal("0.00")
    )
    expiration_date = forms.DateField(
        label="Valid until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=f"Blank: {settings.QUOTE_VALIDITY_DAYS} days from today.",
    )
    special_instructions = forms.CharField(
        label="Special instructions", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_rate"].initial = (settings.STORE_TAX_RATE * 100).normalize()

    def clean_tax_rate(self):
        rate = self.cleaned_data["tax_rate"]
        if rate < 0 or rate > 25:
            raise forms.ValidationError("The tax rate must be between 0 and 25 %.")
        return (rate / 100).quantize(Decimal("0.0001"))

    def clean_delivery_fee(self):
        fee = self.cleaned_data["delivery_fee"]
        if fee < 0:
            raise forms.ValidationError("The delivery fee cannot be negative.")
        return fee

    def clean_expiration_date(self):
        date = self.cleaned_data.get("expiration_date")
        if date and date < timezone.localdate():
            raise forms.ValidationError("The expiration date cannot be before the quote date (today).")
        return date


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=QuoteStatus.choices)
    # The quote's version when its page was drawn (aos_crm.concurrency): a stale move is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
