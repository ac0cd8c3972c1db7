"""Column helpers shared by every app's tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from sqlalchemy import DateTime, String, Text, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from lienthong.kernel import text
from lienthong.kernel.outbox import BigId, utcnow

__all__ = ["BigId", "IdsNeverReused", "Keyed", "Stamped", "TenantRow", "keys_of", "utcnow"]


class IdsNeverReused:
    """Mixed into every app's declarative base: each of its tables declares
    AUTOINCREMENT on SQLite, so the id of a deleted row is never given to a new one
    (an id the connector links or logs always means the same record). PostgreSQL's
    sequences never reuse an id anyway."""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        table = cls.__dict__.get("__table__")
        if table is not None:
            table.dialect_kwargs["sqlite_autoincrement"] = True


class TenantRow:
    """Every business row belongs to one tenant and has an integer id."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)


class Stamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Keyed:
    """A record with a code, found by code and by text.

    ``code_key`` is how codes compare (:func:`~lienthong.kernel.text.code_key`: ``KH1`` and
    ``kh1`` are one code); each table has a unique index on ``(tenant_id, code_key)``.
    ``search_key`` holds the folded text of :attr:`search_fields` (no case, no diacritics),
    which ``?q=`` searches on both databases. Both are written with the row, by the ORM
    (see :func:`_write_keys`) or, for bulk inserts, with :func:`keys_of`.
    """

    search_fields: ClassVar[tuple[str, ...]] = ("code", "name")

    # Always written; nullable only so that a migration adds them to a SQLite table in place.
    code_key: Mapped[str | None] = mapped_column(String(200))
    search_key: Mapped[str | None] = mapped_column(Text)


def keys_of(model: type, values: Mapping) -> dict:
    """``code_key`` and ``search_key`` of a row of ``model`` with these column values."""
    return {
        "code_key": text.code_key(values["code"]),
        "search_key": text.search_key(map(values.get, model.search_fields)),
    }


@event.listens_for(Keyed, "before_insert", propagate=True)
@event.listens_for(Keyed, "before_update", propagate=True)
def _write_keys(mapper, connection, row) -> None:
    state = inspect(row)
    if state.has_identity and not any(state.attrs[f].history.has_changes() for f in ("code", *row.search_fields)):
        return  # an update of other fields (an owner, a group): the keys stay
    keys = keys_of(type(row), {f: getattr(row, f) for f in ("code", *row.search_fields)})
    if row.code_key is not None and not inspect(row).attrs.code.history.has_changes():
        del keys["code_key"]  # kept while the code is: a key the migration told apart stays so
    for name, value in keys.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
