"""No lost updates: each edit form carries the version its row had when the page was drawn, the
service saves only if the row still has it (UPDATE … WHERE version = …), and a stale save is
refused with what the other person changed, the user's typing kept, and the database untouched —
for a customer, a project's needs, a room, a surface, a selection and a quote, as htmx and as a
plain POST."""

import html as htmllib
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from aos_crm.concurrency import StaleEdit, save_versioned
from conversations.forms import CustomerForm
from customers.models import Customer
from projects import services as project_services
from projects.forms import NeedsForm, RoomForm, SelectionUpdateForm, SurfaceForm
from projects.models import Project, ProjectRoom, SelectedProduct, Surface
from quotes.models import Quote
from tests.factories import (
    ConversationFactory,
    ProductFactory,
    QuoteFactory,
    RoomFactory,
    SelectionFactory,
    SurfaceFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
HX = {"HTTP_HX_REQUEST": "true"}
CONFLICT = "Someone else saved this while you were editing"


def visible(response) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def field_value(html: str, element_id: str) -> str:
    tag = re.search(rf'<input\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert tag, f"no input {element_id!r}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return htmllib.unescape(value.group(1)) if value else ""


def posted(form, **changes) -> dict:
    """What the page's form posts for an unbound `form` (its shown values, version and snapshot)
    with `changes` typed in."""
    data = {}
    for name in form.fields:
        value = changes.get(name, form[name].value())
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value)
    return data


@pytest.fixture
def wizard(associate):
    conversation = ConversationFactory(project__sales_associate=associate, aos_phase="needs_assessment")
    room = RoomFactory(project=conversation.project, room_name="Primary bath", room_length_ft=D("10"))
    surface = SurfaceFactory(room=room, surface_area_sf=D("80.00"), waste_factor=D("0.10"), pattern_type="straight_lay")
    return conversation, room, surface


@pytest.fixture
def colleague(associate2):
    client = Client()
    client.force_login(associate2)
    return client


def url(name, *args):
    return reverse(f"conversations:{name}", args=args)


# --- the service ------------------------------------------------------------------------------------


def test_a_save_with_the_loaded_version_raises_it_and_a_stale_one_writes_nothing(wizard):
    _, room, _ = wizard
    mine = ProjectRoom.objects.get(pk=room.pk)
    theirs = ProjectRoom.objects.get(pk=room.pk)

    theirs.room_name = "Guest bath"
    save_versioned(theirs, version=1)
    mine.room_name = "Kids bath"
    with pytest.raises(StaleEdit) as refused:
        save_versioned(mine, version=1)

    stored = ProjectRoom.objects.get(pk=room.pk)
    assert (stored.room_name, stored.version) == ("Guest bath", 2)
    assert refused.value.current.room_name == "Guest bath"


def test_a_write_no_form_asked_for_still_raises_the_version(wizard):
    conversation, _, _ = wizard
    project = Project.objects.get(pk=conversation.project_id)
    Project.objects.filter(pk=project.pk).update(version=5)  # someone saved meanwhile

    project.project_status = "quoted"
    save_versioned(project, fields=["project_status", "updated_at"])

    stored = Project.objects.get(pk=project.pk)
    assert (stored.project_status, stored.version, project.version) == ("quoted", 6, 6)


# --- a surface --------------------------------------------------------------------------------------


def test_the_surface_form_carries_its_version_and_what_it_showed(associate_client, wizard):
    conversation, _, surface = wizard
    html = associate_client.get(f"{url('phase', conversation.pk, 'needs')}?edit=surface-{surface.pk}").content.decode()

    assert field_value(html, f"surface-{surface.pk}-version") == "1"
    loaded = json.loads(field_value(html, f"surface-{surface.pk}-loaded"))
    assert loaded["surface_area_sf"] == "80.00"
    assert loaded["pattern_type"] == "straight_lay"


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_stale_surface_save_is_refused_with_their_value_and_my_typing_kept(
    associate_client, colleague, wizard, headers
):
    conversation, _, surface = wizard
    mine = posted(SurfaceForm(instance=surface), surface_area_sf="160")
    theirs = posted(SurfaceForm(instance=surface), pattern_type="diagonal")
    edit = url("surface_edit", conversation.pk, surface.pk)
    assert colleague.post(edit, theirs, **HX).status_code == 200

    response = associate_client.post(edit, mine, **headers)

    stored = Surface.objects.get(pk=surface.pk)
    assert (stored.surface_area_sf, stored.pattern_type, stored.version) == (D("80.00"), "diagonal", 2)
    text = visible(response)
    assert CONFLICT in text
    assert "Pattern: Diagonal" in text
    assert "Area (sq ft): " not in text.split(CONFLICT)[1].split("Nothing of yours")[0]
    html = response.content.decode()
    assert field_value(html, f"surface-{surface.pk}-surface_area_sf") == "160"
    # Saving again replaces theirs, on purpose.
    assert field_value(html, f"surface-{surface.pk}-version") == "2"
    again = {**mine, "version": "2", "loaded": field_value(html, f"surface-{surface.pk}-loaded")}
    associate_client.post(edit, again, **headers)
    assert Surface.objects.get(pk=surface.pk).surface_area_sf == D("160.00")


# --- a room -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_stale_room_save_is_refused_with_their_value_and_my_typing_kept(associate_client, colleague, wizard, headers):
    conversation, room, _ = wizard
    mine = posted(RoomForm(instance=room), room_notes="Keep the window trim")
    theirs = posted(RoomForm(instance=room), room_name="Guest bath")
    edit = url("room_edit", conversation.pk, room.pk)
    colleague.post(edit, theirs, **HX)

    response = associate_client.post(edit, mine, **headers)

    stored = ProjectRoom.objects.get(pk=room.pk)
    assert stored.room_name == "Guest bath"
    assert not stored.room_notes
    assert CONFLICT in visible(response)
    assert "Name: Guest bath" in visible(response)
    assert "Keep the window trim" in response.content.decode()


# --- a project's needs ------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_stale_needs_save_is_refused_with_their_value_and_my_typing_kept(
    associate_client, colleague, wizard, headers
):
    conversation, _, _ = wizard
    project = Project.objects.get(pk=conversation.project_id)
    mine = {**posted(NeedsForm(instance=project), tile_budget="1800"), "go": "needs"}
    theirs = {**posted(NeedsForm(instance=project), contractor_name="Ruiz Tile LLC"), "go": "needs"}
    needs = url("phase", conversation.pk, "needs")
    colleague.post(needs, theirs)

    response = associate_client.post(needs, mine, **headers)

    stored = Project.objects.get(pk=project.pk)
    assert (stored.contractor_name, stored.tile_budget) == ("Ruiz Tile LLC", project.tile_budget)
    text = visible(response)
    assert CONFLICT in text
    assert "Ruiz Tile LLC" in text.split(CONFLICT)[1]
    assert field_value(response.content.decode(), "id_tile_budget") == "1800"


