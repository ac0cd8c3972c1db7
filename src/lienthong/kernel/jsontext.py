"""JSON text of the values every app stores in JSON columns (events, logs, outcomes).

One serializer for the engines (``create_engine(json_serializer=...)``) and the bulk
writer, so a row reads back the same whichever wrote it. It is pydantic-core's (Rust,
several times faster than :func:`json.dumps`): money as ``Decimal`` is written as a
string (``"1250000.50"``, exact, as typed contracts carry it), timestamps as ISO 8601,
text as UTF-8.
"""

from __future__ import annotations

from pydantic_core import to_json


def json_text(value: object) -> str:
    return to_json(value).decode()
