from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aos_crm import roles
from aos_crm.pagination import page_of
from archive import selectors as archive_selectors
from catalog.models import ProductCatalog
from conversations import selectors as conversation_selectors
from history import selectors as history_selectors
from projects import quick_estimate as quick
from projects.forms import QuickEstimateForm
from projects.models import ProductType, Project
from quotes.models import Quote


@require_GET
@permission_required("projects.view_project", raise_exception=True)
def project_detail(request, project_id):
    """The project with its rooms, and its quotes and conversations newest first, each 25 a page.
    An archived project reads its rooms, quotes and conversation notes from the archive and opens
    read-only."""
    project = get_object_or_404(Project.objects.for_detail_page(), pk=project_id)
    today = timezone.localdate()
    archived = project.archived_at is not None
    if archived:
        rooms = archive_selectors.rooms(project)
        for name, value in archive_selectors.selected_total(project).items():
            setattr(project, name, value)
        quotes = page_of(request, archive_selectors.quotes(project), param="quotes_page")
    else:
        rooms = project.rooms.all()
        quotes = page_of(request, Quote.objects.for_project_page(project), param="quotes_page")
    for quote in quotes.object_list:
        quote.current_status = quote.status_on(today) if not archived else quote.quote_status
    conversations = page_of(request, conversation_selectors.project_conversations(project), param="conversations_page")
    if archived:
        found = archive_selectors.notes(c.pk for c in conversations.object_list)
        for conversation in conversations.object_list:
            row = found.get(conversation.pk)
            conversation.archived_summary = row.conversation_summary if row else None
            conversation.archived_next_action = row.next_action if row else None
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "rooms": rooms,
            "archived": archived,
            "quotes": quotes,
            "conversations": conversations,
            # The project's changes and its rooms', surfaces', selections', conversations' and quotes'.
            "changes": history_selectors.panel(request, project_id=project.pk),
        },
    )


# The quick estimate's inputs: any of them in the query string means the form was sent.
_ESTIMATE_FIELDS = tuple(QuickEstimateForm.base_fields)


def _estimate_from(request):
    """(form, estimate dict or None) for the query string."""
    sent = any(name in request.GET for name in _ESTIMATE_FIELDS)
    form = QuickEstimateForm(request.GET if sent else None)
    if not sent or not form.is_valid():
        return form, None
    data = form.cleaned_data
    result = quick.estimate(
        quick.Request(
            tile=data["tile"],
            area_sf=data["area_sf"],
            pattern_type=data["pattern_type"],
            surface_type=data["surface_type"],
            joint_width_in=data["joint_width"],
            obstacles=data.get("obstacles") or 0,
            pro=data.get("price_level") == "pro",
            length_ft=data.get("length_ft"),
            width_ft=data.get("width_ft"),
        )
    )
    return form, result


@require_GET
@login_required
@permission_required(roles.PERM_SALES, raise_exception=True)
def quick_estimate(request):
    """The counter's question before any conversation: how much of this tile, and what else, for
    this area? Boxes, square feet bought, the effective waste, warnings and the setting-materials
    kit at retail or pro prices (projects/quick_estimate.py). `q` searches the catalog's tiles."""
    form, result = _estimate_from(request)
    query = (request.GET.get("q") or "").strip()[:100]
    matches = []
    if query:
        kept = {k: v for k, v in request.GET.items() if k not in ("q", "sku")}
        for product in ProductCatalog.objects.search(query)[:8]:
            if product.product_type == ProductType.TILE:
                matches.append((product, urlencode({**kept, "sku": product.sku})))
    carry_query = ""
    if result is not None:
        data = form.cleaned_data
        carry_query = urlencode(
            {
                "estimate-sku": data["tile"].sku,
                "estimate-area_sf": data["area_sf"],
                "estimate-pattern_type": data["pattern_type"],
                "estimate-surface_type": data["surface_type"],
            }
        )
    context = {"form": form, "result": result, "query": query, "matches": matches, "carry_query": carry_query}
    context["json_query"] = request.GET.urlencode()
    return render(request, "projects/quick_estimate.html", context)


@require_GET
@login_required
@permission_required(roles.PERM_SALES, raise_exception=True)
def quick_estimate_json(request):
    """The quick estimate as JSON, same parameters (README, "Quick estimate"). Bad input: 400 with
    each field's messages."""
    form, result = _estimate_from(request)
    if result is None:
        errors = form.errors.get_json_data() if form.is_bound else {"__all__": [{"message": "No parameters given."}]}
        return JsonResponse({"errors": {k: [e["message"] for e in v] for k, v in errors.items()}}, status=400)
    return JsonResponse(result)
