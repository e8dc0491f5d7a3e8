"""The form renderer: Django's own (`DjangoTemplates`), with the commonest widgets written in Python.

Every form field's widget goes through the renderer's `render(template_name, context)`. Django
renders `<input>`, `<select>` and `<textarea>` through three to five small templates each
(`text.html` → `input.html` → `attrs.html`, and per option `select_option.html` → `attrs.html`),
which made widget rendering the largest cost of the wizard's design page (docs/performance.md).
For Django's own widget templates this renderer writes the same markup directly; anything else (a
project or admin template, a custom option template, a non-string label) goes to the templates as
before. `tests/aos_crm/test_forms_renderer.py` holds the two equal widget by widget.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_WIDGETS = "django/forms/widgets/"
_INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)
_SELECT = f"{_WIDGETS}select.html"
_OPTION = f"{_WIDGETS}select_option.html"
_TEXTAREA = f"{_WIDGETS}textarea.html"


class _Fallback(Exception):
    """Something the Python path does not write exactly as the templates would."""


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}` under autoescaping: a safe string as it is, anything else
    escaped."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """`django/forms/widgets/attrs.html`: ` name="value"` for each, a bare name for True, nothing
    for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _option(option: dict) -> str:
    if option.get("template_name") != _OPTION or not isinstance(option["label"], str):
        raise _Fallback
    label = conditional_escape(option["label"])
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            if not isinstance(group_name, str):
                raise _Fallback
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            # select_option.html ends with a newline of its own.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    if value and not isinstance(value, str):
        raise _Fallback
    body = conditional_escape(value) if value else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>'


class FastWidgetRenderer(DjangoTemplates):
    """`FORM_RENDERER`: Django's template renderer, with its own input, select and textarea
    templates written in Python."""

    def render(self, template_name, context, request=None):
        writer = _WRITERS.get(template_name)
        widget = context.get("widget") if writer else None
        if widget is not None:
            try:
                return mark_safe(writer(widget))  # noqa: S308 - every value above is escaped
            except _Fallback:
                pass
        return super().render(template_name, context, request=request)


_WRITERS = {
    **dict.fromkeys(_INPUT_TEMPLATES, _input),
    _SELECT: _select,
    _TEXTAREA: _textarea,
}
