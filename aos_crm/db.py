"""Database building blocks shared by every app: UUID keys with a database default, timestamps,
and the CHECK constraint that backs each seed ENUM."""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now


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


class TimestampedModel(models.Model):
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
