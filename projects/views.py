from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aos_crm.pagination import page_of
from archive import selectors as archive_selectors
from conversations import selectors as conversation_selectors
from history import selectors as history_selectors
from projects.models import Project
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
