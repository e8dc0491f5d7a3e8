"""The AOS wizard. Every page works as plain form posts (POST/redirect/GET); with htmx, the same
views answer with the partial that changed, and a phase change pushes the new URL."""

from __future__ import annotations

import functools
import re
import uuid
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from aos_crm.concurrency import StaleEdit, refuse_stale
from aos_crm.pagination import page_number, page_of, window
from archive import guards as archive_guards
from archive import selectors as archive_selectors
from catalog.models import ProductCatalog
from conversations import phases, selectors, services
from conversations.forms import CloseForm, CustomerForm, GreetingProjectForm, MomentForm, ReturningCustomerForm
from conversations.models import ConversationLog, Outcome, ScoredAs
from conversations.rubric import RUBRIC, score_rows
from customers.models import Customer
from history import selectors as history_selectors
from projects import estimating, kit
from projects import services as project_services
from projects.forms import (
    EstimateCarryForm,
    KitForm,
    NeedsForm,
    RoomForm,
    SelectionAddForm,
    SelectionUpdateForm,
    SurfaceForm,
    as_percent,
)
from projects.models import ComplexityLevel, PatternType, ProjectRoom, SelectedProduct, SelectionStatus, Surface
from quotes.models import Quote

CHANGE = "conversations.change_conversationlog"
WIZARD = "conversations/wizard.html"
SEARCH_LIMIT = 8
SUMMARY_QUOTES = 5


def _apply_errors(form, error: ValidationError):
    """Puts a service's validation errors next to the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _get_conversation(log_id) -> ConversationLog:
    try:
        return selectors.conversation_for_wizard(log_id)
    except ConversationLog.DoesNotExist:
        raise Http404("No such conversation") from None


def _closed_response(request, conversation):
    messages.warning(request, "This conversation is closed. Start a follow-up conversation to change it.")
    url = reverse("conversations:summary", args=[conversation.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- starting and resuming -------------------------------------------------------------------


@require_GET
@permission_required(CHANGE, raise_exception=True)
def conversation_list(request):
    """My open conversations, to resume one, 25 a page."""
    page = page_of(request, selectors.open_conversations(request.user))
    return render(request, "conversations/conversation_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE, raise_exception=True)
def conversation_new(request):
    """Phase 1 for a new customer: find them as one types, or create them (duplicates shown first)."""
    customer_form = CustomerForm(request.POST or None, auto_id="id_%s")
    project_form = GreetingProjectForm(request.POST or None)
    # A quick estimate (/estimate/) carried into the conversation's first room and surface.
    carry = EstimateCarryForm(request.POST if request.method == "POST" else request.GET, prefix="estimate")
    carried = carry.is_valid() if any(key.startswith("estimate-") for key in carry.data) else False
    duplicates = Customer.objects.none()
    if request.method == "POST":
        valid = customer_form.is_valid() & project_form.is_valid()
        # Shown whether or not the form is valid: a refused duplicate email still offers
        # "continue with this customer".
        duplicates = Customer.objects.possible_duplicates(
            email=request.POST.get("email", ""), phone=request.POST.get("phone_primary", "")
        )[:5]
        if valid and duplicates and not request.POST.get("confirm_new"):
            valid = False
        if valid:
            try:
                conversation = services.conversation_start(
                    associate=request.user,
                    customer_data=customer_form.cleaned_data,
                    project_data=project_form.cleaned_data,
                    interaction_type=project_form.cleaned_data["interaction_type"],
                )
            except ValidationError as error:
                _apply_errors(customer_form, error)
            else:
                if carried:
                    project_services.estimate_carry(project=conversation.project, data=carry.cleaned_data)
                services.conversation_advance(conversation=conversation, phase="needs", by=request.user)
                messages.success(request, f"Conversation with {conversation.project.customer} started.")
                return _to_phase(request, conversation, "needs")
    query = request.GET.get("q", "").strip()
    context = {
        "customer_form": customer_form,
        "project_form": project_form,
        "duplicates": list(duplicates),
        "query": query,
        "results": _customer_results(query, request.GET.get("page")),
        "carry": carry if carried else None,
    }
    return render(request, "conversations/start.html", context)


def _customer_results(query, page):
    """Eight matches at a time in name order (`Customer.objects.search_ordered`), with whether more
    follow; counting every match of a phone fragment would cost more than finding the first eight."""
    if not query:
        return window([], size=SEARCH_LIMIT)
    matches = archive_selectors.with_archive_flags(
        Customer.objects.search_ordered(query, "last_name", "first_name", "customer_id")
    )
    return window(matches, size=SEARCH_LIMIT, number=page_number(page))


@require_GET
@permission_required(CHANGE, raise_exception=True)
def customer_search(request):
    """Live results while the associate types a phone, an email or a name. Its "more results"
    link asks for the next eight, which htmx appends in place of the link."""
    query = request.GET.get("q", "").strip()
    results = _customer_results(query, request.GET.get("page"))
    partial = "search-rows" if request.htmx and results.number > 1 else "search-results"
    return render(request, f"conversations/start.html#{partial}", {"results": results, "query": query})


@require_GET
@permission_required(CHANGE, raise_exception=True)
def duplicate_check(request):
    """As the email and phone are typed: customers already on file with the same ones."""
    duplicates = list(
        Customer.objects.possible_duplicates(
            email=request.GET.get("email", ""), phone=request.GET.get("phone_primary", "")
        )[:5]
    )
    return render(request, "conversations/start.html#duplicates", {"duplicates": duplicates})


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE, raise_exception=True)
def conversation_new_for_customer(request, customer_id):
    """A returning customer: continue one of their projects or open a new one."""
    customer = get_object_or_404(Customer, pk=customer_id)
    wanted = request.POST.get("project") if request.method == "POST" else request.GET.get("project")
    archived = selectors.archived_project(customer, wanted)
    if archived:
        return archive_guards.refused(request, archived)
    projects, older_projects = selectors.projects_to_continue(customer, wanted=wanted)
    form = ReturningCustomerForm(request.POST or None, projects=projects, preselect=request.GET.get("project"))
    if request.method == "POST" and form.is_valid():
        conversation = services.conversation_start(
            associate=request.user,
            customer=customer,
            project=form.cleaned_data["project"],
            project_data=form.cleaned_data,
            interaction_type=form.cleaned_data["interaction_type"],
        )
        messages.success(request, f"Conversation with {customer} started.")
        return _to_phase(request, conversation, "greeting")
    context = {"customer": customer, "form": form, "older_projects": older_projects}
    return render(request, "conversations/start_returning.html", context)


@require_GET
@permission_required(CHANGE, raise_exception=True)
def conversation_resume(request, log_id):
    """Opens the conversation where it stands (its `aos_phase`), or its summary once closed."""
    conversation = _get_conversation(log_id)
    if archive_guards.is_archived(conversation.project):
        return redirect("projects:detail", conversation.project_id)
    if conversation.closed_at:
        return redirect("conversations:summary", conversation.pk)
    phase = phases.for_aos_phase(conversation.aos_phase)
    return redirect("conversations:phase", conversation.pk, phase.slug)


@require_GET
@permission_required("conversations.view_conversationlog", raise_exception=True)
def conversation_summary(request, log_id):
    """Everything the conversation captured, read-only. An archived project's conversations are
    read on the project's page, with their notes from the archive."""
    conversation = _get_conversation(log_id)
    if archive_guards.is_archived(conversation.project):
        return redirect("projects:detail", conversation.project_id)
    rooms = selectors.project_rooms(conversation.project)
    for room in rooms:
        for surface in room.surfaces.all():
            # The same warnings as the design page (from the rows already loaded).
            surface.warnings = kit.surface_warnings(surface)
            for selection in surface.selections.all():
                selection.warnings = kit.tile_warnings(selection, surface)
    facts = selectors.captured_facts(conversation, rooms)
    context = {
        "conversation": conversation,
        "customer": conversation.project.customer,
        "project": conversation.project,
        "rooms": rooms,
        "totals": selectors.totals(rooms),
        "steps": selectors.stepper(conversation, facts, current=""),
        # Associates see only their own AOS scores (DESIGN.md); managers see everyone's.
        "scores": score_rows(conversation) if services.may_see_scores(request.user, conversation) else None,
        # The newest few; the project page pages through the rest.
        "quotes": window(Quote.objects.for_project_page(conversation.project), size=SUMMARY_QUOTES),
        "history": selectors.phase_history(conversation),
        # Its change history (scores included): managers only.
        "changes": history_selectors.panel(request, table="conversation_log", object_id=conversation.pk),
    }
    return render(request, "conversations/summary.html", context)


