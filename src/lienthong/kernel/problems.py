"""Error types that become RFC 9457 problem+json responses.

A use case raises one of these; the web layer renders it. Messages are message keys
(see :mod:`lienthong.kernel.i18n`) so the same error reads in Vietnamese or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lienthong.kernel.i18n import t


@dataclass
class FieldError:
    field: str
    code: str
    key: str
    params: dict = field(default_factory=dict)
    text: str | None = None  # an already-rendered message (e.g. from another app)

    def render(self, lang: str | None = None) -> dict:
        return {
            "field": self.field,
            "code": self.code,
            "message": self.text if self.text is not None else t(self.key, lang, **self.params),
        }


class Problem(Exception):
    status = 400
    type_slug = "bad-request"
    title_key = "title.validation"

    def __init__(self, key: str, *, errors: list[FieldError] | None = None, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params
        self.errors = errors or []

    def detail(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def to_dict(self, lang: str | None = None) -> dict:
        body = {
            "type": f"https://lienthong.dev/problems/{self.type_slug}",
            "title": t(self.title_key, lang),
            "status": self.status,
            "detail": self.detail(lang),
        }
        if self.errors:
            body["errors"] = [e.render(lang) for e in self.errors]
        return body


class ValidationProblem(Problem):
    status = 422
    type_slug = "validation"


class Unauthorized(Problem):
    status = 401
    type_slug = "unauthorized"
    title_key = "title.unauthorized"


class Forbidden(Problem):
    status = 403
    type_slug = "forbidden"
    title_key = "title.forbidden"


class NotFound(Problem):
    status = 404
    type_slug = "not-found"
    title_key = "title.not_found"


class Conflict(Problem):
    status = 409
    type_slug = "conflict"
    title_key = "title.conflict"


class TooLarge(Problem):
    status = 413
    type_slug = "too-large"
    title_key = "title.too_large"


class ServerError(Problem):
    """The last resort: an unexpected error still answers problem+json."""

    status = 500
    type_slug = "server-error"
    title_key = "title.internal"


class Unavailable(Problem):
    status = 503
    type_slug = "unavailable"
    title_key = "title.unavailable"


def invalid(field_name: str, error_code: str, key: str, /, **params: object) -> ValidationProblem:
    """A 422 naming one field."""
    err = FieldError(field_name, error_code, key, params)
    return ValidationProblem(key, errors=[err], **params)


def duplicate_code(code: str, field_name: str = "code") -> Conflict:
    return Conflict("duplicate_code", errors=[FieldError(field_name, "duplicate", "duplicate_code", {"code": code})], code=code)


def unknown_code(field_name: str, what: str, code: str) -> ValidationProblem:
    return invalid(field_name, "unknown_code", "unknown_code", what=what, code=code)
