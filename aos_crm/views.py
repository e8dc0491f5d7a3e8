from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from aos_crm import logins, roles
from aos_crm.pagination import window
from catalog.models import ProductCatalog
from conversations import reviews
from conversations import selectors as conversation_selectors
from conversations.models import ConversationLog, followup_counts_for
from customers.models import Customer


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150)
    ip_address = forms.GenericIPAddressField(required=False)


HOME_ROWS = 10
HOME_CUSTOMERS = 8
# What the newest customers' rows show, and only that is loaded.
HOME_CUSTOMER_COLUMNS = ("customer_id", "created_at", "first_name", "last_name", "customer_type")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """One home page, its panels chosen by what the user's role may do."""
    user = request.user
    context = {"today": timezone.localdate()}
    if user.has_perm(roles.PERM_SALES):
        # Each panel shows the first few and links to its full, paginated page when there are more.
        context.update(
            open_conversations=window(conversation_selectors.open_conversations(user), size=HOME_ROWS),
            followups=window(
                ConversationLog.objects.followups_for(user).only(*reviews.FOLLOWUP_COLUMNS), size=HOME_ROWS
            ),
            followup_counts=followup_counts_for(user, today=context["today"]),
            recent_customers=window(
                Customer.objects.order_by("-created_at", "-customer_id").only(*HOME_CUSTOMER_COLUMNS),
                size=HOME_CUSTOMERS,
            ),
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


@require_http_methods(["GET", "POST"])
@permission_required(roles.PERM_UNLOCK, raise_exception=True)
def lockouts(request: HttpRequest) -> HttpResponse:
    """Managers: the usernames locked out after too many failed logins, and Unlock for each."""
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            cleared = logins.unlock(username=form.cleaned_data["username"], ip_address=form.cleaned_data["ip_address"])
            if cleared:
                messages.success(request, f"{form.cleaned_data['username']} can log in again.")
            else:
                messages.info(request, f"{form.cleaned_data['username']} was not locked out.")
        else:
            messages.error(request, "Choose a locked-out login to unlock.")
        return redirect("lockouts")
    context = {
        "lockouts": logins.locked_out(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return render(request, "registration/lockouts.html", context)
