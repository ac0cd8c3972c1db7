"""Pydantic building blocks every app's ``schemas.py`` uses."""

from __future__ import annotations

import re
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _EMAIL.match(value):
        raise ValueError("invalid_email")
    return value


Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[^\s]+$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)]
TaxCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20, pattern=r"^[0-9\-]*$")]
Email = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_email)]
# A reference by code in a request; "" or null clears it.
RefCode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)]


class Input(BaseModel):
    """Request bodies: unknown fields are refused, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


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
    text = {400: "Bad request", 401: "No or bad token", 403: "Not allowed (role)", 404: "Unknown record", 409: "Conflict (duplicate code, wrong state, timeout)", 422: "Invalid input: `errors` names each field"}
    return {s: {"model": ProblemDetails, "description": text[s], "content": {"application/problem+json": {}}} for s in statuses}
