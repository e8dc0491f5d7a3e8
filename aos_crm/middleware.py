"""Request checks that belong to no single view."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

NUL = "\x00"


def _holds_nul(params) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in params.lists())


class RefuseNulCharactersMiddleware:
    """A NUL character in the path, a query parameter or a form field is refused with a 400 page
    before any view runs. PostgreSQL cannot store or compare text holding NUL, so such a search,
    form or admin selection would otherwise end as a server error; no user types one on purpose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return HttpResponseBadRequest(render_to_string("400_nul.html"))
        return self.get_response(request)
