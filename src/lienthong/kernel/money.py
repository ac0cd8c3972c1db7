"""Money and percentages: :class:`~decimal.Decimal` in Python, decimal strings in JSON.

* In a request, an amount is a string of at most 15 whole digits and 4 decimals
  (``"1250000"``, ``"12.5"``); a number or anything else is refused, as the OpenAPI
  pattern says. A percentage is such a string from 0 to 100.
* In an answer and in event data, an amount is written without trailing zeros or an
  exponent (:func:`money_text`): ``Decimal("1250000.0000")`` is ``"1250000"``.
* :class:`MoneyColumn` stores an amount exactly: ``NUMERIC(19, 4)`` on PostgreSQL,
  the text of :func:`money_text` on SQLite (whose NUMERIC is a float). Event data and the
  kernel's bulk insert take text, so a bulk write of amounts hands them over as
  :func:`money_text` (see :func:`texts_of`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, PlainSerializer, StringConstraints, WithJsonSchema
from sqlalchemy import Numeric, String
from sqlalchemy.types import TypeDecorator

from lienthong.kernel.text import _padded as padded  # the request patterns pad values the same way

_CORE = r"[0-9]{1,15}(?:\.[0-9]{1,4})?"
_PERCENT_CORE = r"100(?:\.0{1,4})?|[0-9]{1,2}(?:\.[0-9]{1,4})?"
MONEY_PATTERN = padded(_CORE)
PERCENT_PATTERN = padded(_PERCENT_CORE)
_MONEY = re.compile(_CORE)
_PERCENT = re.compile(_PERCENT_CORE)


def money_text(value: Decimal | str | None) -> str | None:
    """An amount as answers and events write it: ``"1250000"``, ``"12.5"``."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def check_money(value: str) -> Decimal:
    if not _MONEY.fullmatch(value):
        raise ValueError("money.format")
    return Decimal(value)


def check_percent(value: str) -> Decimal:
    if not _PERCENT.fullmatch(value):
        raise ValueError("money.percent")
    return Decimal(value)


_AS_TEXT = PlainSerializer(money_text, return_type=str | None)
_AS_IS = PlainSerializer(lambda value: value, return_type=Decimal)  # a checked request value is a Decimal

# In a request body: a decimal string (never a JSON number), as a Decimal.
Money = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=20),
    AfterValidator(check_money),
    _AS_IS,
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "description": "A decimal string: up to 15 digits, optionally `.` and up to 4 decimals (`\"1250000\"`)"}),
]
Percent = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=20),
    AfterValidator(check_percent),
    _AS_IS,
    WithJsonSchema({"type": "string", "pattern": PERCENT_PATTERN, "description": "A percentage from 0 to 100, as a decimal string (`\"12.5\"`)"}),
]
# In an answer: the Decimal written as a decimal string.
MoneyOut = Annotated[Decimal, _AS_TEXT, WithJsonSchema({"type": "string", "pattern": f"^{_CORE}$"})]


class MoneyColumn(TypeDecorator):
    """An exact amount: NUMERIC(19, 4) on PostgreSQL, its decimal text on SQLite."""

    impl = String(24)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(19, 4, asdecimal=True))
        return dialect.type_descriptor(String(24))

    def process_bind_param(self, value: Any, dialect):
        if value is None:
            return None
        return Decimal(value) if dialect.name == "postgresql" else money_text(value)

    def process_result_value(self, value: Any, dialect):
        return None if value is None else Decimal(value)

    @property
    def python_type(self):
        return Decimal


def amounts_of(values: dict, fields: Iterable[str]) -> dict:
    """``values`` with the amounts of ``fields`` as Decimal (a connector sends text), so
    that comparing them with a stored amount sees only real changes."""
    out = dict(values)
    for name in fields:
        if out.get(name) is not None:
            out[name] = Decimal(out[name])
    return out


def texts_of(values: dict, fields: Iterable[str]) -> dict:
    """``values`` with the amounts of ``fields`` as :func:`money_text` (for bulk writes)."""
    out = dict(values)
    for name in fields:
        if name in out:
            out[name] = money_text(out[name])
    return out


# Thuế suất GTGT: the rates of Vietnam's value-added tax, and the two cases without one.
VAT_RATES = ("0", "5", "8", "10", "exempt", "not_declared")
