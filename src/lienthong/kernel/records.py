"""Small helpers every app's use cases share: tenant-scoped lookups, pages, changes."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from lienthong.kernel.i18n import term
from lienthong.kernel.problems import NotFound, invalid, unknown_code
from lienthong.kernel.text import code_key, fold

MAX_LIMIT = 500
MAX_ID = 2**63 - 1  # ids are signed 64-bit integers in both databases


def get_or_404(session: Session, model, tenant_id: str, record_id: int, what: str):
    """The record, or a 404 naming it; ``what`` is the message key of its name (``kind.customers``)."""
    row = session.get(model, record_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound("not_found", what=term(what), ident=record_id)
    return row


def by_code(session: Session, model, tenant_id: str, code: str):
    """The record whose code is ``code`` up to case and spaces (``KH1`` is ``kh1``)."""
    return session.scalar(select(model).where(model.tenant_id == tenant_id, model.code_key == code_key(code)))


def resolve_code(session: Session, model, tenant_id: str, code: str | None, *, field: str, what: str):
    """The record with ``code`` or a 422 naming ``field``; ``None`` for a blank code."""
    if code is None or code == "":
        return None
    row = by_code(session, model, tenant_id, code)
    if row is None:
        raise unknown_code(field, what, code)
    return row


# A cursor is the last id of the previous page, in decimal: at most 18 digits, so that
# every cursor the pattern allows is a valid id (ids stay far below 10^18).
CURSOR_PATTERN = r"^(?:0|[1-9][0-9]{0,17})?$"
_CURSOR = re.compile(CURSOR_PATTERN)


def encode_cursor(last_id: int) -> str:
    return str(last_id)


def decode_cursor(cursor: str | None) -> int:
    """The last id of the previous page; a 422 naming ``cursor`` for anything that is not
    a cursor this API made (not digits, negative, beyond 64 bits)."""
    if not cursor:
        return 0
    if not _CURSOR.fullmatch(cursor):
        raise invalid("cursor", "invalid", "invalid_cursor")
    return int(cursor)


def page(session: Session, stmt: Select, model, *, limit: int, cursor: str | None, q: str | None = None) -> tuple[list, str | None]:
    """One page of ``stmt`` in id order: ``(rows, next_cursor)``. ``q`` finds the records
    whose searchable fields contain it, ignoring case and diacritics (``duc`` finds
    "Nguyễn Văn Đức"); ``%``, ``_`` and ``\\`` in ``q`` are plain characters."""
    after = decode_cursor(cursor)
    stmt = searched(stmt.where(model.id > after), model, q)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(session.scalars(stmt.order_by(model.id).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].id) if more and rows else None)


def searched(stmt: Select, model, q: str | None) -> Select:
    """``stmt`` narrowed to the records whose searchable fields contain ``q`` (see :func:`page`)."""
    if q and fold(q).strip():
        stmt = stmt.where(model.search_key.contains(fold(q).strip(), autoescape=True))
    return stmt


def numbered_page(session: Session, stmt: Select, model, *, number: int, size: int, q: str | None = None) -> tuple[list, int]:
    """Page ``number`` (from 1) of ``stmt`` in id order, and how many records there are in
    all: ``(rows, total)``; the screens show page numbers, the API pages by cursor."""
    stmt = searched(stmt, model, q)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    size = max(1, min(size, MAX_LIMIT))
    rows = list(session.scalars(stmt.order_by(model.id).offset((max(1, number) - 1) * size).limit(size)))
    return rows, total


def apply_changes(row: Any, values: dict) -> dict:
    """Set ``values`` on ``row``; return ``{field: old value}`` of what really changed."""
    changed = {}
    for key, value in values.items():
        old = getattr(row, key)
        if old != value:
            changed[key] = old
            setattr(row, key, value)
    return changed
