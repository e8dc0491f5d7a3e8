from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from aos_crm.concurrency import VersionedForm
from conversations.models import SCORE_FIELDS, ConversationLog, InteractionType, Outcome
from customers import phones
from customers.models import PRO_TYPES, Customer
from projects.models import InstallationMethod

SCORE_CHOICES = [(1, "1"), (2, "2"), (3, "3"), (4, "4")]


class CustomerForm(VersionedForm, forms.ModelForm):
    """Phase 1's customer. A second record for the same email is refused here, case-insensitively,
    with the existing customer named; the database's unique index backs it."""

    class Meta:
        model = Customer
        fields = (
            "first_name",
            "last_name",
            "email",
            "phone_primary",
            "phone_secondary",
            "customer_type",
            "pro_account_number",
            "preferred_contact_method",
            "marketing_opt_in",
        )
        labels = {
            "phone_primary": "Phone",
            "phone_secondary": "Other phone",
            "customer_type": "Customer type",
            "pro_account_number": "Pro account #",
            "preferred_contact_method": "Prefers",
            "marketing_opt_in": "OK to send offers",
        }
        widgets = {
            "phone_primary": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "phone_secondary": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_contact_method"].required = False
        for name in ("phone_primary", "phone_secondary"):
            # Typed in any format, kept as E.164: shown back in the store's national format.
            field = self.fields[name]
            field.max_length = 40
            field.widget.attrs["maxlength"] = 40
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            if self.instance.pk and getattr(self.instance, name):
                self.initial[name] = phones.display(getattr(self.instance, name), settings.PHONE_REGION)

    def _clean_phone(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        try:
            return phones.canonical(value, settings.PHONE_REGION)
        except phones.PhoneError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone_primary(self):
        return self._clean_phone("phone_primary")

    def clean_phone_secondary(self):
        return self._clean_phone("phone_secondary")

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip() or None
        if email:
            clash = Customer.objects.filter(email__iexact=email)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            other = clash.first()
            if other:
                raise forms.ValidationError(f"{other.full_name} already has this email. Use that customer instead.")
        return email

    def clean(self):
        data = super().clean()
        if data.get("customer_type") not in PRO_TYPES and data.get("pro_account_number"):
            self.add_error("pro_account_number", "Only contractors, designers and builders hold a pro account.")
        if not data.get("phone_primary") and not data.get("email") and "phone_primary" not in self.errors:
            self.add_error("phone_primary", "Give a phone number or an email so we can follow up.")
        return data


class GreetingProjectForm(forms.Form):
    installation_method = forms.ChoiceField(
        label="Who installs", choices=InstallationMethod.choices, initial=InstallationMethod.UNKNOWN
    )
    interaction_type = forms.ChoiceField(
        label="This conversation is", choices=InteractionType.choices, initial=InteractionType.INITIAL_INQUIRY
    )
    project_name = forms.CharField(
        label="Project name", max_length=255, required=False, widget=forms.TextInput(attrs={"placeholder": "optional"})
    )


class ReturningCustomerForm(forms.Form):
    """Start a conversation with a customer already on file: an existing project or a new one. The
    new-project fields count only when "A new project" is chosen (static/js/returning.js hides
    them otherwise; without JavaScript their labels say so and the service ignores them)."""

    project = forms.ChoiceField(label="Project", required=True)
    interaction_type = forms.ChoiceField(
        label="This conversation is", choices=InteractionType.choices, initial=InteractionType.FOLLOWUP
    )
    installation_method = forms.ChoiceField(
        label="Who installs (only for a new project)",
        choices=InstallationMethod.choices,
        initial=InstallationMethod.UNKNOWN,
        widget=forms.Select(attrs={"data-new-project-only": ""}),
    )
    project_name = forms.CharField(
        label="Project name (only for a new project)",
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"data-new-project-only": ""}),
    )

    def __init__(self, *args, projects=(), preselect: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = {str(p.pk): p for p in projects}
        self.fields["project"].choices = [("new", "A new project"), *[(pk, str(p)) for pk, p in self.projects.items()]]
        self.fields["project"].widget.attrs["data-project-choice"] = ""
        # The project the link came from (a follow-up is about one project), else the newest one.
        if preselect in self.projects or preselect == "new":
            self.fields["project"].initial = preselect
        elif projects:
            self.fields["project"].initial = str(projects[0].pk)

    def clean_project(self):
        value = self.cleaned_data["project"]
        return None if value == "new" else self.projects[value]


class CloseForm(forms.ModelForm):
    """Phase 4. The scores use the rubric's levels 1–4; a follow-up needs a next step with a date."""

    class Meta:
        model = ConversationLog
        fields = ("outcome", "conversation_summary", "next_action", "next_contact_date", *SCORE_FIELDS)
        labels = {
            "conversation_summary": "Summary",
            "next_action": "Next action",
            "next_contact_date": "Next contact date",
        }
        widgets = {
            "conversation_summary": forms.Textarea(attrs={"rows": 3}),
            "next_contact_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{name: forms.RadioSelect(choices=SCORE_CHOICES) for name in SCORE_FIELDS},
        }

    def __init__(self, *args, closing: bool = True, with_scores: bool = True, **kwargs):
        """`with_scores` False: a colleague's conversation, whose scores are not theirs to see or
        write; the form has no score fields, so posted scores are ignored."""
        super().__init__(*args, **kwargs)
        self.closing = closing
        self.fields["outcome"].required = closing
        self.fields["outcome"].choices = [("", "— choose —"), *Outcome.choices]
        for name in SCORE_FIELDS:
            if not with_scores:
                del self.fields[name]
                continue
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label.capitalize(),
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Scores run from 1 to 4."},
            )

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        next_date = data.get("next_contact_date")
        if next_date and next_date < timezone.localdate():
            self.add_error("next_contact_date", "The next contact date cannot be in the past.")
        if outcome == Outcome.FOLLOW_UP_SCHEDULED and self.closing:
            if not next_date and "next_contact_date" not in self.errors:
                self.add_error("next_contact_date", "A scheduled follow-up needs a date.")
            if not data.get("next_action"):
                self.add_error("next_action", "Say what happens next.")
        return data


class MomentForm(forms.Form):
    """On the close page: an objection handled or a price negotiated, with a short note."""

    kind = forms.ChoiceField(
        choices=[("objection_handling", "Objection handled"), ("negotiation", "Price negotiated")],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Choose “Objection handled” or “Price negotiated”."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "what it was about, what you agreed"}),
        error_messages={"max_length": "Keep the note under 500 characters."},
    )
