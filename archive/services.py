"""Archiving old finished projects, and bringing one back.

A project is archived when it is completed or cancelled and its **last activity** is older than
the cut-off. Its last activity is the latest of: the project row's `updated_at`; each of its
conversations' `conversation_date` and `closed_at`; each of its quotes' `quote_date` and
`updated_at` (a quote accepted or expired last month is activity). A project with none of these
after the cut-off is picked.

Archiving a project, in one transaction with its batch (at most 1,000 projects):
- copies its rooms, surfaces, selected products and quotes to the archive tables (archive.tables)
  and deletes them from the live tables, children first (selections → surfaces → rooms; quotes);
- copies each of its conversations that has notes (`conversation_summary`, `next_action`) whole to
  `archive.conversation_log` and clears those two columns on the live row, which otherwise stays
  as it is, so every figure the score review, the follow-up queue and the reporting view compute
  is unchanged;
- stamps `projects.archived_at`. The project row stays: conversations keep their foreign key to
  it, the customer's page and search still find it, and it is the marker that makes it read-only.

Unarchiving copies everything back from the archive, restores the notes, deletes the archive copy
and clears `archived_at`, so every column of every row is as it was."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from archive.models import ArchivedConversation, ArchivedQuote, ArchivedRoom, ArchivedSelection, ArchivedSurface
from archive.tables import NOTE_COLUMNS
from conversations.models import ConversationLog
from projects.models import Project, ProjectRoom, ProjectStatus, SelectedProduct, Surface
from quotes.models import Quote

MAX_BATCH = 1000
FINISHED = (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)


class ArchiveError(Exception):
    """Refused: the message says why."""


@dataclass
class Moved:
    """How many rows one batch (or a whole run) moved or would move."""

    projects: int = 0
    rooms: int = 0
    surfaces: int = 0
    selections: int = 0
    quotes: int = 0
    notes: int = 0

    def __add__(self, other: Moved) -> Moved:
        return Moved(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def __str__(self) -> str:
        return (
            f"{self.projects} projects, {self.rooms} rooms, {self.surfaces} surfaces, "
            f"{self.selections} selections, {self.quotes} quotes, {self.notes} conversation notes"
        )


_AGE = re.compile(r"^\s*(\d+)\s*([ymd])\s*$", re.IGNORECASE)


def cutoff_for(age: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """`2y`, `18m` or `730d` before `now`: calendar years and months (Feb 29 → Feb 28)."""
    match = _AGE.match(age or "")
    if not match:
        raise ArchiveError(f"Cannot read the age {age!r}: use a number and y, m or d, e.g. 2y, 18m, 730d.")
    amount, unit = int(match[1]), match[2].lower()
    now = now or timezone.now()
    if unit == "d":
        return now - dt.timedelta(days=amount)
    months = amount * 12 if unit == "y" else amount
    total = now.year * 12 + (now.month - 1) - months
    if total < 12:
        raise ArchiveError(f"{age} reaches before the calendar starts.")
    year, month = divmod(total, 12)
    month += 1
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def candidates(cutoff: dt.datetime) -> QuerySet:
    """Projects to archive: completed or cancelled, not archived yet, and no activity on or after
    the cut-off (see the module docstring)."""
    recent_conversation = ConversationLog.objects.filter(
        Q(conversation_date__gte=cutoff) | Q(closed_at__gte=cutoff), project=OuterRef("pk")
    )
    recent_quote = Quote.objects.filter(
        Q(updated_at__gte=cutoff) | Q(quote_date__gte=timezone.localdate(cutoff)), project=OuterRef("pk")
    )
    return (
        Project.objects.filter(project_status__in=FINISHED, archived_at__isnull=True, updated_at__lt=cutoff)
        .exclude(Exists(recent_conversation))
        .exclude(Exists(recent_quote))
        .order_by("project_id")
    )


def _rows(ids) -> dict[str, QuerySet]:
    """The live rows of the projects `ids` that move, children first."""
    return {
        "selections": SelectedProduct.objects.filter(surface__room__project_id__in=ids),
        "surfaces": Surface.objects.filter(room__project_id__in=ids),
        "rooms": ProjectRoom.objects.filter(project_id__in=ids),
        "quotes": Quote.objects.filter(project_id__in=ids),
    }


def _noted(model, ids) -> QuerySet:
    return model.objects.filter(project_id__in=ids).filter(
        Q(conversation_summary__isnull=False) | Q(next_action__isnull=False)
    )


def _copy(source: QuerySet, target_model) -> int:
    """INSERT INTO target (every column) SELECT every column FROM source's rows, in SQL the ORM
    compiles for the database at hand (partitioned tables take it like any other)."""
    names = [f.attname for f in source.model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in source.model._meta.concrete_fields)
    select, params = source.order_by().values_list(*names).query.sql_with_params()
    table = connection.ops.quote_name(target_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
        return cursor.rowcount


def _delete(rows: QuerySet) -> int:
    """DELETE the rows by primary key: one statement, no rows fetched into Python."""
    meta = rows.model._meta
    pk = connection.ops.quote_name(meta.pk.column)
    select, params = rows.order_by().values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(meta.db_table)} WHERE {pk} IN ({select})",  # noqa: S608
            params,
        )
        return cursor.rowcount


_TWINS = {"selections": ArchivedSelection, "surfaces": ArchivedSurface, "rooms": ArchivedRoom, "quotes": ArchivedQuote}


def _count(ids) -> Moved:
    counts = {name: rows.count() for name, rows in _rows(ids).items()}
    return Moved(projects=len(ids), notes=_noted(ConversationLog, ids).count(), **counts)


def _checked(what: str, copied: int, deleted: int) -> int:
    if copied != deleted:
        raise ArchiveError(f"{what}: copied {copied} but deleted {deleted}; nothing of this batch was moved.")
    return copied


def archive_batch(ids: list) -> Moved:
    """Moves the projects `ids` (locked, still candidates) in the caller's transaction."""
    counts = {}
    for name, rows in _rows(ids).items():  # copies first, then deletes children first
        counts[name] = _copy(rows, _TWINS[name])
    for name, rows in _rows(ids).items():
        counts[name] = _checked(name, counts[name], _delete(rows))
    noted = _noted(ConversationLog, ids)
    notes = _copy(noted, ArchivedConversation)
    cleared = noted.update(**dict.fromkeys(NOTE_COLUMNS))
    _checked("conversation notes", notes, cleared)
    Project.objects.filter(pk__in=ids).update(archived_at=timezone.now())
    return Moved(projects=len(ids), notes=notes, **counts)


