"""`as_field` writes a field exactly as crispy-bootstrap5's `as_crispy_field` does (whitespace aside),
for every field of the wizard's forms, blank and with errors."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

from aos_crm.templatetags.aos_tags import as_field
from conversations.forms import CloseForm, CustomerForm, GreetingProjectForm
from projects.forms import KitForm, NeedsForm, RoomForm, SurfaceForm

pytestmark = pytest.mark.django_db


def _norm(html) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


CASES = [
    (RoomForm, None),
    (RoomForm, {"room_type": "attic", "room_length_ft": "-1", "room_name": "<b>Bath</b>"}),
    (SurfaceForm, None),
    (SurfaceForm, {"surface_area_sf": "-5", "waste_factor": "abc", "obstacles_description": "a & b"}),
    (NeedsForm, None),
    (NeedsForm, {"total_budget_min": "9", "total_budget_max": "1", "contractor_email": "nope"}),
    (CustomerForm, None),
    (CustomerForm, {"email": "bad", "phone_primary": "ask her husband"}),
    (GreetingProjectForm, None),
    (CloseForm, None),
    (KitForm, {"joint_width": "zz", "trim_linear_ft": "-3"}),
]


@pytest.mark.parametrize(
    ("form_class", "data"), CASES, ids=[f"{c.__name__}-{'bad' if d else 'blank'}" for c, d in CASES]
)
def test_as_field_matches_crispy_field_by_field(form_class, data):
    form = form_class(data)
    if data:
        assert not form.is_valid()
    for field in form:
        ours = _norm(as_field(field))
        crispy = _norm(as_crispy_field(field))
        assert ours == crispy, field.name
    if data:
        assert any("is-invalid" in _norm(as_field(field)) for field in form), "errors are shown"


def test_typed_text_is_escaped():
    form = RoomForm({"room_type": "kitchen", "room_name": '<script>x</script>"'})
    html = str(as_field(form["room_name"]))
    assert "<script>" not in html and "&lt;script&gt;" in html
