"""Helpers shared by the catalog tests: the wizard's product search as an associate sees it, and
the admin's forms as catalog staff post them."""

import html as htmllib
import re

from django.test import Client
from django.urls import reverse

from tests.factories import AssociateFactory, ConversationFactory, RoomFactory, SurfaceFactory

HX = {"HTTP_HX_REQUEST": "true"}
CHANGELIST = "admin:catalog_productcatalog_changelist"


def visible(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


class Floor:
    """An associate mid-conversation, on the design phase of a surface."""

    def __init__(self):
        self.associate = AssociateFactory(username="floor-associate")
        self.client = Client()
        self.client.force_login(self.associate)
        self.conversation = ConversationFactory(project__sales_associate=self.associate, aos_phase="design_details")
        self.surface = SurfaceFactory(room=RoomFactory(project=self.conversation.project))

    def search(self, query: str) -> str:
        """The wizard's live product search (htmx partial), as visible text."""
        response = self.client.get(
            reverse("conversations:product_search", args=[self.conversation.pk]),
            {"q": query, "surface": self.surface.pk},
            **HX,
        )
        assert response.status_code == 200
        return visible(response.content.decode())

    def add(self, sku: str, **headers):
        return self.client.post(
            reverse("conversations:selection_add", args=[self.conversation.pk, self.surface.pk]),
            {"product_sku": sku, "selection_status": "selected"},
            **headers,
        )

    def design_page(self) -> str:
        response = self.client.get(reverse("conversations:phase", args=[self.conversation.pk, "design"]))
        assert response.status_code == 200
        return response.content.decode()


def change_form_data(client, product, **changes) -> dict:
    """The admin change form's POST data for `product`, as the page shows it, with `changes`."""
    page = client.get(reverse("admin:catalog_productcatalog_change", args=[product.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = changes.get(name, form.initial.get(name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value)
    data["_save"] = "Save"
    return data