# --- a customer -------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_stale_customer_save_is_refused_with_their_value_and_my_typing_kept(
    associate_client, colleague, wizard, headers
):
    conversation, _, _ = wizard
    customer = Customer.objects.get(pk=conversation.project.customer_id)
    project = {
        "installation_method": "diy",
        "interaction_type": "initial_inquiry",
        "project_name": "",
        "go": "greeting",
    }
    mine = {**posted(CustomerForm(instance=customer), last_name="Rivera-Diaz"), **project}
    theirs = {**posted(CustomerForm(instance=customer), phone_primary="312 555 0199"), **project}
    greeting = url("phase", conversation.pk, "greeting")
    colleague.post(greeting, theirs)

    response = associate_client.post(greeting, mine, **headers)

    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.phone_primary, stored.last_name) == ("+13125550199", customer.last_name)
    text = visible(response)
    assert CONFLICT in text
    assert "Phone: (312) 555-0199" in text
    assert field_value(response.content.decode(), "id_last_name") == "Rivera-Diaz"


# --- a selection ------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_a_stale_selection_save_is_refused_with_their_value_and_my_typing_kept(
    associate_client, colleague, wizard, headers
):
    conversation, _, surface = wizard
    selection = SelectionFactory(
        surface=surface, product=ProductFactory(), quantity_ordered=D("6"), selection_status="considered"
    )
    mine = posted(SelectionUpdateForm.for_instance(selection), quantity_ordered="9")
    theirs = posted(SelectionUpdateForm.for_instance(selection), selection_status="selected")
    edit = url("selection_edit", conversation.pk, selection.pk)
    colleague.post(edit, theirs, **HX)

    response = associate_client.post(edit, mine, **headers)

    stored = SelectedProduct.objects.get(pk=selection.pk)
    assert (stored.quantity_ordered, stored.selection_status) == (D("6"), "selected")
    text = visible(response)
    assert CONFLICT in text
    assert "Status: Selected" in text
    assert f'id="qty-{selection.pk}"' in response.content.decode()
    assert re.search(rf'id="qty-{selection.pk}"\s+value="9"', response.content.decode())


# --- a quote ----------------------------------------------------------------------------------------


def test_a_stale_quote_move_is_refused_with_its_new_status(associate_client, colleague, wizard):
    conversation, _, _ = wizard
    quote = QuoteFactory(project=conversation.project, quote_status="draft")
    move = reverse("quotes:transition", args=[quote.pk])
    colleague.post(move, {"to": "sent", "version": "1"})

    response = associate_client.post(move, {"to": "rejected", "version": "1"}, follow=True)

    stored = Quote.objects.get(pk=quote.pk)
    assert (stored.quote_status, stored.version) == ("sent", 2)
    assert "Someone else changed quote" in visible(response)
    assert "Status: Sent" in visible(response)


def test_a_surface_change_elsewhere_makes_an_open_needs_form_stale(wizard):
    """Services that write a row without a form (the kit inputs here) raise its version too."""
    _, _, surface = wizard
    project_services.surface_kit_inputs_save(
        surface=Surface.objects.get(pk=surface.pk), joint_width_in=D("0.125"), trim_linear_ft=None
    )
    with pytest.raises(StaleEdit):
        project_services.surface_update(surface=Surface.objects.get(pk=surface.pk), data={}, version=1)
