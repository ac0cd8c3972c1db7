"""Many rows into one table in one statement, as fast as the driver allows.

On SQLite the rows go straight to the driver's ``executemany`` with values already in
SQLAlchemy's storage format (datetimes as text, JSON as text), skipping the per-row
parameter processing that dominates bulk writes (first sync, the connector's log).
Elsewhere it is SQLAlchemy's own ``insert`` with the rows. Column defaults apply.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    if not rows:
        return
    given = set().union(*rows)
    columns = [c for c in table.columns if c.name in given or not (c.primary_key and c.autoincrement)]
    defaults = {}
    for c in columns:  # applied to each row that leaves the column out
        if c.default is not None:
            arg = c.default.arg
            defaults[c.name] = arg(None) if callable(arg) else arg
    names = [c.name for c in columns]
    complete = [{n: row[n] if n in row else defaults.get(n) for n in names} for row in rows]
    if session.get_bind().dialect.name != "sqlite":
        session.execute(insert(table), complete)
        return
    converters = [(i, conv) for i, conv in enumerate(_converter(c) for c in columns) if conv is not None]
    params = []
    for row in complete:
        values = [row[n] for n in names]
        for i, conv in converters:
            values[i] = conv(values[i])
        params.append(tuple(values))
    sql = f'INSERT INTO "{table.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) VALUES ({", ".join("?" for _ in names)})'
    session.connection().exec_driver_sql(sql, params)


def _converter(column):
    """How a value of ``column`` is stored by SQLAlchemy on SQLite; None: as it is."""
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(column.type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    python_type = _python_type(column)
    if python_type is datetime:
        seen: dict = {}  # a batch's rows mostly share their timestamps

        def stamp(v):
            if not isinstance(v, datetime):
                return v
            text = seen.get(v)
            if text is None:
                text = seen[v] = v.strftime("%Y-%m-%d %H:%M:%S.%f")
            return text

        return stamp
    if python_type is date:
        return lambda v: v.isoformat() if isinstance(v, date) else v
    return None


def _python_type(column):
    try:
        return column.type.python_type
    except NotImplementedError:
        return None
