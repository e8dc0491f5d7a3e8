"""Optimistic concurrency for the rows the sales floor edits (a customer, a project's needs, a
room, a surface, a selection, a quote's status): no lost updates.

Each such row has a `version` that every service save raises by one. A form carries the version it
was loaded from (a hidden field) and a snapshot of the values it showed (`loaded`); the service
saves with `UPDATE … SET …, version = version + 1 WHERE pk = … AND version = <loaded>`, so a save
made from a page loaded before someone else's save updates nothing, and `StaleEdit` is raised with
the row as it is now. The view then shows the user what the other person changed (field: their
value), keeps what this user typed, and moves the form to the current version, so saving again
replaces the other person's values on purpose. Why a version and not `updated_at`: a counter can
never compare equal by accident (two saves in the same clock tick, clocks of two servers), and it
says nothing about time that a reader could mistake for an audit (the history is docs/schema.md's).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import F


class StaleEdit(Exception):
    """The row changed (or went) since the form was loaded; `current` is the row as saved now, or
    None when it was removed."""

    def __init__(self, current):
        super().__init__("Someone else saved this meanwhile.")
        self.current = current


def _written_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "version" and not field.generated
    ]


def save_versioned(instance: models.Model, *, version: int | None = None, fields=None) -> None:
    """Writes `instance`'s columns (`fields`, default all; already `full_clean`ed) and raises its
    version by one, in one UPDATE … WHERE pk = … AND version = ….

    With `version` (the one the user's form was loaded from), a row saved by someone else since
    then is left alone and `StaleEdit` is raised with the row as it is now. Without it (a write
    no form asked for, such as the project's status following a close), the version this request
    read is expected, and if someone saved meanwhile the columns are written anyway, as before: a
    version is raised either way, so an open form elsewhere learns the row changed."""
    model = type(instance)
    names = set(fields) if fields is not None else None
    values = {}
    for field in _written_fields(model):
        if names is not None and field.name not in names and field.attname not in names:
            continue
        values[field.attname] = field.pre_save(instance, add=False)  # auto_now: updated_at
    expected = instance.version if version is None else version
    rows = model._base_manager.filter(pk=instance.pk)
    if rows.filter(version=expected).update(**values, version=F("version") + 1):
        instance.version = expected + 1
        return
    if version is not None:
        raise StaleEdit(rows.first())
    rows.update(**values, version=F("version") + 1)
    instance.version = rows.values_list("version", flat=True).get()


# --- forms ------------------------------------------------------------------------------------------


class VersionedForm:
    """A mixin for a form that edits a saved row: two hidden fields, `version` (the row's version
    when the page was made) and `loaded` (the values the form showed then, as JSON), so a stale save
    is refused and can say what the other person changed. A ModelForm takes the row from its
    `instance`; a plain form is made for a row by `for_instance`, which calls `add_version_fields`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_fields(getattr(self, "instance", None))

    def add_version_fields(self, instance) -> None:
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
        self.fields["loaded"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if instance is not None and instance.pk is not None and not instance._state.adding:
            self.fields["version"].initial = instance.version
            # Read when the page is drawn, after the form's own __init__ set its initial values.
            self.fields["loaded"].initial = lambda: json.dumps(snapshot(self))

    def compared(self) -> list[str]:
        return [name for name in self.fields if name not in ("version", "loaded")]

    @property
    def loaded_version(self) -> int | None:
        """The version the user's page was loaded from (None when the post carried none)."""
        return getattr(self, "cleaned_data", {}).get("version")


def _shown(bound_field) -> str:
    value = bound_field.value()
    field = bound_field.field
    if isinstance(field, forms.BooleanField):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(field, forms.ChoiceField):
        return str(value)
    return str(value).strip()


def snapshot(form) -> dict[str, str]:
    """The values an unbound `form` shows, as text, per compared field."""
    return {name: _shown(form[name]) for name in form.compared()}


def _unbound(form_class, instance):
    """The form as a fresh page would show `instance`: `for_instance(instance)` where the form
    defines it (plain forms), else a ModelForm on the instance."""
    if hasattr(form_class, "for_instance"):
        return form_class.for_instance(instance)
    return form_class(instance=instance)


@dataclass(frozen=True)
class TheirChange:
    label: str
    value: str


def their_changes(form, current) -> list[TheirChange]:
    """What the other person changed: the compared fields whose value now differs from the value
    this user's page showed (`loaded`); when the page sent no snapshot, the fields whose value now
    differs from what this user typed."""
    fresh = _unbound(type(form), current)
    try:
        loaded = json.loads(form.data.get(form.add_prefix("loaded")) or "null")
    except ValueError:
        loaded = None
    changes = []
    for name in fresh.compared():
        now = _shown(fresh[name])
        before = loaded.get(name) if isinstance(loaded, dict) else _shown(form[name])
        if now != before:
            changes.append(TheirChange(label=str(fresh[name].label), value=_display(fresh[name], now)))
    return changes


def _display(bound_field, text: str) -> str:
    field = bound_field.field
    if isinstance(field, forms.ChoiceField):
        return str({str(k): v for k, v in _flat(field.choices)}.get(text, text)) or "—"
    return text or "—"


def _flat(choices):
    for key, value in choices:
        if isinstance(value, (list, tuple)):
            yield from _flat(value)
        else:
            yield key, value


def refuse_stale(form, error: StaleEdit) -> None:
    """Puts the conflict on `form` (a bound form, kept as typed): a message naming what the other
    person changed, and the form moved to the row's current version and values, so saving again
    replaces theirs on purpose."""
    current = error.current
    data = form.data.copy()
    if current is None:
        form.add_error(None, "Someone else removed this meanwhile. Nothing was saved.")
        return
    changes = their_changes(form, current)
    data[form.add_prefix("version")] = str(current.version)
    data[form.add_prefix("loaded")] = json.dumps(snapshot(_unbound(type(form), current)))
    form.data = data
    if changes:
        listed = "; ".join(f"{change.label}: {change.value}" for change in changes)
        message = (
            f"Someone else saved this while you were editing — {listed}. Nothing of yours was saved: "
            "your entries are kept below; save again to replace their values."
        )
    else:
        message = (
            "Someone else saved this while you were editing. Nothing of yours was saved: "
            "save again to keep your entries."
        )
    form.add_error(None, message)
