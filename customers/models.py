from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, Lower, Replace

from aos_crm.db import TimestampedModel, enum_check, uuid_pk, version_field
from customers import phones
from history.triggers import history_trigger


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


def _phone_digits(field: str):
    """The phone column without its punctuation, portable across PostgreSQL and SQLite (numbers
    are stored as E.164, but rows from before phones were checked may hold any format)."""
    expr = models.F(field)
    for ch in ("(", ")", "-", " ", ".", "+", "/", ";ext="):
        expr = Replace(expr, Value(ch), Value(""))
    return Coalesce(expr, Value(""))


# Both phones' digits in one column, e.g. "13125550123|17735550188", computed by the database
# itself (a generated column), so no write path can leave it stale.
PHONE_DIGITS = Concat(
    _phone_digits("phone_primary"), Value("|"), _phone_digits("phone_secondary"), output_field=models.CharField()
)


class _OrBlank(models.Func):
    template = "COALESCE(%(expressions)s, '')"


# The columns a typed word is looked for in, in this order (first and last name read as "Ann Lee").
SEARCH_COLUMNS = ("first_name", "last_name", "email")


class SearchText(models.Func):
    """first_name || ' ' || last_name || ' ' || email, a NULL column as ''.

    A typed word holds no space, so finding it anywhere in this text is finding it in one of the
    columns, exactly as `first_name__icontains | last_name__icontains | email__icontains` did. On
    PostgreSQL `search_text__icontains` compiles to `UPPER((…)::text) LIKE UPPER('%word%')`, and the
    GIN trigram index `idx_customers_search_trgm` (migration 0004) is built on that very expression,
    so the search is answered from the index instead of reading every customer. The literals are
    inline (not parameters) so the planner sees the same expression as the index; the parentheses
    keep the `::text` cast on the whole text."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = models.TextField()

    def __init__(self):
        super().__init__(*[_OrBlank(models.F(column)) for column in SEARCH_COLUMNS])


# A search with at most this many matches is sorted from its matches (see `search_ordered`).
FEW_MATCHES = 500


class _Unindexed(models.Func):
    """A text column as an expression no index holds (`column || ''`: the same value, NULL kept,
    so the same order), for an ORDER BY the planner must sort rather than walk an index for."""

    template = "(%(expressions)s || '')"
    output_field = models.CharField()


class CustomerQuerySet(models.QuerySet):
    def search_ordered(self, query: str, *ordering: str):
        """`search(query)` in `ordering` (field names, `-` for descending), quick for a rare word
        and for a common one. Walking an ordered index and filtering row by row finds a page of a
        common word at once, but reads thousands of customers for a word whose matches sort late
        (every "Zimmerman" after every "A…"); PostgreSQL cannot tell the two apart in advance. So
        the matches are first listed without order, at most `FEW_MATCHES` + 1 through the
        search's indexes: when that is all of them, those few are sorted, by expressions no index
        holds, so no index is walked; when there are more, the word is common and the walk finds
        a page at once."""
        found = self.search(query)
        ids = list(found.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
        if len(ids) > FEW_MATCHES:
            return found.order_by(*ordering)
        return self.filter(pk__in=ids).order_by(*(_sorted_by(name) for name in ordering))

    def search(self, query: str):
        """Find customers as an associate types: every word must be found (any case, `%` and `_`
        literally) in the first name, the last name or the email — "ann lee", "lee", "ann@exa" —
        through the trigram index on `SearchText`; a query with 3+ digits, typed in any format, also
        matches the phone numbers (through the indexed `phone_digits` column)."""
        query = (query or "").strip()
        if not query or "\x00" in query:
            # PostgreSQL text cannot hold NUL, so no stored name matches one (and it could not be
            # sent to compare): nothing found, rather than an error.
            return self.none()
        condition = Q()
        for word in query.split():
            condition &= Q(search_text__icontains=word)
        digits = phones.search_digits(query, settings.PHONE_REGION)
        if len(digits) >= 3 and not any(ch.isalpha() for ch in query):
            # A phone typed in any format: only the digits column, so its index serves it.
            return self.filter(phone_digits__contains=digits)
        searching = self.alias(search_text=SearchText())
        if len(digits) >= 3:
            return searching.filter(condition | Q(phone_digits__contains=digits))
        return searching.filter(condition)

    def possible_duplicates(self, *, email: str | None, phone: str | None, exclude_pk=None):
        """Customers sharing the email (any case) or the phone number: shown before a second
        record is created for the same person."""
        condition = Q()
        if email:
            condition |= Q(email__iexact=email.strip())
        try:
            number = phones.canonical(phone, settings.PHONE_REGION) if phone else None
        except phones.PhoneError:
            number = None
        if number:
            digits = phones.search_digits(number.split(";")[0], settings.PHONE_REGION)
            condition |= Q(phone_primary=number) | Q(phone_secondary=number) | Q(phone_digits__contains=digits)
        if not condition:
            return self.none()
        qs = self.filter(condition)
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        return qs


class Customer(TimestampedModel):
    customer_id = uuid_pk()
    version = version_field()
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
    # Addition: both phones' digits, for searching by phone in any format (docs/schema.md).
    phone_digits = models.GeneratedField(
        expression=PHONE_DIGITS, output_field=models.CharField(max_length=41), db_persist=True
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        db_table = "customers"
        triggers = [history_trigger(table="customers", pk="customer_id")]
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["email"], name="idx_customers_email"),
            models.Index(fields=["phone_primary"], name="idx_customers_phone"),
            models.Index(fields=["last_name", "first_name"], name="idx_customers_name"),
            # Addition: the customers list and the home page, newest first, a page at a time.
            models.Index(fields=["created_at", "customer_id"], name="idx_customers_created"),
            models.Index(fields=["phone_digits"], name="idx_customers_phone_digits"),
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

    def clean(self):
        """Phones are checked and stored as E.164 (+13125550123) whatever format was typed; one
        that cannot be a phone number is refused with the reason, next to its field."""
        errors = {}
        for name in ("phone_primary", "phone_secondary"):
            value = (getattr(self, name) or "").strip()
            if not value:
                setattr(self, name, None)
                continue
            try:
                setattr(self, name, phones.canonical(value, settings.PHONE_REGION))
            except phones.PhoneError as error:
                errors[name] = str(error)
        if errors:
            raise ValidationError(errors)

    @property
    def phone_primary_display(self) -> str:
        return phones.display(self.phone_primary, settings.PHONE_REGION)

    @property
    def phone_secondary_display(self) -> str:
        return phones.display(self.phone_secondary, settings.PHONE_REGION)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_pro(self) -> bool:
        """Pro pricing applies to trade customers who hold a pro account."""
        return self.customer_type in PRO_TYPES and bool(self.pro_account_number)


def _sorted_by(name: str):
    """An ordering of `search_ordered`'s few matches: a text column through `_Unindexed`, anything
    else (dates, the key) as it is."""
    column = name.lstrip("-")
    if not isinstance(Customer._meta.get_field(column), models.CharField):
        return name
    expression = _Unindexed(models.F(column))
    return expression.desc() if name.startswith("-") else expression.asc()
