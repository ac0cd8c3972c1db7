"""Whole columns of values checked at once against a request model's description.

A bulk import validates each row with the form's schema (an :class:`~lienthong.kernel.schemas.Input`
model), and per row that costs more than writing it: a dozen Python validators a row.
Most files are clean, so :class:`QuickCheck` first asks of a whole column, in C
(``map`` over compiled patterns), whether every value is one the model takes *as it
is*: text already in normal form (NFC, nothing to trim) matching the field's pattern
in the model's JSON schema and within its length, or a bool for a boolean field.
The patterns are those the OpenAPI description gives, which
:mod:`lienthong.kernel.text` keeps equal to what the checks accept; the model would
return such a value unchanged. A column that is not all clean says so, and the caller
validates those rows with the model itself, for its exact messages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from itertools import repeat
from operator import is_not

from pydantic import BaseModel

from lienthong.kernel import text

_is_nfc = partial(unicodedata.is_normalized, "NFC")


class QuickCheck:
    def __init__(self, model: type[BaseModel]):
        self._fields = {name: _rule(prop) for name, prop in model.model_json_schema()["properties"].items()}

    def clean(self, field: str, values: list) -> bool:
        """Whether the model takes every value of ``values`` (None left out) unchanged."""
        rule = self._fields.get(field)
        values = list(filter(partial(is_not, None), values))
        if rule is None or not values:
            return rule is not None
        kind, pattern, shortest, longest = rule
        if kind == "boolean":
            return all(type(v) is bool for v in values)
        return (
            all(map(isinstance, values, repeat(str)))
            and min(map(len, values)) >= max(shortest, 1)  # "" may mean None (a blank tax code)
            and max(map(len, values)) <= longest
            and all(map(pattern.fullmatch, values))
            and all(map(_is_nfc, values))
            # nothing to trim; str.strip() takes off no more (its other spaces are control
            # characters, which no pattern allows)
            and not any(map(text.PADDING.search, values))
        )


def _rule(prop: dict) -> tuple | None:
    """``(kind, pattern, min length, max length)`` of a JSON schema property, or None
    if the values it allows are not told by a pattern (never quick)."""
    for variant in prop.get("anyOf", [prop]):
        if variant.get("type") == "boolean":
            return ("boolean", None, 0, 0)
        if variant.get("type") == "string" and "pattern" in variant:
            return ("string", re.compile(variant["pattern"]), variant.get("minLength", 0), variant.get("maxLength", float("inf")))
    return None
