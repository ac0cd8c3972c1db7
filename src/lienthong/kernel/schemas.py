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


def blank_to_none(value: str | None) -> str | None:
    return value if value not in ("",) else None


def _check_not_null(cls, value):
    if value is None:
        raise ValueError("required")
    return value


def not_null(*fields: str):
    """A validator for PATCH bodies: these fields may be left out, never set to null."""
    from pydantic import field_validator

    return field_validator(*fields)(_check_not_null)
