"""Pydantic building blocks every app's ``schemas.py`` uses.

Text rules (NFC, hidden characters, tax codes, phones) live in :mod:`lienthong.kernel.text`;
this module applies them to request bodies, in one place: :class:`Input` normalises every
string to NFC and refuses control characters in any field; the types below add what a
code, a name, a tax code or a phone must be.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, field_validator, model_validator

from lienthong.kernel import text

T = TypeVar("T")


def _described(pattern: str, **schema: Any) -> WithJsonSchema:
    """The OpenAPI schema of a text type: its rule as one pattern (see kernel.text)."""
    return WithJsonSchema({"type": "string", "pattern": pattern, **schema})


Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), AfterValidator(text.check_code), _described(text.CODE_PATTERN)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(text.check_text), _described(text.NAME_PATTERN)]
# Free text: line breaks allowed (Input refuses the other control characters).
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), _described(text.TEXT_PATTERN)]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=50),
    AfterValidator(text.check_phone),
    _described(text.PHONE_PATTERN, description="8 to 15 digits, optionally +84, spaces, dots, dashes: `0912 345 678`, `+84 912-345-678`; blank clears it"),
]
TaxCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=20),
    AfterValidator(text.check_tax_code),
    _described(text.TAX_CODE_PATTERN, description="Mã số thuế: 10 digits, 10 digits `-` 3 digits (a branch), or a person's 12-digit id number; blank clears it"),
]
# "format": "email" is an annotation (JSON Schema 2020-12 asserts only the pattern, which
# also takes a blank): it tells a client or a fuzzer to make real addresses, which is what
# email-validator checks beyond the pattern's outline.
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(text.check_email),
    _described(text.EMAIL_PATTERN, format="email", maxLength=200, description="An e-mail address (checked by email-validator: no quoted local part, no IP address, no special-use domain such as .test); blank clears it"),
] | None
# A reference by code in a request; "" or null clears it.
RefCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50), AfterValidator(text.check_code), _described(text.REF_CODE_PATTERN)]


def _check_not_null(cls, value):
    if value is None:
        raise ValueError("required")
    return value


def not_null(*fields: str):
    """A validator for PATCH bodies: these fields may be left out, never set to null
    (and the OpenAPI says so: see :func:`_not_null_in_schema`)."""
    return field_validator(*fields)(_check_not_null)


def _not_null_in_schema(schema: dict, model: type) -> None:
    """The schema of the fields of :func:`not_null`: a value, not null, no default."""
    for decorator in model.__pydantic_decorators__.field_validators.values():
        if decorator.func.__func__ is not _check_not_null:
            continue
        for name in decorator.info.fields:
            prop = schema["properties"][name]
            variants = [v for v in prop.pop("anyOf", []) if v != {"type": "null"}]
            prop.pop("default", None)
            if len(variants) == 1:
                prop.update(variants[0])
            elif variants:
                prop["anyOf"] = variants


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return text.trim(text.nfc(value))
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


class Input(BaseModel):
    """Request bodies: unknown fields are refused; every string is trimmed (of spaces and
    invisible characters at its ends), in NFC, and
    without control characters (free text may keep line breaks and tabs)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_not_null_in_schema)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        # Once per body, not once per field: bulk imports validate a body per row.
        return _nfc(data) if isinstance(data, dict) else data

    @field_validator("*", mode="after")
    @classmethod
    def _no_control(cls, value: Any) -> Any:
        if isinstance(value, str):
            text.check_free_text(value)
        return value


def as_utc(value: datetime) -> datetime:
    """A stored timestamp as UTC with its time zone (SQLite gives back naive UTC datetimes)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utc_text(value: datetime | None) -> str | None:
    """A timestamp as every answer writes it, ``2025-01-31T08:00:00.123456Z`` (for answers
    built as dicts; :class:`Output` models write theirs the same way)."""
    return None if value is None else as_utc(value).isoformat().replace("+00:00", "Z")


class Output(BaseModel):
    """Response bodies. Every timestamp is UTC with a time zone, written with ``Z``."""

    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        return as_utc(value) if isinstance(value, datetime) else value


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Pass as `cursor` to get the next page; null on the last page.")


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
    text = {400: "Bad request (a body that is not UTF-8 or not a readable form)", 401: "No or bad token", 403: "Not allowed (role)", 404: "Unknown record", 409: "Conflict (duplicate code, wrong state, timeout)", 413: "Request body over its size limit", 422: "Invalid input: `errors` names each field", 429: "Too many tries: wait `Retry-After` seconds", 500: "Unexpected server error", 503: "Temporarily unavailable"}
    return {s: {"model": ProblemDetails, "description": text[s], "content": {"application/problem+json": {}}} for s in statuses}


class ImportRowError(Output):
    """One bad cell of an import: its Excel row, its field and the reason."""

    row: int
    field: str | None
    message: str


class ImportResult(Output):
    """What an Excel import did (every app's import answers this)."""

    mode: Literal["insert", "update", "upsert"]
    created: int
    updated: int
    unchanged: int
    errors: list[ImportRowError] = []
    ignored_columns: list[str] = []  # header texts of the file that are not known columns