# --- phase pages -----------------------------------------------------------------------------


def _to_phase(request, conversation, slug):
    url = reverse("conversations:phase", args=[conversation.pk, slug])
    if request.htmx:
        response = _render_phase(request, conversation, slug, panel_only=True)
        response["HX-Push-Url"] = url
        return response
    return redirect(url)


def _phase_context(conversation, slug, forms=None, search=None, only_surface=None, working=False, user=None):
    """The context of a phase page; `forms` carries bound forms with errors to show in place, and
    `search` a product search made without JavaScript (surface and query from the URL). With
    `only_surface` (an htmx answer that shows one surface's card) only that surface's selections,
    kit and forms are built, and with `working` (the answer to a change of it) its kit and add forms
    are open. `user` decides whether the close page shows the AOS scores."""
    forms = forms or {}
    project = conversation.project
    # The pages that show the rooms load them once, and the checklist counts from them too.
    rooms = selectors.project_rooms(project) if slug in ("needs", "design", "close") else None
    facts = selectors.captured_facts(conversation, rooms)
    context = {
        "conversation": conversation,
        "project": project,
        "customer": project.customer,
        "phase": phases.get(slug),
        "previous": phases.previous_phase(slug),
        "next": phases.next_phase(slug),
        "steps": selectors.stepper(conversation, facts, current=slug),
        "checklist": phases.checklist(slug, facts),
        "phase_template": f"conversations/phase_{slug}.html",
    }
    if slug == "greeting":
        context["customer_form"] = forms.get("customer") or CustomerForm(instance=project.customer)
        context["project_form"] = forms.get("project") or GreetingProjectForm(
            initial={
                "installation_method": project.installation_method,
                "interaction_type": conversation.interaction_type,
                "project_name": project.project_name,
            }
        )
    elif slug == "needs":
        context["needs_form"] = forms.get("needs") or NeedsForm(instance=project)
        context.update(_rooms_context(conversation, forms, edit=(search or {}).get("edit"), rooms=rooms))
    elif slug == "design":
        context.update(
            _rooms_context(
                conversation,
                forms,
                design=True,
                edit=_design_edit(search),
                only_surface=only_surface,
                rooms=rooms,
                working_on_it=working,
            )
        )
        context["selection_statuses"] = SelectionStatus.choices
        context["edit_focus"] = "add" if (_design_edit(search) or "").startswith("add-") else None
        if search and search.get("q") and search.get("surface"):
            context["search_surface"] = search["surface"]
            context["search_query"] = search["q"].strip()
            context["search_results"] = _product_results(search["q"].strip(), search.get("page"))
    elif slug == "close":
        # Associates see only their own AOS scores (DESIGN.md): on a colleague's conversation the
        # page records the outcome, next step and notes, without the scores.
        with_scores = user is not None and services.may_see_scores(user, conversation)
        context["with_scores"] = with_scores
        context["close_form"] = forms.get("close") or CloseForm(
            instance=conversation,
            initial=selectors.self_assessment_initial(conversation) if with_scores else None,
            with_scores=with_scores,
        )
        context["manager_scored"] = with_scores and conversation.scored_as == ScoredAs.MANAGER
        context.update(_moments_context(conversation, forms))
        context["rubric"] = RUBRIC
        context["totals"] = selectors.totals(rooms)
    return context


