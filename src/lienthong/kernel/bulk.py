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

from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import chain, repeat
from operator import itemgetter

from sqlalchemy import JSON, Boolean, DateTime, Table, insert
from sqlalchemy.orm import Session

from lienthong.kernel.jsontext import json_text


class Same:
    """One value for every row of :func:`insert_columns` (a tenant, a timestamp, a kind)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts of column values; a column a row leaves out takes its default)."""
    if not rows:
        return
    defaults = _defaults(table)
    insert_columns(session, table, len(rows), {name: column_values(rows, name, defaults.get(name)) for name in set().union(*rows)})


def insert_columns(session: Session, table: Table, count: int, columns: dict[str, list | Same]) -> None:
    """Insert ``count`` rows given column by column: a list of ``count`` values, or
    :class:`Same` for a value every row shares. A column left out takes its default."""
    if not count:
        return
    defaults = _defaults(table)
    chosen = [c for c in table.columns if c.name in columns or not (c.primary_key and c.autoincrement)]
    given = [columns.get(c.name, Same(defaults.get(c.name))) for c in chosen]
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":
        names = [c.name for c in chosen]
        session.execute(insert(table), [dict(zip(names, row)) for row in zip(*(_spread(v, count) for v in given))])
        return
    values: list[Iterable] = []
    for c, column in zip(chosen, given):
        convert = _converter(c, dialect)
        if isinstance(column, Same):
            values.append(repeat(column.value if convert is None or column.value is None else convert(column.value), count))
        else:
            values.append(column if convert is None else map(convert, column))
    _insert_many_rows(session, table.name, [c.name for c in chosen], count, tuple(chain.from_iterable(zip(*values))))


ROWS_PER_STATEMENT = 100


def _insert_many_rows(session: Session, table: str, names: list[str], count: int, flat: tuple) -> None:
    """Insert ``count`` rows whose values lie one row after another in ``flat`` (a tuple:
    its slices are the tuples the driver takes), up to
    :data:`ROWS_PER_STATEMENT` rows per ``INSERT ... VALUES (...), (...)``.

    A statement of many rows binds them all, then the driver steps it once: a quarter
    less time than a row per step, and the driver hands the interpreter's lock to other
    threads once per statement instead of once per row."""
    width = len(names)
    per = max(1, min(ROWS_PER_STATEMENT, _MAX_VARIABLES // width))
    columns = ", ".join(f'"{n}"' for n in names)
    head = f'INSERT INTO "{table}" ({columns}) VALUES '
    row = f"({', '.join('?' * width)})"
    connection = session.connection()
    full = count // per * per
    if full:
        step = per * width
        connection.exec_driver_sql(head + ", ".join([row] * per), [flat[k : k + step] for k in range(0, full * width, step)])
    if full < count:
        connection.exec_driver_sql(head + ", ".join([row] * (count - full)), flat[full * width :])


_MAX_VARIABLES = 999  # SQLite's smallest limit of parameters per statement (3.32 and later allow 32,766)


def _spread(column: list | Same, count: int) -> Iterable:
    return repeat(column.value, count) if isinstance(column, Same) else column


def _defaults(table: Table) -> dict:
    """The value of each column with a default, for rows that leave it out (a callable
    default, such as the time now, is called once for the whole statement)."""
    out = {}
    for c in table.columns:
        if c.default is not None:
            arg = c.default.arg
            out[c.name] = arg(None) if callable(arg) else arg
    return out


def column_values(rows: list[dict], name: str, default) -> list:
    """One column's values, the default where a row leaves it out."""
    try:
        return list(map(itemgetter(name), rows))  # every row gives it: the usual case, in C
    except KeyError:
        return [row.get(name, default) for row in rows]


def _converter(column, dialect) -> Callable | None:
    """How a value of ``column`` is stored by SQLAlchemy on SQLite; None: as it is."""
    if isinstance(column.type, JSON):
        encoded: dict[int, str] = {}  # rows sharing one value (one object) share its text

        def to_text(v):
            if v is None:
                return None
            text = encoded.get(id(v))  # the values are alive for the whole call: ids stay theirs
            if text is None:
                text = encoded[id(v)] = json_text(v)
            return text

        return to_text
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
