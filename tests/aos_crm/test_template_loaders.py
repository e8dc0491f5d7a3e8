"""The app's templates reach the browser without their indentation, and nothing else changes."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

from aos_crm.template_loaders import strip_indentation

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>\n    Hello\n</p>", "<p>\nHello\n</p>"),
        ("<ul>\n  <li>a</li>\n\n\n  <li>b</li>\n</ul>\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
        ("<b>x</b> <i>y</i>", "<b>x</b> <i>y</i>"),  # spaces inside a line stay
        ("a\n\t\tb", "a\nb"),
        ("{% if x %}\n  <span>{{ x }}</span>\n{% endif %}", "{% if x %}<span>{{ x }}</span>\n{% endif %}"),
        ("a\n  {% if x %}\n  b\n  {% endif %}\n  c", "a\n{% if x %}b\n{% endif %}c"),  # "a b c" or "a c"
        ("a\n{% if x %}{% with y=x %}\nb", "a\n{% if x %}{% with y=x %}b"),
        ("a\n{# a note #}\nb", "a\n{# a note #}b"),
        ("a {% if x %}\nb", "a {% if x %}\nb"),  # text before the tag: the line is not tags alone
        ("{% if x %} <b>y</b>\nc", "{% if x %} <b>y</b>\nc"),
        ("{{ x }}\nb", "{{ x }}\nb"),  # a variable renders text: its line break stays
        ('{% include "x.html" %}\nb', '{% include "x.html" %}\nb'),  # so do tags that write
        ("{% url 'home' %}\nb", "{% url 'home' %}\nb"),
        ("{% csrf_token %}\n<input>", "{% csrf_token %}\n<input>"),
        ("{% iffy %}\nb", "{% iffy %}\nb"),  # a name that only starts like a structural tag
        ("{% endpartialdef %}\n{% partialdef x inline %}\nb", "{% endpartialdef %}{% partialdef x inline %}b"),
        ("no indentation", "no indentation"),
        ("trailing   \n", "trailing   \n"),
    ],
)
def test_strip_indentation(source, expected):
    assert strip_indentation(source) == expected


def test_no_template_holds_whitespace_that_would_show():
    """Stripping is invisible only where HTML collapses whitespace: not in <pre> or <textarea>."""
    offending = [
        path.relative_to(TEMPLATES)
        for path in TEMPLATES.rglob("*.html")
        if "<pre" in path.read_text() or "<textarea" in path.read_text()
    ]
    assert offending == []


def test_the_app_templates_are_read_without_indentation_and_the_admin_s_as_they_are():
    ours = get_template("conversations/phase_design.html").template.source
    assert "\n " not in ours
    admin = get_template("admin/base.html").template.source
    assert "\n    " in admin


@pytest.mark.django_db
def test_a_page_has_no_indentation_left(associate_client):
    html = associate_client.get(reverse("home")).content.decode()
    assert "\n  " not in html
    assert "New conversation" in html