def _design_edit(search) -> str | None:
    """What the design page opens from its URL: ?edit=…, or a search made without JavaScript
    (?surface=<id>&q=…), which opens that surface's add forms with the results."""
    search = search or {}
    if search.get("q") and search.get("surface"):
        return f"search-{search['surface']}"
    return search.get("edit")


class _DesignLinks:
    """The design page's per-surface and per-selection addresses, reversed once per page and
    filled in for each row: a `{% url %}` per link was a quarter of the page's rendering time."""

    _MARK = uuid.UUID(int=0)

    def __init__(self, conversation):
        self.page = reverse("conversations:phase", args=[conversation.pk, "design"])
        self._patterns = {
            name: reverse(f"conversations:{name}", args=[conversation.pk, self._MARK])
            for name in ("design_surface", "selection_edit")
        }

    def url(self, name, pk) -> str:
        return self._patterns[name].replace(str(self._MARK), str(pk))

    def opening(self, surface, parts) -> str:
        """The card's address with `parts` (e.g. ["kit", "add"]) open: htmx gets the card, a
        browser without JavaScript is sent to the page with the same parts open."""
        return f"{self.url('design_surface', surface.pk)}?open={','.join(parts)}"

    def editing(self, selection) -> str:
        """The address that opens one selection's fields (the same two ways)."""
        return self.url("selection_edit", selection.pk)


def _design_entry(conversation, surface, forms, kit_products, edit=None, working=False, links=None):
    """A surface on the design page: its selections with warnings and effective waste, its tile,
    the waste that tile suggests, and the setting-materials kit. A selection reads as one row; only
    the one being edited (`edit`: "selection-<id>") or one with errors gets its quantity and status
    fields and its Remove button.

    The kit (computed, with its form) and the add-a-product forms open on demand, so a saved surface
    costs a few rows: the kit with `edit` "kit-<id>", errors in its form, or when the associate is
    `working` on this surface (the htmx answer to a change of it: a tile just chosen shows its kit);
    the add forms likewise ("add-<id>"), and on a surface with nothing selected yet."""
    opened = set((edit or "").split(","))  # e.g. "kit-<id>,add-<id>": both parts open
    rows = [
        {
            "selection": selection,
            "warnings": kit.tile_warnings(selection, surface),
            "effective_waste": kit.effective_waste(selection, surface),
            "sf_bought": (selection.quantity_ordered or 0) * (selection.box_coverage_sf or 0),
            "form": forms.get(f"selection:{selection.pk}"),
            "editing": f"selection:{selection.pk}" in forms or f"selection-{selection.pk}" in opened,
            "edit_link": links.editing(selection),
        }
        for selection in surface.selections.all()
    ]
    for row in rows:
        if row["editing"]:
            # The version and values the edit was loaded with (aos_crm.concurrency).
            row["guard"] = row["form"] or SelectionUpdateForm.for_instance(row["selection"])
    entry = {
        "rows": rows,
        "tile": kit.surface_tile(surface),
        "add_open": working
        or not rows
        or f"selection:new:{surface.pk}" in forms
        or bool(opened & {f"add-{surface.pk}", f"search-{surface.pk}"}),
    }
    if entry["add_open"]:
        entry["add_form"] = forms.get(f"selection:new:{surface.pk}") or SelectionAddForm(auto_id=f"sel-{surface.pk}-%s")
    if entry["tile"] is None:
        entry["add_link"] = links.opening(surface, ["add"])
        return entry
    tile = entry["tile"]
    entry["suggested_waste"] = project_services.surface_waste_default(
        pattern_type=surface.pattern_type,
        complexity_level=surface.complexity_level,
        tile=tile,
        obstacles=surface.obstacles_count,
    )
    entry["kit_open"] = working or f"kit:{surface.pk}" in forms or f"kit-{surface.pk}" in opened
    entry["add_link"] = links.opening(surface, ["add", "kit"] if entry["kit_open"] else ["add"])
    if not entry["kit_open"]:
        entry["kit_link"] = links.opening(surface, ["kit", "add"] if entry["add_open"] and rows else ["kit"])
        return entry
    form = forms.get(f"kit:{surface.pk}") or KitForm(
        initial=_kit_initial(surface, tile), auto_id=f"kit-{surface.pk}-%s"
    )
    entry["kit_form"] = form
    inputs = _kit_inputs(form, tile, surface)
    lines = kit.suggest(
        surface=surface, tile=tile, customer=conversation.project.customer, inputs=inputs, products=kit_products
    )
    entry["kit"] = kit.rows(surface, lines)
    entry["kit_addable"] = any(line.product for line in lines)
    return entry


