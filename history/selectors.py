"""Reads of the change history for the History panels (managers only) and the admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import connection

from aos_crm.pagination import Window, page_number, window
from aos_crm.roles import PERM_HISTORY
from history.models import Change

PANEL_SIZE = 10
# The panel pages back at most this far (500 changes); older ones are in the admin.
PANEL_MAX_PAGE = 50
PARAM = "history_page"
_LONG = 80


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@cache
def _models_by_table() -> dict:
    return {model._meta.db_table: model for model in apps.get_models()}


def _field(table: str, column: str):
    model = _models_by_table().get(table)
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if field.column == column:
            return field
    return None


def _shown(field, value) -> str:
    if value is None:
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return f"{len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return f"{len(value)} value{'' if len(value) == 1 else 's'}"
    text = str(value)
    return text if len(text) <= _LONG else text[: _LONG - 1] + "…"


def field_changes(change: Change) -> list[FieldChange]:
    """`change.changes` as labelled old → new pairs, in the model's field order."""
    rows = []
    for column, pair in change.changes.items():
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        field = _field(change.table_name, column)
        if field is not None and field.primary_key:
            continue  # the row's own key: the panel says which row it is
        label = str(field.verbose_name) if field is not None else column
        order = field.creation_counter if field is not None else 10**9
        rows.append(
            (order, FieldChange(label=label[:1].upper() + label[1:], old=_shown(field, old), new=_shown(field, new)))
        )
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


def what(change: Change) -> str:
    model = _models_by_table().get(change.table_name)
    name = str(model._meta.verbose_name) if model is not None else change.table_name
    return f"{name[:1].upper()}{name[1:]} {change.get_operation_display()}"


def who(change: Change) -> str:
    if change.user_id is None:
        return "the system (no signed-in user)"
    user = change.user
    if user is None or user.pk is None:
        return f"user #{change.user_id}"
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class PanelRow:
    change: Change
    what: str
    who: str
    when: dt.datetime
    fields: list[FieldChange]


@dataclass(frozen=True)
class Panel:
    rows: list[PanelRow]
    page: Window
    recorded: bool  # False on SQLite: no trigger, nothing is recorded
    param: str = PARAM


def panel(request, *, table: str | None = None, object_id=None, project_id=None) -> Panel | None:
    """The History panel's page (`?history_page=N`, 10 changes a page, newest first, at most 50
    pages) of one row's changes or of a whole project's; None, without a query, for a user who
    may not see the history (only managers may)."""
    if not request.user.has_perm(PERM_HISTORY):
        return None
    recorded = connection.vendor == "postgresql"
    changes = Change.objects.for_panel()
    changes = changes.of_project(project_id) if project_id is not None else changes.of_object(table, object_id)
    number = min(page_number(request.GET.get(PARAM)), PANEL_MAX_PAGE)
    page = window(changes, size=PANEL_SIZE, number=number) if recorded else Window(rows=[], number=1, has_more=False)
    if page.number >= PANEL_MAX_PAGE:
        page = Window(rows=page.rows, number=page.number, has_more=False)
    rows = [
        PanelRow(
            change=change, what=what(change), who=who(change), when=change.changed_at, fields=field_changes(change)
        )
        for change in page.rows
    ]
    return Panel(rows=rows, page=page, recorded=recorded)
