"""Every admin changelist and add page renders for a superuser; catalog staff can do their job."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from catalog.models import ProductCatalog
from tests.factories import (
    ConversationFactory,
    QuoteFactory,
    SelectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The project's own models; django-axes' login records have their own test below (its admin is
# read-only: rows are written by failed logins, never added by hand).
MODELS = [model for model in admin.site._registry if model._meta.app_label not in ("auth", "axes")]
# Written by the database's triggers only: nobody adds one, and on SQLite (no triggers) there is none.
READ_ONLY = {"change"}


def _needs_rows(model):
    if model._meta.model_name in READ_ONLY and connection.vendor != "postgresql":
        pytest.skip("the change history is written by PostgreSQL triggers")


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def some_rows():
    selection = SelectionFactory()
    ConversationFactory(project=selection.surface.room.project, aos_score_overall=3)
    QuoteFactory(project=selection.surface.room.project)
    return selection


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_lists_rows_and_searches(superuser_client, some_rows, model):
    _needs_rows(model)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    if admin.site._registry[model].search_fields:
        assert superuser_client.get(url, {"q": "zzz-nothing"}).context["cl"].result_count == 0


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_change_page_renders(superuser_client, some_rows, model):
    _needs_rows(model)
    obj = model.objects.first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert str(obj.pk) in response.content.decode() or response.context["original"] == obj


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_add_page_renders_unless_adding_is_for_the_floor(superuser_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = superuser_client.get(url)
    if model._meta.model_name in ("quote", *READ_ONLY):
        # Quotes are made from selections, not typed in; the change history only by triggers.
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert b'name="_save"' in response.content


def test_catalog_staff_edit_a_price_in_the_list(catalog_client):
    product = SelectionFactory().product
    url = reverse("admin:catalog_productcatalog_changelist")
    page = catalog_client.get(url)
    assert page.status_code == 200
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-sku": product.sku,
        "form-0-price_retail": "49.99",
        "form-0-price_pro": "44.50",
        "form-0-in_stock": "on",
        "_save": "Save",
    }
    response = catalog_client.post(url, form)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price_retail == Decimal("49.99")
    assert product.price_pro == Decimal("44.50")
    assert product.in_stock is True


def test_catalog_staff_bulk_mark_out_of_stock(catalog_client):
    product = SelectionFactory().product
    response = catalog_client.post(
        reverse("admin:catalog_productcatalog_changelist"),
        {"action": "mark_out_of_stock", "_selected_action": [product.sku]},
        follow=True,
    )
    assert "1 product(s) marked out of stock." in response.content.decode()
    assert ProductCatalog.objects.get(pk=product.sku).in_stock is False


def test_catalog_staff_see_quotes_but_not_customers_or_conversations_in_admin(catalog_client):
    QuoteFactory()
    assert catalog_client.get(reverse("admin:quotes_quote_changelist")).status_code == 200
    assert catalog_client.get(reverse("admin:customers_customer_changelist")).status_code == 403
    assert catalog_client.get(reverse("admin:conversations_conversationlog_changelist")).status_code == 403


def test_quote_lines_and_number_are_read_only(superuser_client):
    quote = QuoteFactory(lines=[{"sku": "TST-1", "line_total": "10.00"}])
    url = reverse("admin:quotes_quote_change", args=[quote.pk])
    page = superuser_client.get(url)
    form_fields = page.context["adminform"].form.fields
    for name in ("quote_number", "subtotal", "total_amount", "lines"):
        assert name not in form_fields


def test_the_lockouts_are_in_the_admin_too(superuser_client, associate):
    from django.test import Client

    for _ in range(5):
        Client().post(reverse("login"), {"username": "associate", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    url = reverse("admin:axes_accessattempt_changelist")
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert "10.0.0.7" in response.content.decode()
