from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aos_crm import roles
from catalog.models import ProductCatalog
from conversations.models import ConversationLog
from customers.models import Customer


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """One home page, its panels chosen by what the user's role may do."""
    user = request.user
    context = {"today": timezone.localdate()}
    if user.has_perm(roles.PERM_SALES):
        mine = ConversationLog.objects.filter(sales_associate=user)
        context.update(
            open_conversations=ConversationLog.objects.open_for(user)[:10],
            followups=ConversationLog.objects.followups_for(user)[:10],
            followup_counts=mine.followup_counts(today=context["today"]),
            recent_customers=Customer.objects.order_by("-created_at")[:8],
        )
    if user.has_perm(roles.PERM_CATALOG):
        context["catalog_counts"] = ProductCatalog.objects.upkeep_counts()
    return render(request, "home.html", context)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Load-balancer probe: the process answers and the database connection works."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
