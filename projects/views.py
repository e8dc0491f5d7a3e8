from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aos_crm.pagination import page_of
from conversations import selectors as conversation_selectors
from projects.models import Project
from quotes.models import Quote


@require_GET
@permission_required("projects.view_project", raise_exception=True)
def project_detail(request, project_id):
    """The project with its rooms, and its quotes and conversations newest first, each 25 a page."""
    project = get_object_or_404(Project.objects.for_detail_page(), pk=project_id)
    today = timezone.localdate()
    quotes = page_of(request, Quote.objects.for_project_page(project), param="quotes_page")
    for quote in quotes.object_list:
        quote.current_status = quote.status_on(today)
    conversations = page_of(request, conversation_selectors.project_conversations(project), param="conversations_page")
    return render(
        request,
        "projects/project_detail.html",
        {"project": project, "quotes": quotes, "conversations": conversations},
    )
