"""Cross-site request forgery: the UI's state-changing requests must come from its own pages.

Two checks on every POST of the UI (the API is not concerned: it reads no cookie,
only the ``Authorization`` header a foreign page cannot set):

- the ``Origin`` header, or else the ``Referer``, when the browser sends one, names
  this server (same host and port);
- while a session cookie is set, the request carries the session's CSRF token: the
  form field ``csrf_token`` or the ``X-CSRF-Token`` header (htmx sends it). The token
  is an HMAC keyed by the session's secret, so only a page that can read the session
  (our own, which renders it) can know it, and it changes with the session.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from fastapi import Request

from lienthong.kernel.problems import Forbidden

SESSION_COOKIE = "lt_token"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def csrf_token(session: str) -> str:
    """The CSRF token of a session (the session cookie's value)."""
    return hmac.new(session.encode("utf-8"), b"lienthong-csrf", hashlib.sha256).hexdigest()


def check_origin(request: Request) -> None:
    """Refuse a request whose ``Origin`` (or, without one, ``Referer``) is another site."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if sent is None:
        return
    if urlsplit(sent).netloc.lower() != request.headers.get("host", "").lower():
        raise Forbidden("forbidden.origin", origin=sent[:200])


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
    if not isinstance(given, str) or not hmac.compare_digest(given, csrf_token(session)):
        raise Forbidden("forbidden.csrf")
