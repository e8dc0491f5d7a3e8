from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower, Replace

from aos_crm.db import TimestampedModel, enum_check, uuid_pk


class CustomerType(models.TextChoices):
    DIY_HOMEOWNER = "diy_homeowner", "DIY homeowner"
    CONTRACTOR = "contractor", "Contractor"
    DESIGNER = "designer", "Designer"
    BUILDER = "builder", "Builder"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"


PRO_TYPES = frozenset({CustomerType.CONTRACTOR, CustomerType.DESIGNER, CustomerType.BUILDER})


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def national_digits(value: str) -> str:
    """The digits of a US number without the +1 country code: 1-312-555-0142 → 3125550142."""
    digits = digits_only(value)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _phone_digits(field: str):
    """The phone column with its punctuation removed, portable across PostgreSQL and SQLite."""
    expr = models.F(field)
    for ch in ("(", ")", "-", " ", ".", "+", "/"):
        expr = Replace(expr, Value(ch), Value(""))
    return expr


class CustomerQuerySet(models.QuerySet):
    def search(self, query: str):
        """Find customers as an associate types: any word matches a first or last name or an email;
        a query with 3+ digits also matches phone numbers however they were typed."""
        query = (query or "").strip()
        if not query:
            return self.none()
        condition = Q()
        for word in query.split():
            condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        digits = national_digits(query)
        if len(digits) >= 3:
            qs = self.alias(phone1=_phone_digits("phone_primary"), phone2=_phone_digits("phone_secondary"))
            return qs.filter(condition | Q(phone1__contains=digits) | Q(phone2__contains=digits))
        return self.filter(condition)

    def possible_duplicates(self, *, email: str | None, phone: str | None, exclude_pk=None):
        """Customers sharing the email (any case) or the phone digits: shown before a second
        record is created for the same person."""
        condition = Q()
        if email:
            condition |= Q(email__iexact=email.strip())
        digits = national_digits(phone or "")
        if len(digits) >= 7:
            # A number stored with the +1 country code is the same number.
            condition |= Q(phone1__in=[digits, f"1{digits}"]) | Q(phone2__in=[digits, f"1{digits}"])
        if not condition:
            return self.none()
        qs = self.alias(phone1=_phone_digits("phone_primary"), phone2=_phone_digits("phone_secondary")).filter(
            condition
        )
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        return qs


class Customer(TimestampedModel):
    customer_id = uuid_pk()
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True, null=True)
    # Empty is stored as NULL so that many customers may have no email while the
    # case-insensitive unique index still holds for the rest.
    email = models.EmailField(max_length=255, blank=True, null=True)
    phone_primary = models.CharField(max_length=20, blank=True, null=True)
    phone_secondary = models.CharField(max_length=20, blank=True, null=True)
    address_line1 = models.CharField(max_length=255, blank=True, null=True)
    address_line2 = models.CharField(max_length=255, blank=True, null=True)
    city = models.CharField(max_length=100, blank=True, null=True)
    state = models.CharField(max_length=50, blank=True, null=True)
    zip_code = models.CharField(max_length=20, blank=True, null=True)
    country = models.CharField(max_length=50, default="USA", db_default="USA", blank=True, null=True)
    customer_type = models.CharField(max_length=20, choices=CustomerType.choices)
    pro_account_number = models.CharField(max_length=50, blank=True, null=True)
    preferred_contact_method = models.CharField(
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.PHONE,
        db_default=ContactMethod.PHONE,
        blank=True,
        null=True,
    )
    marketing_opt_in = models.BooleanField(default=False, db_default=False)
    notes = models.TextField(blank=True, null=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        db_table = "customers"
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["email"], name="idx_customers_email"),
            models.Index(fields=["phone_primary"], name="idx_customers_phone"),
            models.Index(fields=["last_name", "first_name"], name="idx_customers_name"),
            # Addition: the customers list and the home page, newest first, a page at a time.
            models.Index(fields=["created_at", "customer_id"], name="idx_customers_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="customers_email_ci_unique",
                violation_error_message="A customer with this email already exists.",
            ),
            models.CheckConstraint(condition=~Q(email=""), name="customers_email_not_blank"),
            models.CheckConstraint(condition=~Q(first_name=""), name="customers_first_name_not_blank"),
            enum_check("customer_type", CustomerType, table="customers"),
            enum_check("preferred_contact_method", ContactMethod, table="customers", nullable=True),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_pro(self) -> bool:
        """Pro pricing applies to trade customers who hold a pro account."""
        return self.customer_type in PRO_TYPES and bool(self.pro_account_number)
