"""The session cookie and what guards requests made with it against cross-site forgery.

A person signs in with a password (``POST /api/v1/system/sign-in`` or the sign-in
page) and gets the cookie :data:`SESSION_COOKIE`: HttpOnly, SameSite=Lax, Secure over
https. It authenticates the web pages and the API alike; scripts keep using
``Authorization: Bearer <token>``. A browser sends the cookie by itself, so a
state-changing request made with it must also:

- come from this server: the ``Origin`` header, or else the ``Referer``, when sent,
  names this host and port;
- carry the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``):
  an HMAC keyed by the session's secret, which only a page that can read the session
  (our own, which renders it, or the sign-in answer) knows.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from lienthong.kernel.problems import Forbidden

SESSION_COOKIE = "lt_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def csrf_token(session: str) -> str:
    """The CSRF token of a session (the session cookie's value)."""
    return hmac.new(session.encode("utf-8"), b"lienthong-csrf", hashlib.sha256).hexdigest()


def csrf_matches(session: str, given: object) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given, csrf_token(session))


def check_origin(request: Request) -> None:
    """Refuse a request whose ``Origin`` (or, without one, ``Referer``) is another site."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if sent is None:
        return
    if urlsplit(sent).netloc.lower() != request.headers.get("host", "").lower():
        raise Forbidden("forbidden.origin", origin=sent[:200])


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax", path="/", secure=request.url.scheme == "https")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