def _kit_initial(surface, tile) -> dict:
    """The joint and trim kept on the surface, else the ANSI minimum joint for the tile's edge."""
    joint = surface.grout_joint_in or kit.default_joint(tile)
    return {
        "joint_width": estimating.format_inches(joint).removesuffix(" in"),
        "trim_linear_ft": surface.trim_linear_ft,
    }


def _kit_inputs(form, tile, surface=None) -> kit.KitInputs:
    """The kit's inputs from a valid form, else those kept on the surface, else the defaults."""
    if form.is_bound and form.is_valid():
        return kit.KitInputs(form.cleaned_data["joint_width"], form.cleaned_data["trim_linear_ft"])
    if surface is not None and surface.grout_joint_in:
        return kit.KitInputs(surface.grout_joint_in, surface.trim_linear_ft or Decimal("0"))
    return kit.KitInputs(kit.default_joint(tile))


def _rooms_context(conversation, forms, *, design=False, edit=None, only_surface=None, rooms=None, working_on_it=False):
    """Rooms with their surfaces. On the needs page a saved room or surface shows as a compact
    read row; only the one being edited (`edit`: "room-<id>", "surface-<id>" or "add-surface-<room
    id>", from ?edit=) or one with errors (a bound form in `forms`) gets its form, so the page costs
    little per surface. An empty room shows its add-surface form at once. On the design page, with
    `working_on_it`, the `only_surface` shown opens its kit and add forms (see `_design_entry`)."""
    if rooms is None:
        rooms = selectors.project_rooms(conversation.project)
    kit_products = kit.candidates() if design else []
    links = _DesignLinks(conversation) if design else None
    cards = []
    for room in rooms:
        surfaces = []
        for surface in room.surfaces.all():
            if only_surface is not None and surface.pk != only_surface:
                surfaces.append({"surface": surface})  # not shown: only its place and totals count
                continue
            entry = {"surface": surface, "surface_warnings": kit.surface_warnings(surface)}
            if design:
                working = only_surface is not None and working_on_it
                entry.update(
                    _design_entry(conversation, surface, forms, kit_products, edit=edit, working=working, links=links)
                )
            elif f"surface:{surface.pk}" in forms or edit == f"surface-{surface.pk}":
                entry["form"] = forms.get(f"surface:{surface.pk}") or SurfaceForm(
                    instance=surface, auto_id=f"surface-{surface.pk}-%s"
                )
            surfaces.append(entry)
        editing = not design and (f"room:{room.pk}" in forms or edit == f"room-{room.pk}")
        cards.append(
            {
                "room": room,
                "editing": editing,
                "form": (forms.get(f"room:{room.pk}") or RoomForm(instance=room, auto_id=f"room-{room.pk}-%s"))
                if editing
                else None,
                "surfaces": surfaces,
                # Asked for, or with errors, or the first surface of an empty room: else a link opens it.
                "new_surface_form": forms.get(f"surface:new:{room.pk}")
                or (
                    SurfaceForm(auto_id=f"new-surface-{room.pk}-%s")
                    if not design and (edit == f"add-surface-{room.pk}" or not surfaces)
                    else None
                ),
            }
        )
    return {
        "rooms": cards,
        "new_room_form": forms.get("room:new") or RoomForm(auto_id="new-room-%s"),
        "totals": selectors.totals(rooms),
    }


def _render_phase(request, conversation, slug, *, forms=None, panel_only=False):
    """A phase page, or with `panel_only` its #wizard-panel partial (stepper and phase)."""
    context = _phase_context(conversation, slug, forms, search=request.GET, user=request.user)
    return render(request, f"{WIZARD}#wizard-panel" if panel_only else WIZARD, context)


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE, raise_exception=True)
def conversation_phase(request, log_id, phase):
    """One wizard page. POST saves the phase's main form and moves on (or stays, with messages)."""
    if phase not in phases.SLUGS:
        raise Http404("No such phase")
    conversation = _get_conversation(log_id)
    if archive_guards.is_archived(conversation.project):
        return archive_guards.refused(request, conversation.project)
    if conversation.closed_at:
        return _closed_response(request, conversation)
    if request.method == "GET":
        response = _render_phase(request, conversation, phase, panel_only=bool(request.htmx))
        if request.htmx:
            response["HX-Push-Url"] = request.get_full_path()
        return response
    handler = {"greeting": _post_greeting, "needs": _post_needs, "design": _post_design, "close": _post_close}[phase]
    return handler(request, conversation)


