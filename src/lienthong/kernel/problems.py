"""Error types that become RFC 9457 problem+json responses.

A use case raises one of these; the web layer renders it. Messages are message keys
(see :mod:`lienthong.kernel.i18n`) so the same error reads in Vietnamese or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lienthong.kernel.i18n import MESSAGES, t, term


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


class MethodNotAllowed(Problem):
    status = 405
    type_slug = "method-not-allowed"
    title_key = "title.method_not_allowed"


class Conflict(Problem):
    status = 409
    type_slug = "conflict"
    title_key = "title.conflict"


class TooLarge(Problem):
    status = 413
    type_slug = "too-large"
    title_key = "title.too_large"


class TooManyRequests(Problem):
    """Slowed down (five wrong passwords in a row): try again after ``retry_after`` seconds."""

    status = 429
    type_slug = "too-many-requests"
    title_key = "title.too_many_requests"

    def __init__(self, key: str, *, retry_after: int, **params: object):
        super().__init__(key, retry=retry_after, **params)
        self.retry_after = retry_after


class ServerError(Problem):
    """The last resort: an unexpected error still answers problem+json."""

    status = 500
    type_slug = "server-error"
    title_key = "title.internal"


class Unavailable(Problem):
    status = 503
    type_slug = "unavailable"
    title_key = "title.unavailable"


class Busy(Unavailable):
    """The database stayed locked by another transaction longer than the busy timeout:
    the request changed nothing and may be sent again (``Retry-After``)."""

    type_slug = "busy"
    title_key = "title.busy"
    retry_after = 1  # seconds


def invalid(field_name: str, error_code: str, key: str, /, **params: object) -> ValidationProblem:
    """A 422 naming one field."""
    err = FieldError(field_name, error_code, key, params)
    return ValidationProblem(key, errors=[err], **params)


def duplicate_code(code: str, field_name: str = "code") -> Conflict:
    return Conflict("duplicate_code", errors=[FieldError(field_name, "duplicate", "duplicate_code", {"code": code})], code=code)


def unknown_code(field_name: str, what: str, code: str) -> ValidationProblem:
    """A 422: no record of kind ``what`` (a message key such as ``kind.employees``) has ``code``."""
    return invalid(field_name, "unknown_code", "unknown_code", what=term(what), code=code)


# Pydantic error types answered by a general message key; every other type ``x`` has
# its own message ``pydantic.x`` (a test checks that each type of pydantic-core has one).
PYDANTIC = {
    "missing": "required",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "extra_forbidden": "unknown_field",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "json_invalid": "malformed_body",
    "string_pattern_mismatch": "invalid_format",
}


def pydantic_key(kind: str) -> str:
    """The message key of a Pydantic error type."""
    key = PYDANTIC.get(kind, f"pydantic.{kind}")
    return key if key in MESSAGES else "pydantic.value_error"


def choices_text(expected: object) -> str:
    """Pydantic's ``'a', 'b' or 'c'`` as ``a, b, c`` (no English word in either language)."""
    text = str(expected or "")
    return ", ".join(part.strip().strip("'\"") for part in text.replace(" or ", ", ").split(","))


def pydantic_error(field_name: str, err: dict) -> FieldError:
    """One Pydantic error as a :class:`FieldError` rendered from our messages: pydantic's
    own English text is never shown. A ``ValueError("key:param")`` of our validators
    names its message key."""
    kind = err.get("type", "value_error")
    ctx = {k: (v if isinstance(v, (int, float, str)) else str(v)) for k, v in (err.get("ctx") or {}).items()}
    if kind == "value_error":
        key, _, param = str(ctx.get("error", "")).partition(":")
        if key in MESSAGES:
            return FieldError(field_name, key.split(".")[-1], key, {"kind": param, "detail": param})
    params = {**ctx, "max": ctx.get("max_length"), "choices": choices_text(ctx.get("expected"))}
    return FieldError(field_name, kind, pydantic_key(kind), params)
