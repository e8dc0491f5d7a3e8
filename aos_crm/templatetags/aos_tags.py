from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ totals.rooms|get_item:room.pk }}`: a dict lookup by a variable key."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def page_url(context, param, number):
    """`href="{% page_url 'page' 2 %}"`: the current query string with `param` set to `number`
    (dropped for page 1), so a page link keeps the search and the other lists' pages."""
    query = context["request"].GET.copy()
    query.pop(param, None)
    if int(number) > 1:
        query[param] = str(number)
    return f"?{query.urlencode()}" if query else "?"


@register.filter
def change(value, unit=""):
    """`{{ cell.change|change }}`, `{{ rate_change|change:" pts" }}`: the change against the previous
    period as a small signed badge (conversations.review_svg.change); nothing when there is none."""
    from conversations import review_svg

    return review_svg.change(value, unit)


_CRISPY_ONLY = (
    forms.CheckboxInput,
    forms.CheckboxSelectMultiple,
    forms.RadioSelect,
    forms.FileInput,
    forms.MultiWidget,
)


@register.filter
def as_field(field):
    """`{{ form.name|as_field }}`: a field as crispy-bootstrap5's `as_crispy_field` writes it (the
    same wrapper, label, classes, error and help blocks and ids), built in Python. crispy renders
    every field through a dozen templates and filters, which made the wizard's forms the largest cost
    of its pages and htmx answers (docs/performance.md). Checkboxes, radios, files and multi-widgets
    go to crispy itself."""
    widget = field.field.widget
    if field.is_hidden:
        return str(field)
    if isinstance(widget, _CRISPY_ONLY):
        return as_crispy_field(field)
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    classes = [part for part in widget.attrs.get("class", "").split() if part]
    for name in (widget.__class__.__name__.lower(), base, "is-invalid" if field.errors else ""):
        if name and name not in classes:
            classes.append(name)
    control = field.as_widget(attrs={"class": " ".join(classes)})
    auto_id = field.auto_id
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label {}class="form-label{}">{}{}</label>',
            format_html('for="{}" ', field.id_for_label) if field.id_for_label else "",
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, auto_id, e) for n, e in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        # Help texts are the forms' own words, never what a user typed (crispy marks them safe too).
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', auto_id) if auto_id else "",
            mark_safe(field.help_text),  # noqa: S308 - a form's constant
        )
    css = f" {field.css_classes()}" if field.css_classes() else ""
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>', auto_id, css, label, control, errors, help_text
    )


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    except (InvalidOperation, TypeError, ValueError):
        return None


_CENT = Decimal("0.01")


@register.filter
def money(value) -> str:
    """`${{ line.total|money }}`: 1,443.30 — what `floatformat:"2g"` writes in the store's locale,
    without its per-call localization (the design page shows dozens of amounts)."""
    number = _decimal(value)
    if number is None:
        return ""
    if not number.is_finite():
        return str(number)
    cents = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{cents + 0:,}"  # + 0: no "-0.00"


@register.filter
def quantity(value) -> str:
    """`{{ selection.quantity_ordered|quantity }}`: 17, 35.20 — what `floatformat:"-2"` writes:
    two decimals, none when the value itself is whole."""
    number = _decimal(value)
    if number is None:
        return ""
    if not number.is_finite():
        return str(number)
    if number == number.to_integral_value():
        return f"{number + 0:.0f}"
    return f"{number.quantize(_CENT, rounding=ROUND_HALF_UP) + 0:.2f}"
