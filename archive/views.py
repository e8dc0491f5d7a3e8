from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from aos_crm import roles
from archive import services
from projects.models import Project


@require_POST
@permission_required(roles.PERM_UNARCHIVE, raise_exception=True)
def project_unarchive(request, project_id):
    """A manager brings an archived project back from its page: `manage.py unarchive` in one click."""
    project = get_object_or_404(Project, pk=project_id)
    try:
        moved = services.unarchive(project.pk)
    except services.ArchiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{project}” is back from the archive: {moved.rooms} rooms, {moved.quotes} quotes.")
    return redirect("projects:detail", project.pk)
