"""Request body size limits: a body over its limit is refused with a 413 before it is parsed.

JSON bodies and uploads (multipart, the Excel imports) have separate limits, set with
``LIENTHONG_MAX_JSON_BYTES`` and ``LIENTHONG_MAX_UPLOAD_BYTES`` (or :class:`BodyLimits`
given to ``create_app``). The connector's internal endpoints (``/_connector/``) carry
batches of up to thousands of records and take the upload limit.

A declared ``Content-Length`` over the limit is answered at once, without reading the
body; a body sent without one is counted while it is read and refused when it passes
the limit (:class:`BodyTooLarge`, rendered by :mod:`lienthong.web.errors`).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lienthong.kernel.i18n import pick_language
from lienthong.kernel.problems import TooLarge
from lienthong.kernel.settings import MIB, settings


@dataclass(frozen=True)
class BodyLimits:
    json: int = 1 * MIB
    upload: int = 32 * MIB

    @classmethod
    def from_env(cls) -> "BodyLimits":
        found = settings()
        return cls(json=found.max_json_bytes, upload=found.max_upload_bytes)

    def for_request(self, path: str, headers: Headers) -> int:
        if headers.get("content-type", "").lower().startswith("multipart/") or "/_connector/" in path:
            return self.upload
        return self.json


class BodyTooLarge(HTTPException):
    """A body without a (true) length went past its limit while it was read."""

    def __init__(self, limit: int):
        super().__init__(status_code=413)
        self.limit = limit


def too_large(limit: int, lang: str | None = None) -> JSONResponse:
    problem = TooLarge("body_too_large", limit=limit)
    return JSONResponse(problem.to_dict(lang), status_code=problem.status, media_type="application/problem+json")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: BodyLimits):
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limits.for_request(scope["path"], headers)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await too_large(limit, pick_language(headers.get("accept-language")))(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited, send)
