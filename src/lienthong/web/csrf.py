"""Cross-site request forgery: the UI's state-changing requests must come from its own pages.

Two checks on every POST of the UI (see :mod:`lienthong.kernel.session_cookie`; the API
makes the same checks on a request authenticated by the session cookie):

- the ``Origin`` header, or else the ``Referer``, when the browser sends one, names
  this server (same host and port);
- while a session cookie is set, the request carries the session's CSRF token: the
  form field ``csrf_token`` or the ``X-CSRF-Token`` header (htmx sends it).
"""

from __future__ import annotations

from fastapi import Request

from lienthong.kernel.problems import Forbidden
from lienthong.kernel.session_cookie import CSRF_FIELD as FIELD
from lienthong.kernel.session_cookie import CSRF_HEADER as HEADER
from lienthong.kernel.session_cookie import SAFE_METHODS, SESSION_COOKIE, check_origin, csrf_matches, csrf_token

__all__ = ["FIELD", "HEADER", "SESSION_COOKIE", "check_origin", "csrf_token", "protect"]


async def protect(request: Request) -> None:
    """The UI router's dependency: both checks on every state-changing request."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request)
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        return  # nothing to forge without a session (signing in checks the origin only)
    given = request.headers.get(HEADER)
    if given is None:
        given = (await request.form()).get(FIELD)
    if not csrf_matches(session, given):
        raise Forbidden("forbidden.csrf")
