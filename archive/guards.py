"""Refusing writes to an archived project: every view that would change one of its rows (the
wizard's phases and their room, surface, selection and kit posts, starting a conversation on it,
making a quote) answers with this message and the project's read-only page instead."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

MESSAGE = (
    "“{project}” is archived: it is read-only. Nothing was saved. "
    "To change it, ask a manager to bring it back from the archive (on its page)."
)


def is_archived(project) -> bool:
    return project is not None and project.archived_at is not None


def refused(request, project):
    """The answer to a write on an archived project: the message, and its page (an htmx request
    is sent there as a whole page)."""
    messages.error(request, MESSAGE.format(project=project))
    url = reverse("projects:detail", args=[project.pk])
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)
