"""The benchmark's floor: the cheapest page the app can serve (`manage.py bench_pages`).

It goes through the same middleware as every real page (session, user, CSRF, login required,
messages, htmx) and then does the least a page can do: one query and a few bytes of HTML. A page's
time divided by the floor's, measured in the same run, says how much the page itself costs,
whatever the machine's load. Mounted only with `BENCH_FLOOR_VIEW=true` (aos_crm/urls.py)."""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.views.decorators.http import require_GET

FLOOR_PATH = "bench/floor/"


@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    """One query (the signed-in user's name by primary key) and a tiny HTML page. Login is required
    by `LoginRequiredMiddleware`, as for the real pages."""
    name = get_user_model().objects.filter(pk=request.user.pk).values_list("username", flat=True).get()
    return HttpResponse(f"<!doctype html><title>floor</title><p>{escape(name)}</p>")
