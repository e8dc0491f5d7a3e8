"""Database building blocks shared by every app: UUID keys with a database default, timestamps,
and the CHECK constraint that backs each seed ENUM."""

import uuid
from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce, Now
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

from aos_crm import checks_in_python


class GenRandomUUID(models.Func):
    """`gen_random_uuid()` on PostgreSQL (the seed's default); a random 32-hex value on SQLite,
    which is how Django stores a UUIDField there. Rows written by the ORM get a Python uuid4."""

    function = "gen_random_uuid"
    template = "%(function)s()"
    output_field = models.UUIDField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "(lower(hex(randomblob(16))))", []


def uuid_pk(**kwargs):
    return models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=GenRandomUUID(), editable=False, **kwargs)


class ChecksInOneQuery(models.Model):
    """`full_clean` checks every CHECK constraint of the model in Python, or else in one query.

    Django checks each CheckConstraint with its own query, in its own savepoint inside a transaction:
    a surface's eleven CHECKs cost 33 round trips on every save of the wizard, about a quarter of an
    htmx post. Here they are all columns of one SELECT, with the same answer per constraint (NULL
    passes, as in the database), the same messages and codes, and the same fallback: a check that
    names an excluded field is skipped, and if the database cannot evaluate the batch, each
    constraint is checked on its own as Django does. Other constraints (unique ones) are untouched.
    Most checks compare a column with a constant, another column or a list, and are decided in
    Python with the database's own three-valued logic (`aos_crm/checks_in_python.py`), without a
    round trip; any check that is more than that (an arithmetic expression, a function) sends the
    model's checks to the query."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Django checks that each foreign key's row exists with a query of its own. A related row
        that came from the database and is still attached (`selection.surface = surface`) needs no
        such query: the foreign key constraint refuses the write if it vanished meanwhile. A key set
        by value alone (`surface_id = …`) is still checked."""
        exclude = set(exclude or ())
        for field in self._meta.concrete_fields:
            if not field.many_to_one or field.name in exclude or not field.is_cached(self):
                continue
            related = field.get_cached_value(self)
            if related is None or related._state.adding:
                continue
            if getattr(self, field.attname) == getattr(related, field.target_field.attname):
                exclude.add(field.name)
        super().clean_fields(exclude=exclude)

    def validate_unique(self, exclude=None):
        """A new row's random UUID key (`uuid_pk`, `uuid4`) is not looked up before the insert; the
        primary key constraint stands behind it. Every other unique rule is checked as before."""
        pk = self._meta.pk
        if self._state.adding and isinstance(pk, models.UUIDField) and pk.default is uuid.uuid4:
            exclude = {*(exclude or ()), pk.name}
        super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude=None):
        checks, others = [], []
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                kind = checks if isinstance(constraint, models.CheckConstraint) else others
                kind.append((model_class, constraint))
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for constraint in self._failed_checks(checks, exclude, using):
            failure = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            errors = failure.update_error_dict(errors)
        for model_class, constraint in others:
            try:
                constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _failed_checks(self, checks, exclude, using) -> list:
        if not checks:
            return []
        against = self._get_field_expression_map(meta=self._meta, exclude=exclude)
        failed = checks_in_python.failed(self._meta, checks, against)
        if failed is not None:
            return failed
        return self._failed_checks_in_database(checks, exclude, using, against)

    def _failed_checks_in_database(self, checks, exclude, using, against) -> list:
        query = Query(None)
        for name, value in against.items():
            query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
        asked = []
        for n, (_, constraint) in enumerate(checks):
            passed = Coalesce(
                ExpressionWrapper(Q(constraint.condition), output_field=BooleanField()),
                Value(True),
                output_field=BooleanField(),
            )
            try:
                query.add_annotation(passed, f"_check_{n}")
            except FieldError:  # it names a field left out of this validation: skipped, as Django does
                continue
            asked.append(constraint)
        if not asked:
            return []
        connection = connections[using]
        try:
            with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
                row = query.get_compiler(using=using).execute_sql(SINGLE)
        except DatabaseError:
            return [
                c for model_class, c in checks if c in asked and not self._passes_alone(model_class, c, exclude, using)
            ]
        return [constraint for constraint, passed in zip(asked, row, strict=True) if not passed]

    def _passes_alone(self, model_class, constraint, exclude, using) -> bool:
        try:
            constraint.validate(model_class, self, exclude=exclude, using=using)
        except ValidationError:
            return False
        return True


class TimestampedModel(ChecksInOneQuery):
    """`created_at` / `updated_at` as in the seed: database defaults of CURRENT_TIMESTAMP, and the
    ORM keeps `updated_at` current on every save (the seed's ON UPDATE)."""

    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True


def enum_check(field: str, choices: type[models.TextChoices], *, table: str, nullable: bool = False):
    """The database CHECK that stands for a seed `ENUM(...)` column."""
    condition = Q(**{f"{field}__in": choices.values})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"{table}_{field}_valid")


def non_negative(field: str, *, table: str):
    """Amounts, quantities and counts are never below zero (NULL allowed where the column is)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}), name=f"{table}_{field}_non_negative"
    )


def positive(field: str, *, table: str):
    """Measurements and pack sizes are above zero when given."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gt": 0}) | Q(**{f"{field}__isnull": True}), name=f"{table}_{field}_positive"
    )


def version_field():
    """The row's version for optimistic concurrency (aos_crm.concurrency): 1 when created, raised
    by one by every service save. Not a seed column; archived tables carry it too."""
    return models.IntegerField(default=1, db_default=1, editable=False)