def _target_phase(request, current) -> str:
    """Where the button pressed goes: "next", "previous", a phase's slug (the stepper), or stay."""
    go = request.POST.get("go", "next")
    if go in phases.SLUGS:
        return go
    target = {"next": phases.next_phase(current), "previous": phases.previous_phase(current)}.get(go)
    return target.slug if target else current


def _go_on(request, conversation, current):
    """After a phase saved: the wizard stands where the associate goes, so it resumes there."""
    target = _target_phase(request, current)
    if target != current:
        services.conversation_advance(conversation=conversation, phase=target, by=request.user)
    return _to_phase(request, conversation, target)


def _post_greeting(request, conversation):
    # A fresh copy of the customer: a refused form must not rename the one the page shows.
    customer = Customer.objects.get(pk=conversation.project.customer_id)
    customer_form = CustomerForm(request.POST, instance=customer)
    project_form = GreetingProjectForm(request.POST)
    if customer_form.is_valid() & project_form.is_valid():
        try:
            services.greeting_update(
                conversation=conversation,
                customer_data=customer_form.cleaned_data,
                project_data=project_form.cleaned_data,
                interaction_type=project_form.cleaned_data["interaction_type"],
                customer_version=customer_form.loaded_version,
            )
        except StaleEdit as error:
            refuse_stale(customer_form, error)
        except ValidationError as error:
            _apply_errors(customer_form, error)
        else:
            return _go_on(request, conversation, "greeting")
    forms = {"customer": customer_form, "project": project_form}
    return _render_phase(request, conversation, "greeting", forms=forms, panel_only=bool(request.htmx))


