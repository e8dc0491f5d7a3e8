from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from projects.models import Project
from quotes.models import Quote


@require_GET
@permission_required("projects.view_project", raise_exception=True)
def project_detail(request, project_id):
    project = get_object_or_404(Project.objects.for_detail_page(), pk=project_id)
    today = timezone.localdate()
    quotes = list(Quote.objects.for_project_page(project))
    for quote in quotes:
        quote.current_status = quote.status_on(today)
    return render(request, "projects/project_detail.html", {"project": project, "quotes": quotes})
