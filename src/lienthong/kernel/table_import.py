"""What every app's Excel import (Nhập khẩu) shares, whatever it imports.

An import checks the whole file first, outside any write transaction, and rejects it
(422 naming every bad cell, :func:`rejected`) if any row is bad; a good file is then
written in short transactions (:func:`write_in_chunks`), so that one tenant's big file
never stops the others' writes. The app gives its columns, validates its rows and
writes a chunk with its own events; see ``accounting.customer_import`` and
``crm.customer_excel``.

Modes (kiểu nhập khẩu): ``insert`` Thêm mới, ``update`` Cập nhật, ``upsert`` Cả hai.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lienthong.kernel.db import Database
from lienthong.kernel.i18n import t
from lienthong.kernel.problems import Conflict, FieldError, Problem, ValidationProblem, invalid
from lienthong.kernel.schemas import ImportRowError
from lienthong.kernel.text import code_key
from lienthong.kernel.unit_of_work import UnitOfWork

MODES = ("insert", "update", "upsert")
CHUNK_SECONDS = 0.15  # aimed write-lock hold of one chunk: a busy machine may take 5 times longer, still under 1 s
FIRST_CHUNK = 500  # rows of the first chunk, before the speed is known
MAX_CHUNK = 20_000

Problems = list[tuple[str, str, str]]  # (field, code, message) of one row
Bad = tuple[int, str, str, str]  # (excel row, field, code, message)
Progress = Callable[[str, int, int | None], None]  # (phase "check" | "write", done, total)


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise invalid("mode", "invalid_choice", "invalid_choice", choices=", ".join(MODES))


def code_ids(session, model, tenant_id: str) -> dict[str, int]:
    """code key -> id of a tenant's records, read as plain columns: codes compare up to
    case and spaces, as everywhere (:func:`kernel.text.code_key`)."""
    return dict(session.execute(select(model.code_key, model.id).where(model.tenant_id == tenant_id)).all())


class CodeCheck:
    """The code of each row against the mode and the file: a code twice in the file, a
    new code in update mode, an existing one in insert mode."""

    def __init__(self, mode: str, existing: set[str] | dict[str, Any]):
        self.mode, self.existing, self.first_row = mode, existing, {}

    def __call__(self, number: int, code: str) -> tuple[str, str, str] | None:
        key = code_key(code)
        first = self.first_row.setdefault(key, number)
        if first != number:
            return ("code", "duplicate", t("import.duplicate_in_file", code=code, first=first))
        if self.mode == "insert" and key in self.existing:
            return ("code", "exists", t("import.exists_for_insert", code=code))
        if self.mode == "update" and key not in self.existing:
            return ("code", "not_found", t("import.not_found_for_update", code=code))
        return None


def rejected(bad: Sequence[Bad], label: Callable[[str], str]) -> ValidationProblem:
    """422 naming every bad cell as ``rows[<excel row>].<field>``; nothing was written.

    ``label`` gives a field's column title. ``errors`` renders as problem+json; ``rows``
    keeps them as :class:`ImportRowError`."""
    rows, field_errors = [], []
    for number, field, code, reason in bad:
        message = t("import.row", row=number, message=f"{label(field)}: {reason}")
        rows.append(ImportRowError(row=number, field=field, message=message))
        field_errors.append(FieldError(f"rows[{number}].{field}", code, "import.row", {"row": number}, text=message))
    problem = ValidationProblem("import.rejected", errors=field_errors, count=len({r.row for r in rows}))
    problem.rows = rows
    return problem


@dataclass
class Clash:
    """A row of a chunk that something else changed since the check."""

    index: int  # in the chunk
    row: int  # in the workbook
    field: str
    code: str
    reason: str  # created | deleted | reference | changed
    ref: str = ""

    def stopped(self, done: int, totals: list[int]) -> Conflict:
        """409: the import stopped at this row; the ``done`` rows before it stay imported."""
        why = t(f"import.clash.{self.reason}", ref=self.ref)
        message = t("import.row", row=self.row, message=t("import.clash", code=self.code, reason=why))
        error = FieldError(f"rows[{self.row}].{self.field}", "clash", "import.clash", text=message)
        return Conflict("import.partial", errors=[error], row=self.row, done=done, created=totals[0], updated=totals[1])


# write(uow, chunk) -> (rows written, counts, a problem stopping the import or None)
ChunkWriter = Callable[[UnitOfWork, list], tuple[int, Sequence[int], Callable[[int, list[int]], Problem] | None]]


def write_in_chunks(db: Database, plans: list, write: ChunkWriter, on_integrity_error: Callable[[list], Callable[[int, list[int]], Problem]], progress: Progress | None = None, counts: int = 3) -> list[int]:
    """Write ``plans`` in file order, in chunks, each its own short write transaction
    holding the write lock about :data:`CHUNK_SECONDS` (the size adapts to the measured
    speed, at most doubling from one chunk to the next). ``write`` writes a chunk's rows
    with their events and may stop at a row that changed since the check: the rows
    before it stay written and the import stops with the problem it makes of
    ``(rows done, totals)``. Returns the totals of ``write``'s counts."""
    totals = [0] * counts
    done, size = 0, FIRST_CHUNK
    while done < len(plans):
        chunk = plans[done : done + size]
        with UnitOfWork(db) as uow:
            uow.session.connection()  # the write lock is taken here (SQLite: BEGIN IMMEDIATE)
            started = time.perf_counter()
            try:
                written, made, stop = write(uow, chunk)
                uow.commit()
            except IntegrityError:  # a code or reference changed meanwhile (PostgreSQL locks no table)
                written, made, stop = 0, [0] * counts, on_integrity_error(chunk)
            held = time.perf_counter() - started
        totals = [a + b for a, b in zip(totals, made)]
        done += written
        if stop is not None:
            raise stop(done, totals)
        if progress:
            progress("write", done, len(plans))
        size = max(1, min(MAX_CHUNK, 2 * written, int(written * CHUNK_SECONDS / max(held, 1e-3))))
    return totals
