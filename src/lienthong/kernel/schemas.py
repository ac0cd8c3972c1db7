"""Pydantic building blocks every app's ``schemas.py`` uses.

Text rules (NFC, hidden characters, tax codes, phones) live in :mod:`lienthong.kernel.text`;
this module applies them to request bodies, in one place: :class:`Input` normalises every
string to NFC and refuses control characters in any field; the types below add what a
code, a name, a tax code or a phone must be.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from lienthong.kernel import text

T = TypeVar("T")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _EMAIL.match(value):
        raise ValueError("invalid_email")
    return value


Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[^\s]+$"), AfterValidator(text.check_code)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(text.check_text)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]  # free text: line breaks allowed
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=50),
    AfterValidator(text.check_phone),
    Field(description="8 to 15 digits, optionally +84, spaces, dots, dashes: `0912 345 678`, `+84 912-345-678`"),
]
TaxCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=20),
    AfterValidator(text.check_tax_code),
    Field(description="Mã số thuế: 10 digits, 10 digits `-` 3 digits (a branch), or a person's 12-digit id number"),
]
Email = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_email)]
# A reference by code in a request; "" or null clears it.
RefCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50), AfterValidator(text.check_code)]


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return text.nfc(value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


class Input(BaseModel):
    """Request bodies: unknown fields are refused; every string is trimmed, in NFC, and
    without control characters (free text may keep line breaks and tabs)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _normalise(cls, value: Any) -> Any:
        return _nfc(value)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control(cls, value: Any) -> Any:
        if isinstance(value, str):
            text.check_free_text(value)
        return value


class Output(BaseModel):
    """Response bodies. Every timestamp is UTC with a time zone (SQLite returns naive
    UTC datetimes), so it is written as ``2025-01-31T08:00:00Z`` in every answer."""

    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        return value


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Pass as `cursor` to get the next page; null on the last page.")


def _check_not_null(cls, value):
    if value is None:
        raise ValueError("required")
    return value


def not_null(*fields: str):
    """A validator for PATCH bodies: these fields may be left out, never set to null."""
    from pydantic import field_validator

    return field_validator(*fields)(_check_not_null)


class ProblemFieldError(BaseModel):
    field: str = Field(description="The field at fault, e.g. `code`, `kinds.1`, `rows[7].tax_code`, `file`")
    code: str = Field(description="A stable error code, e.g. `required`, `duplicate`, `unknown_code`")
    message: str = Field(description="The reason, in the request's language")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, served as `application/problem+json`."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemFieldError] | None = None


def problem_responses(*statuses: int) -> dict:
    """OpenAPI ``responses`` entries for the given error statuses."""
    text = {400: "Bad request (a body that is not UTF-8 or not a readable form)", 401: "No or bad token", 403: "Not allowed (role)", 404: "Unknown record", 409: "Conflict (duplicate code, wrong state, timeout)", 413: "Request body over its size limit", 422: "Invalid input: `errors` names each field", 500: "Unexpected server error", 503: "Temporarily unavailable"}
    return {s: {"model": ProblemDetails, "description": text[s], "content": {"application/problem+json": {}}} for s in statuses}
