from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from aos_crm.pagination import page_of
from archive import selectors as archive_selectors
from conversations import selectors as conversation_selectors
from customers.models import Customer
from history import selectors as history_selectors
from projects.models import Project

# The customers list counts at most this many (aos_crm.pagination.CappedPaginator): its pages run
# to 40, and a search narrows a store's thousands of customers.
COUNT_CAP = 1000


@require_GET
@vary_on_headers("HX-Request")
@permission_required("customers.view_customer", raise_exception=True)
def customer_list(request):
    """All customers, newest first (`idx_customers_created`), 25 a page; `q` searches names,
    emails and phone digits as one types."""
    query = request.GET.get("q", "").strip()
    ordering = ("-created_at", "-customer_id")
    customers = Customer.objects.search_ordered(query, *ordering) if query else Customer.objects.order_by(*ordering)
    customers = archive_selectors.with_archive_flags(customers)
    page = page_of(request, customers, cap=COUNT_CAP)
    template = "customers/customer_list.html"
    if request.htmx and request.htmx.target == "customer-results":
        template += "#results"
    return render(request, template, {"page": page, "query": query})


@require_GET
@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request, customer_id):
    """The customer with their projects and conversations, newest first, each 25 a page. An archived
    project is marked, with its rooms and area from the archive, and a conversation on one with its
    notes from the archive."""
    customer = get_object_or_404(Customer, pk=customer_id)
    projects = page_of(request, Project.objects.for_customer_page(customer.pk), param="projects_page")
    archived = [project for project in projects.object_list if project.archived_at]
    found = archive_selectors.figures(project.pk for project in archived)
    for project in archived:
        project.distinct_rooms, project.total_sf = found[project.pk]
    conversations = page_of(
        request, conversation_selectors.customer_conversations(customer), param="conversations_page"
    )
    archive_selectors.attach_notes(conversations.object_list)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "projects": projects,
            "conversations": conversations,
            "changes": history_selectors.panel(request, table="customers", object_id=customer.pk),
        },
    )
