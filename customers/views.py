from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from conversations.models import ConversationLog
from customers.models import Customer
from projects.models import Project

PAGE_SIZE = 25


@require_GET
@vary_on_headers("HX-Request")
@permission_required("customers.view_customer", raise_exception=True)
def customer_list(request):
    """All customers, newest first; `q` searches names, emails and phone digits as one types."""
    query = request.GET.get("q", "").strip()
    customers = Customer.objects.search(query) if query else Customer.objects.all()
    customers = customers.order_by("-created_at", "customer_id")
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "customers/customer_list.html"
    if request.htmx and request.htmx.target == "customer-results":
        template += "#results"
    return render(request, template, {"page": page, "query": query})


@require_GET
@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request, customer_id):
    customer = get_object_or_404(Customer, pk=customer_id)
    projects = Project.objects.customer_summary(customer.pk).select_related("sales_associate")
    conversations = (
        ConversationLog.objects.filter(project__customer=customer)
        .select_related("project", "sales_associate")
        .order_by("-conversation_date")[:20]
    )
    return render(
        request,
        "customers/customer_detail.html",
        {"customer": customer, "projects": projects, "conversations": conversations},
    )