def archive(
    *,
    cutoff: dt.datetime,
    batch_size: int = MAX_BATCH,
    dry_run: bool = False,
    report: Callable[[int, Moved], None] | None = None,
) -> Moved:
    """Archives every candidate in batches of `batch_size` projects, one transaction each, in
    project id order. An interrupted run leaves whole batches behind it; a re-run picks up what is
    left (archived projects are no longer candidates). `dry_run` counts the same batches and
    changes nothing. `report(batch number, moved)` is called after each batch."""
    if not 1 <= batch_size <= MAX_BATCH:
        raise ArchiveError(f"The batch size must be from 1 to {MAX_BATCH}.")
    total, number, after = Moved(), 0, None
    while True:
        with transaction.atomic():
            pending = candidates(cutoff)
            if after is not None:
                pending = pending.filter(pk__gt=after)
            if not dry_run:
                pending = pending.select_for_update(of=("self",))
            ids = list(pending.values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            moved = _count(ids) if dry_run else archive_batch(ids)
        number += 1
        after = ids[-1]
        total += moved
        if report:
            report(number, moved)
    return total


def unarchive(project_id) -> Moved:
    """Brings one archived project back: every row as it was, the notes on its conversations, and
    `archived_at` cleared. One transaction."""
    with transaction.atomic():
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None:
            raise ArchiveError(f"No project {project_id}.")
        if project.archived_at is None:
            raise ArchiveError(f"Project {project_id} is not archived.")
        archived = {
            "rooms": ArchivedRoom.objects.filter(project_id=project.pk),
            "surfaces": ArchivedSurface.objects.filter(room__project_id=project.pk),
            "selections": ArchivedSelection.objects.filter(surface__room__project_id=project.pk),
            "quotes": ArchivedQuote.objects.filter(project_id=project.pk),
        }
        live = {"rooms": ProjectRoom, "surfaces": Surface, "selections": SelectedProduct, "quotes": Quote}
        counts = {name: _copy(rows, live[name]) for name, rows in archived.items()}  # parents first
        notes = ArchivedConversation.objects.filter(project_id=project.pk)
        restored = ConversationLog.objects.filter(pk__in=notes.values("log_id")).update(
            **{
                column: Subquery(ArchivedConversation.objects.filter(log_id=OuterRef("pk")).values(column)[:1])
                for column in NOTE_COLUMNS
            }
        )
        for name in ("selections", "surfaces", "rooms", "quotes"):
            _checked(name, counts[name], _delete(archived[name]))
        _delete(notes)
        Project.objects.filter(pk=project.pk).update(archived_at=None)
    return Moved(projects=1, notes=restored, **counts)


def archived_ids(ids: Iterable) -> set:
    """Which of these projects are archived."""
    return set(Project.objects.filter(pk__in=list(ids), archived_at__isnull=False).values_list("pk", flat=True))
