"""Many rows into one table in one statement, as fast as the driver allows.

On SQLite the rows go straight to the driver's ``executemany`` with values already in
SQLAlchemy's storage format, skipping the per-row parameter processing that dominates
bulk writes (imports, first sync, the connector's log): the values are gathered column
by column, and only the columns whose type needs it are converted, each by SQLAlchemy's
own conversion for that type (a ``Decimal`` of a ``Numeric`` column as SQLAlchemy stores
it) except where a faster equivalent is known (timestamps a batch shares, JSON as the
engine writes it). Elsewhere it is SQLAlchemy's own ``insert`` with the rows.
Column defaults apply. ``bench/bulk_insert.py`` measures this against SQLAlchemy's own
bulk insert.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import itemgetter

from sqlalchemy import JSON, Boolean, DateTime, Table, insert
from sqlalchemy.orm import Session

from lienthong.kernel.jsontext import json_text


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
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":
        names = [c.name for c in columns]
        session.execute(insert(table), [{n: row[n] if n in row else defaults.get(n) for n in names} for row in rows])
        return
    values = []
    for c in columns:
        column = _column_values(rows, c.name, defaults.get(c.name))
        convert = _converter(c, dialect)
        values.append(column if convert is None else list(map(convert, column)))
    names = ", ".join(f'"{c.name}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
    session.connection().exec_driver_sql(sql, list(zip(*values)))


def _column_values(rows: list[dict], name: str, default) -> list:
    """One column's values, the default where a row leaves it out."""
    try:
        return list(map(itemgetter(name), rows))  # every row gives it: the usual case, in C
    except KeyError:
        return [row.get(name, default) for row in rows]


def _converter(column, dialect) -> Callable | None:
    """How a value of ``column`` is stored by SQLAlchemy on SQLite; None: as it is."""
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else json_text(v)
    if isinstance(column.type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    if isinstance(column.type, DateTime):
        store = column.type.dialect_impl(dialect).bind_processor(dialect)
        seen: dict = {}  # a batch's rows mostly share their timestamps

        def stamp(v):
            if not isinstance(v, datetime):
                return v
            text = seen.get(v)
            if text is None:
                text = seen[v] = store(v)
            return text

        return stamp
    return column.type.dialect_impl(dialect).bind_processor(dialect)  # Numeric (Decimal), Date, Enum, ...: SQLAlchemy's own
