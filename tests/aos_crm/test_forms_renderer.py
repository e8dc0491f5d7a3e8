"""The form renderer writes Django's own input, select and textarea widgets exactly as Django's
templates do (byte for byte), and leaves everything else to the templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from aos_crm.forms_renderer import FastWidgetRenderer
from conversations.forms import CloseForm, CustomerForm, GreetingProjectForm
from projects.forms import KitForm, NeedsForm, RoomForm, SurfaceForm

TRICKY = 'O\'Brien & "Sons" <b>'
CHOICES = [("", "---------"), ("a", "Alpha & Omega"), (3, "Three"), ("<x>", TRICKY)]
GROUPED = [("", "Pick one"), ("Floors", [("f1", "Floor <1>"), ("f2", "Floor 2")]), ("w", "Wall")]

# (widget, value, extra attrs)
WIDGETS = [
    (forms.TextInput(), None, {}),
    (forms.TextInput(), "", {}),
    (forms.TextInput(), TRICKY, {"class": "form-control is-invalid", "aria-invalid": "true"}),
    (forms.TextInput(attrs={"placeholder": TRICKY, "autofocus": True, "disabled": False}), "x", {}),
    (forms.TextInput(), mark_safe("<i>safe</i>"), {"data-x": mark_safe("<i>")}),
    (forms.NumberInput(attrs={"step": "any", "min": 0}), Decimal("12.50"), {"required": True}),
    (forms.NumberInput(), 0, {}),
    (forms.EmailInput(), "a@example.com", {"maxlength": 254}),
    (forms.URLInput(), "https://example.com/?a=1&b=2", {}),
    (forms.PasswordInput(), "secret", {}),
    (forms.PasswordInput(render_value=True), "secret", {}),
    (forms.HiddenInput(), "<hidden>", {}),
    (forms.DateInput(), datetime.date(2026, 12, 2), {}),
    (forms.DateInput(attrs={"type": "date"}), "2026-12-02", {}),
    (forms.DateTimeInput(), datetime.datetime(2026, 12, 2, 9, 30), {}),
    (forms.TimeInput(), datetime.time(9, 30), {}),
    (forms.CheckboxInput(), True, {}),
    (forms.CheckboxInput(), False, {"class": "form-check-input"}),
    (forms.Textarea(), None, {}),
    (forms.Textarea(), "", {}),
    (forms.Textarea(attrs={"rows": 3}), "line 1\nline <2> & 3", {}),
    (forms.Select(choices=CHOICES), None, {}),
    (forms.Select(choices=CHOICES), "a", {"class": "form-select"}),
    (forms.Select(choices=CHOICES), 3, {}),
    (forms.Select(choices=CHOICES), "<x>", {}),
    (forms.Select(choices=GROUPED), "f2", {}),
    (forms.Select(choices=[("a", gettext_lazy("Lazy label"))]), "a", {}),
    (forms.NullBooleanSelect(), True, {}),
    (forms.SelectMultiple(choices=CHOICES), ["a", "3"], {}),
    (forms.RadioSelect(choices=CHOICES), "a", {}),
    (forms.CheckboxSelectMultiple(choices=CHOICES), ["a"], {}),
]


@pytest.mark.parametrize(
    ("widget", "value", "attrs"), WIDGETS, ids=[f"{type(w[0]).__name__}-{i}" for i, w in enumerate(WIDGETS)]
)
def test_each_widget_is_written_as_the_templates_write_it(widget, value, attrs):
    expected = widget.render("field", value, attrs={"id": "id_field", **attrs}, renderer=DjangoTemplates())
    got = widget.render("field", value, attrs={"id": "id_field", **attrs}, renderer=FastWidgetRenderer())
    assert got == expected


FORMS = [
    (RoomForm, None),
    (RoomForm, {"room_type": "attic", "room_length_ft": "-1", "room_name": "<b>Bath</b>"}),
    (SurfaceForm, None),
    (SurfaceForm, {"surface_area_sf": "-5", "waste_factor": "abc", "obstacles_description": "a & b"}),
    (NeedsForm, {"total_budget_min": "9", "total_budget_max": "1", "contractor_email": "nope"}),
    (CustomerForm, {"email": "bad", "phone_primary": "ask her husband", "notes": "<script>"}),
    (GreetingProjectForm, None),
    (CloseForm, None),
    (KitForm, {"joint_width": "zz", "trim_linear_ft": "-3"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "data"), FORMS, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(FORMS)])
def test_the_wizard_forms_render_the_same_with_either_renderer(form_class, data):
    slow = form_class(data, renderer=DjangoTemplates())
    fast = form_class(data, renderer=FastWidgetRenderer())
    for name in slow.fields:
        assert str(fast[name]) == str(slow[name]), name
    assert str(fast) == str(slow)


def test_the_fast_path_is_taken_for_inputs_and_selects(monkeypatch):
    """What the renderer is for: an input or a select never reaches the template engine."""

    def refuse(*args, **kwargs):
        raise AssertionError("rendered through the templates")

    monkeypatch.setattr(DjangoTemplates, "render", refuse)
    renderer = FastWidgetRenderer()
    assert forms.TextInput().render("q", "x", renderer=renderer) == '<input type="text" name="q" value="x">'
    assert '<option value="a" selected>' in forms.Select(choices=CHOICES).render("s", "a", renderer=renderer)
    assert forms.Textarea().render("t", "x", renderer=renderer).endswith(">\nx</textarea>")


def test_the_settings_use_it():
    from django.conf import settings

    assert settings.FORM_RENDERER == "aos_crm.forms_renderer.FastWidgetRenderer"