def _post_needs(request, conversation):
    form = NeedsForm(request.POST, instance=conversation.project)
    if form.is_valid():
        try:
            project_services.project_update_needs(
                project=conversation.project, data=form.cleaned_data, version=form.loaded_version
            )
        except StaleEdit as error:
            refuse_stale(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _go_on(request, conversation, "needs")
    return _render_phase(request, conversation, "needs", forms={"needs": form}, panel_only=bool(request.htmx))


def _post_design(request, conversation):
    return _go_on(request, conversation, "design")


def _post_close(request, conversation):
    """The close button closes the conversation; leaving for another phase keeps what was typed."""
    closing = request.POST.get("go") == "close"
    form = CloseForm(
        request.POST,
        instance=conversation,
        closing=closing,
        with_scores=services.may_see_scores(request.user, conversation),
    )
    if form.is_valid():
        try:
            if not closing:
                services.close_draft_save(conversation=conversation, data=form.cleaned_data, by=request.user)
                return _go_on(request, conversation, "close")
            services.conversation_close(conversation=conversation, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if conversation.outcome == Outcome.QUOTE_REQUESTED:
                messages.success(request, "Conversation closed. Now the quote the customer asked for:")
                url = reverse("quotes:new", args=[conversation.project_id])
            else:
                messages.success(request, "Conversation closed. Nice work.")
                url = reverse("conversations:summary", args=[conversation.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return _render_phase(request, conversation, "close", forms={"close": form}, panel_only=bool(request.htmx))


# --- rooms and surfaces (phase 2), selections (phase 3) ------------------------------------


def _after_change(request, conversation, phase, *, target, forms=None, message=None):
    """After a room, surface, selection or kit change. htmx: only the changed card comes back (so
    what is typed in the other cards stays), with the stepper, checklist and totals swapped out of
    band. Without JS: back to the page, or the page re-rendered with the bound form on errors.

    `target` is ("room", pk), ("room-deleted", None), ("room-added", pk), ("add-room", None) or
    ("surface", pk)."""
    if not request.htmx:
        if forms:
            return _render_phase(request, conversation, phase, forms=forms)
        if message:
            messages.success(request, message)
        return redirect("conversations:phase", conversation.pk, phase)
    kind, pk = target
    context = _phase_context(
        conversation,
        phase,
        forms,
        search=request.GET,
        only_surface=pk if kind == "surface" else None,
        working=True,
        user=request.user,
    )
    template = context["phase_template"]
    if kind == "surface":
        card, entry = _surface_card(context["rooms"], pk)
        return render(request, f"{template}#design-surface", {**context, "entry": entry, "card": card, "oob": True})
    if kind == "room-deleted":
        return render(request, "conversations/_needs_oob.html", context)
    if kind == "add-room":
        response = render(request, f"{template}#add-room", {**context, "oob": "add-room-errors"})
        return reswap(retarget(response, "#add-room"), "outerHTML")
    card = next((card for card in context["rooms"] if card["room"].pk == pk), None)
    if card is None:
        raise Http404("No such room")
    response = render(request, f"{template}#room-card", {**context, "card": card, "oob": True})
    if kind == "room-added":
        fresh = render_to_string(f"{template}#add-room", {**context, "oob": "add-room"}, request=request)
        response.content += (fresh + '<p id="no-rooms" hx-swap-oob="delete"></p>').encode()
    return response


def open_conversation(view):
    """For the room, surface, selection and kit writes: loads the conversation from `log_id` and
    passes it on, or answers that a closed conversation is a record and no longer changes (nor
    does any conversation of an archived project)."""

    @functools.wraps(view)
    def wrapper(request, log_id, **kwargs):
        conversation = _get_conversation(log_id)
        if archive_guards.is_archived(conversation.project):
            return archive_guards.refused(request, conversation.project)
        if conversation.closed_at:
            return _closed_response(request, conversation)
        return view(request, conversation, **kwargs)

    return wrapper


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def room_add(request, conversation):
    form = RoomForm(request.POST, auto_id="new-room-%s")
    if form.is_valid():
        try:
            room = project_services.room_add(project=conversation.project, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _after_change(
                request, conversation, "needs", target=("room-added", room.pk), message=f"{room} added."
            )
    return _after_change(request, conversation, "needs", target=("add-room", None), forms={"room:new": form})


def _room_card(request, conversation, room):
    """GET: the room's card on the needs page with the room or one of its surfaces open for editing
    (?edit=room-<id> or surface-<id>), or all of it read-only (no ?edit). htmx gets the card alone;
    without JavaScript the needs page opens with the same part in edit."""
    edit = request.GET.get("edit", "")
    url = reverse("conversations:phase", args=[conversation.pk, "needs"])
    if not request.htmx:
        query = f"?{urlencode({'edit': edit})}" if edit else ""
        return redirect(f"{url}{query}#room-{room.pk}")
    # Only the card: no stepper, checklist or totals change when a form opens or closes.
    cards = _rooms_context(conversation, {}, edit=edit)["rooms"]
    card = next((card for card in cards if card["room"].pk == room.pk), None)
    if card is None:
        raise Http404("No such room")
    context = {"conversation": conversation, "card": card, "oob": False}
    return render(request, "conversations/phase_needs.html#room-card", context)


def _room(conversation, room_id) -> ProjectRoom:
    return get_object_or_404(ProjectRoom, pk=room_id, project=conversation.project)


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def room_edit(request, conversation, room_id):
    room = _room(conversation, room_id)
    if request.method == "GET":
        return _room_card(request, conversation, room)
    form = RoomForm(request.POST, instance=room, auto_id=f"room-{room.pk}-%s")
    if form.is_valid():
        try:
            project_services.room_update(room=room, data=form.cleaned_data, version=form.loaded_version)
        except StaleEdit as error:
            refuse_stale(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _after_change(request, conversation, "needs", target=("room", room.pk), message=f"{room} saved.")
    return _after_change(request, conversation, "needs", target=("room", room.pk), forms={f"room:{room.pk}": form})


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def room_delete(request, conversation, room_id):
    room = _room(conversation, room_id)
    name = str(room)
    try:
        project_services.room_delete(room=room)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _after_change(request, conversation, "needs", target=("room", room.pk))
    return _after_change(request, conversation, "needs", target=("room-deleted", None), message=f"{name} removed.")


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def surface_add(request, conversation, room_id):
    room = _room(conversation, room_id)
    form = SurfaceForm(request.POST, auto_id=f"new-surface-{room.pk}-%s")
    if form.is_valid():
        try:
            surface = project_services.surface_add(room=room, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _after_change(request, conversation, "needs", target=("room", room.pk), message=f"{surface} added.")
    return _after_change(
        request, conversation, "needs", target=("room", room.pk), forms={f"surface:new:{room.pk}": form}
    )


def _surface(conversation, surface_id) -> Surface:
    try:
        surface_id = uuid.UUID(str(surface_id))
    except ValueError:
        raise Http404("No such surface") from None
    return get_object_or_404(
        Surface.objects.select_related("room__project__customer"),
        pk=surface_id,
        room__project=conversation.project,
    )


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def surface_edit(request, conversation, surface_id):
    surface = _surface(conversation, surface_id)
    form = SurfaceForm(request.POST, instance=surface, auto_id=f"surface-{surface.pk}-%s")
    if form.is_valid():
        try:
            project_services.surface_update(surface=surface, data=form.cleaned_data, version=form.loaded_version)
        except StaleEdit as error:
            refuse_stale(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _after_change(
                request, conversation, "needs", target=("room", surface.room_id), message="Surface saved."
            )
    return _after_change(
        request, conversation, "needs", target=("room", surface.room_id), forms={f"surface:{surface.pk}": form}
    )


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def surface_delete(request, conversation, surface_id):
    surface = _surface(conversation, surface_id)
    try:
        project_services.surface_delete(surface=surface)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _after_change(request, conversation, "needs", target=("room", surface.room_id))
    return _after_change(request, conversation, "needs", target=("room", surface.room_id), message="Surface removed.")


@require_GET
@permission_required(CHANGE, raise_exception=True)
def product_search(request, log_id):
    """Catalog search for the design phase (SKU, name, brand, color, material). Its "more results"
    link asks for the next eight, which htmx appends in place of the link."""
    conversation = _get_conversation(log_id)
    surface = _surface(conversation, request.GET.get("surface")) if request.GET.get("surface") else None
    query = request.GET.get("q", "").strip()
    products = _product_results(query, request.GET.get("page"))
    context = {
        "conversation": conversation,
        "customer": conversation.project.customer,
        "surface": surface,
        "products": products,
        "query": query,
    }
    partial = "product-rows" if request.htmx and products.number > 1 else "product-results"
    return render(request, f"conversations/phase_design.html#{partial}", context)


def _product_results(query, page):
    """Eight products at a time through the catalog's cached search, with whether more follow."""
    if not query:
        return window([], size=SEARCH_LIMIT)
    return window(ProductCatalog.objects.search(query), size=SEARCH_LIMIT, number=page_number(page))


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def selection_add(request, conversation, surface_id):
    surface = _surface(conversation, surface_id)
    form = SelectionAddForm(request.POST, auto_id=f"sel-{surface.pk}-%s")
    if form.is_valid():
        try:
            selection = project_services.selection_add(
                surface=surface,
                product=form.cleaned_data["product"],
                selection_status=form.cleaned_data["selection_status"],
                quantity=form.cleaned_data.get("quantity_ordered"),
            )
        except (ValidationError, ValueError) as error:
            if isinstance(error, ValidationError):
                _apply_errors(form, error)
            else:
                form.add_error("product_sku", str(error))
        else:
            message = f"{selection.product_id} added to {surface.get_surface_type_display().lower()}."
            return _after_change(request, conversation, "design", target=("surface", surface.pk), message=message)
    return _after_change(
        request, conversation, "design", target=("surface", surface.pk), forms={f"selection:new:{surface.pk}": form}
    )


def _selection(conversation, selection_id) -> SelectedProduct:
    return get_object_or_404(SelectedProduct, pk=selection_id, surface__room__project=conversation.project)


def _design_card(request, conversation, surface_id, edit: str):
    """GET: a surface's card on the design page with one selection open for editing
    (?edit=selection-<id>), or all of it read (no ?edit). htmx gets the card alone, without the
    stepper, checklist or totals (nothing changed); without JavaScript the design page opens with
    the same row in edit."""
    if not request.htmx:
        url = reverse("conversations:phase", args=[conversation.pk, "design"])
        query = f"?{urlencode({'edit': edit})}" if edit else ""
        return redirect(f"{url}{query}#design-surface-{surface_id}")
    rooms = _rooms_context(conversation, {}, design=True, edit=edit, only_surface=surface_id)
    card, entry = _surface_card(rooms["rooms"], surface_id)
    context = {
        "conversation": conversation,
        "customer": conversation.project.customer,
        "card": card,
        "entry": entry,
        "totals": rooms["totals"],
        "selection_statuses": SelectionStatus.choices,
        "edit_focus": "add" if edit.startswith("add-") else None,  # the part just opened comes first
        "oob": False,
    }
    return render(request, "conversations/phase_design.html#design-surface", context)


@require_GET
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def design_surface(request, conversation, surface_id):
    """GET: a surface's card on the design page with its setting materials (?open=kit), its
    add-a-product forms (?open=add) or both (?open=add,kit) open, or both closed (no ?open)."""
    surface = _surface(conversation, surface_id)
    parts = [part for part in request.GET.get("open", "").split(",") if part in ("add", "kit")]
    return _design_card(request, conversation, surface.pk, ",".join(f"{part}-{surface.pk}" for part in parts))


def _surface_card(cards, surface_id) -> tuple[dict, dict]:
    """The room card and the entry of one surface among `_rooms_context`'s cards, or 404."""
    for card in cards:
        for entry in card["surfaces"]:
            if entry["surface"].pk == surface_id:
                return card, entry
    raise Http404("No such surface")


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def selection_edit(request, conversation, selection_id):
    selection = _selection(conversation, selection_id)
    if request.method == "GET":  # this selection's fields open (Cancel asks for the card: design_surface)
        edit = request.GET.get("edit", f"selection-{selection.pk}")
        return _design_card(request, conversation, selection.surface_id, edit)
    form = SelectionUpdateForm(request.POST, auto_id=f"selection-{selection.pk}-%s")
    if form.is_valid():
        try:
            project_services.selection_update(
                selection=selection,
                selection_status=form.cleaned_data.get("selection_status") or None,
                quantity_ordered=form.cleaned_data.get("quantity_ordered"),
                version=form.loaded_version,
            )
        except StaleEdit as error:
            refuse_stale(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _after_change(
                request, conversation, "design", target=("surface", selection.surface_id), message="Selection saved."
            )
    forms = {f"selection:{selection.pk}": form}
    return _after_change(request, conversation, "design", target=("surface", selection.surface_id), forms=forms)


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def selection_delete(request, conversation, selection_id):
    selection = _selection(conversation, selection_id)
    try:
        project_services.selection_delete(selection=selection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _after_change(request, conversation, "design", target=("surface", selection.surface_id))
    return _after_change(
        request, conversation, "design", target=("surface", selection.surface_id), message="Selection removed."
    )


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def surface_kit(request, conversation, surface_id):
    """GET: the kit recomputed for a joint width and trim length, nothing written.
    POST `action=inputs`: the joint and trim kept on the surface and the kit recomputed (htmx
    posts it as they are typed; without JavaScript, the "Save and recompute" button).
    POST (`action=add`): the joint and trim kept, and the ticked kit lines added to the surface as
    selections in one click, each replacing the surface's product in its role unless "keep both"."""
    surface = _surface(conversation, surface_id)
    form = KitForm(request.POST if request.method == "POST" else request.GET, auto_id=f"kit-{surface.pk}-%s")
    target = ("surface", surface.pk)
    if request.method == "GET":
        if not request.htmx:
            return _render_phase(request, conversation, "design", forms={f"kit:{surface.pk}": form})
        return _after_change(request, conversation, "design", target=target, forms={f"kit:{surface.pk}": form})
    if not form.is_valid():
        return _after_change(request, conversation, "design", target=target, forms={f"kit:{surface.pk}": form})
    adding = request.POST.get("action", "add") != "inputs"
    if adding and not form.cleaned_data["role"]:
        messages.warning(request, "Nothing ticked: tick the setting materials to add, then Add.")
        return _after_change(request, conversation, "design", target=target, forms={f"kit:{surface.pk}": form})
    surface = selectors.surface_for_kit(surface.pk)
    tile = kit.surface_tile(surface)
    if tile is None:
        messages.error(request, "Pick a tile for this surface first.")
        return _after_change(request, conversation, "design", target=target)
    project_services.surface_kit_inputs_save(
        surface=surface,
        joint_width_in=form.cleaned_data["joint_width"],
        trim_linear_ft=form.cleaned_data["trim_linear_ft"],
    )
    if not adding:
        return _after_change(request, conversation, "design", target=target)
    lines = kit.suggest(
        surface=surface,
        tile=tile,
        customer=conversation.project.customer,
        inputs=_kit_inputs(form, tile),
        products=kit.candidates(),
    )
    chosen = [line for line in lines if line.role in form.cleaned_data["role"] and line.product]
    if not chosen:
        messages.warning(request, "Nothing ticked has a matching product in the catalog; nothing was added.")
        return _after_change(request, conversation, "design", target=target)
    try:
        project_services.kit_add(surface=surface, lines=chosen, keep_both=form.cleaned_data["keep_both"])
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _after_change(request, conversation, "design", target=target)
    names = ", ".join(line.label.lower() for line in chosen)
    return _after_change(request, conversation, "design", target=target, message=f"Added {names}.")


@require_GET
@permission_required(CHANGE, raise_exception=True)
def waste_default(request, log_id):
    """The waste % a pattern and complexity start with (and the surface's tile, when it has one),
    swapped into the surface form as the associate picks them."""
    conversation = _get_conversation(log_id)
    field_id = request.GET.get("field_id", "")
    if not re.fullmatch(r"[a-z0-9-]{1,80}-waste_factor", field_id):
        raise Http404("Unknown field")
    tile, obstacles = None, 0
    if request.GET.get("surface"):
        surface = selectors.surface_for_kit(_surface(conversation, request.GET["surface"]).pk)
        tile, obstacles = kit.surface_tile(surface), surface.obstacles_count
    pattern = request.GET.get("pattern_type") or "straight_lay"
    complexity = request.GET.get("complexity_level") or "simple"
    if pattern not in PatternType.values or complexity not in ComplexityLevel.values:
        raise Http404("Unknown pattern")
    waste = project_services.surface_waste_default(
        pattern_type=pattern, complexity_level=complexity, tile=tile, obstacles=obstacles
    )
    form = SurfaceForm(auto_id=field_id.replace("waste_factor", "%s"), initial={"waste_factor": as_percent(waste)})
    return render(request, "conversations/_surface_fields.html#waste-field", {"form": form, "waste_hint": waste})


# --- close moments: an objection handled, a price negotiated ------------------------------


def _moments_context(conversation, forms=None) -> dict:
    forms = forms or {}
    return {
        "moment_forms": [
            (kind, label, forms.get(f"moment:{kind}") or MomentForm(initial={"kind": kind}, auto_id=f"{kind}-%s"))
            for kind, label in services.CLOSE_MOMENTS.items()
        ],
        "moments": [
            entry
            for entry in selectors.phase_history(conversation)
            if entry["move"].aos_phase in services.CLOSE_MOMENTS
        ],
    }


@require_POST
@permission_required(CHANGE, raise_exception=True)
@open_conversation
def close_moment(request, conversation):
    """Records on the close page that an objection was handled or a price negotiated (htmx swaps the
    card; without JavaScript, back to the close page)."""
    kind = request.POST.get("kind", "")
    if kind not in services.CLOSE_MOMENTS:  # a forged kind: its errors show on the first card
        kind = next(iter(services.CLOSE_MOMENTS))
    form = MomentForm(request.POST, auto_id=f"{kind}-%s")
    refused = {}
    if form.is_valid():
        services.close_moment(
            conversation=conversation, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"], by=request.user
        )
        if not request.htmx:  # with htmx the card itself shows it
            messages.success(request, f"{services.CLOSE_MOMENTS[form.cleaned_data['kind']]}: recorded.")
    else:
        refused[f"moment:{kind}"] = form
    if request.htmx:
        context = {"conversation": conversation, **_moments_context(conversation, refused)}
        return render(request, "conversations/_close_moments.html", context)
    if refused:
        return _render_phase(request, conversation, "close", forms=refused)
    return redirect("conversations:phase", conversation.pk, "close")
