"""Request checks that belong to no single view."""

import time

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


IDLE_MARK = "_idle_refreshed_at"


class IdleTimeoutMiddleware:
    """A logged-in session ends after SESSION_IDLE_MINUTES without a request (a shared showroom
    tablet left on the counter). The session's expiry (SESSION_COOKIE_AGE, the same minutes) is
    pushed forward by saving the session, but at most every SESSION_REFRESH_SECONDS: a session
    write on every request would cost the sales floor a database write per click, and the idle
    limit is then kept to within those few minutes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib.auth import SESSION_KEY

        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) is not None:
            now = int(time.time())
            if now - session.get(IDLE_MARK, 0) >= settings.SESSION_REFRESH_SECONDS:
                # Setting a value marks the session modified: SessionMiddleware saves it with a new
                # expiry (now + SESSION_COOKIE_AGE) and sends the cookie again.
                session[IDLE_MARK] = now
        return self.get_response(request)


def mark_login(sender, request, user, **kwargs):
    """At login the session is written anyway: the idle clock starts there, so the first page
    after it does not write the session again (connected in aos_crm.apps)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[IDLE_MARK] = int(time.time())
