"""Reading and writing Excel tables, for every app's import (Nhập khẩu) and export.

* :func:`read_table` finds the header row by itself (title rows above it, as in
  the source product's exports, need not be deleted) and matches header texts against
  Vietnamese/English aliases, case- and spacing-insensitive but accent-sensitive.
* The sheet is read by python-calamine (Rust) and handed over a row at a time as the
  caller iterates; workbooks are written with openpyxl.
* Codes, tax codes and phones are text: a whole-number cell reads as its digits
  (:class:`Digits`, no ``.0``), and :func:`tax_code_lost_zero` / :func:`phone_lost_zero`
  tell when Excel dropped a leading zero, so the caller reports it rather than guess.
* A broken file or a missing header row is a 422 naming the field ``file``.
* :func:`validation_messages` turns a Pydantic error into ``(field, code, message)``
  in the current language, so an import reports a bad cell the way a form would.

The kernel knows no app: the caller gives its columns and validates the rows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from io import BytesIO
from itertools import chain, islice
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from pydantic import ValidationError
from python_calamine import CalamineWorkbook

from lienthong.kernel.i18n import MESSAGES, t
from lienthong.kernel.problems import FieldError, ValidationProblem, choices_text

HEADER_SCAN_ROWS = 20
READ_BATCH = 1000  # rows whose cells are read a column at a time


def _norm(text: object) -> str:
    """Header text for matching: NFC (so accents still count), spaces collapsed, casefolded."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


class Digits(str):
    """The digits of a whole-number cell, read as text (``0901234567`` typed as a number
    reads ``901234567``): Excel keeps no leading zero, so a caller can tell it was a number."""

    __slots__ = ()


def cell_value(value: object) -> object:
    """Strings stripped, whole numbers as :class:`Digits` (codes, tax codes, phones are
    text: ``1234.0`` reads ``1234``), blanks as None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Digits(value)
    if isinstance(value, float) and value.is_integer():
        return Digits(int(value))
    return value


def _cell_values(column: list) -> list:
    """:func:`cell_value` of each cell of a column; a column of text (the usual one) is
    stripped in C, not a call per cell."""
    if set(map(type, column)) != {str}:
        return list(map(cell_value, column))
    column = list(map(str.strip, column))
    return [v or None for v in column] if "" in column else column


def tax_code_lost_zero(value: object) -> bool:
    """A tax code cell that was a number shorter than a tax code's 10 digits: Excel
    dropped its leading zero (``0101234567`` became ``101234567``)."""
    return isinstance(value, Digits) and len(value) < 10


def phone_lost_zero(value: object) -> bool:
    """A phone cell that was a number not starting with the country code 84: a
    Vietnamese number begins with 0 or 84, and a number cell cannot keep the 0."""
    return isinstance(value, Digits) and not (value.startswith("84") and len(value) >= 11)


def _bad_file() -> ValidationProblem:
    """openpyxl raises zip, XML and key errors alike, with English texts: not shown."""
    return ValidationProblem("import.bad_file", errors=[FieldError("file", "bad_file", "import.bad_file")])


def _open_rows(data: bytes | BinaryIO) -> Iterator[list]:
    """The first sheet's rows as lists of values, made as the caller iterates.

    python-calamine parses the sheet in Rust, about twenty times faster than openpyxl's
    read-only mode, and keeps the cells compactly there: Python objects exist a row at a
    time. A blank cell reads as ``""`` (``cell_value`` makes it None)."""
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(data) if isinstance(data, bytes) else data)
        rows = workbook.get_sheet_by_index(0).iter_rows()
    except Exception:  # noqa: BLE001 - any error of the reader means a bad file (its texts are English)
        raise _bad_file() from None

    def stream() -> Iterator[list]:
        try:
            yield from rows
        except Exception:  # noqa: BLE001 - a broken sheet shows only when it is read
            raise _bad_file() from None
        finally:
            workbook.close()

    return stream()


def read_table(
    data: bytes | BinaryIO, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[Iterator[tuple[int, dict]], list[str]]:
    """The data rows of the first sheet as ``(excel row number, {field: value})``, read
    one at a time as the caller iterates (a broken sheet raises then, as ``file``).

    ``columns`` maps a field to its accepted header texts; the header row is the first
    of the top 20 rows holding every ``required`` field. A row dict holds exactly the
    fields whose column is in the file. Also returns the header texts not recognised.
    """
    aliases = {_norm(alias): name for name, texts in columns.items() for alias in texts}
    rows = _open_rows(data)
    top = list(islice(rows, HEADER_SCAN_ROWS))
    for index, header in enumerate(top):
        found: dict[int, str] = {}
        unknown: list[str] = []
        for col, text in enumerate(header):
            if text is None or str(text).strip() == "":
                continue
            name = aliases.get(_norm(text))
            if name is None or name in found.values():
                unknown.append(str(text).strip())
            else:
                found[col] = name
        if set(required) <= set(found.values()):
            break
    else:
        rows.close()
        wanted = ", ".join(columns[name][0] for name in required)
        raise ValidationProblem(
            "import.no_header",
            errors=[FieldError("file", "no_header", "import.no_header", {"columns": wanted})],
            columns=wanted,
        )

    cols, names = list(found), list(found.values())
    width = max(cols) + 1
    numbered = enumerate(chain(top[index + 1 :], rows), start=index + 2)

    def table() -> Iterator[tuple[int, dict]]:
        while batch := list(islice(numbered, READ_BATCH)):
            numbers = [number for number, _ in batch]
            cells = [row if len(row) >= width else [*row, *[None] * (width - len(row))] for _, row in batch]  # a short row's missing cells are blank
            columns = [_cell_values([row[col] for row in cells]) for col in cols]
            for number, values in zip(numbers, zip(*columns)):
                if values.count(None) < len(names):  # a row of blank cells is no row
                    yield number, dict(zip(names, values))

    return table(), unknown


def write_table(title_rows: list[str], headers: list[str], rows: list[list]) -> bytes:
    """A one-sheet workbook: bold title rows, a bold header row, then the data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    bold = Font(bold=True)

    def strong(value: object) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    for title in title_rows:
        sheet.append([strong(title)])
    sheet.append([strong(h) for h in headers])
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


_PATTERN_KEYS = {
    r"^[^\s]+$": "invalid_spaces",
}


def _message(error: dict) -> tuple[str, str]:
    """``(code, message)`` of one Pydantic error, in the current language."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "required", t("required")
    if kind == "string_too_long":
        return "too_long", t("too_long", max=ctx.get("max_length"))
    if kind == "string_too_short":
        return "too_short", t("too_short")
    if kind == "string_pattern_mismatch":
        return "invalid", t(_PATTERN_KEYS.get(ctx.get("pattern"), "invalid"), detail=error.get("input"))
    if kind in ("literal_error", "enum"):
        return "invalid_choice", t("invalid_choice", choices=choices_text(ctx.get("expected")))
    if kind == "extra_forbidden":
        return "unknown_field", t("unknown_field")
    if kind == "value_error":
        key = str(ctx.get("error", ""))
        if key in MESSAGES:  # a check of kernel.schemas / kernel.text: its own message
            return key.rsplit(".", 1)[-1], t(key)
        return "invalid", t("invalid", detail=key)
    return "invalid_type", t("invalid_type", detail=error.get("input"))


def validation_messages(exc: ValidationError) -> list[tuple[str, str, str]]:
    """``(field, code, message)`` for each error of a Pydantic validation."""
    out = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "row"
        out.append((field, *_message(error)))
    return out
