"""Rules for text people type, shared by request schemas and imports.

- Every text is normalised to NFC, so the NFC and NFD spellings of ``KHỒ1`` are one code.
- Codes may hold only visible characters: no control or format characters (NUL,
  zero-width spaces, right-to-left marks: Unicode categories Cc, Cf), no line or
  paragraph separators (Zl, Zp), nothing unprintable. Other text refuses control
  characters (free text may keep line breaks and tabs).
- A tax code (Mã số thuế) is 10 digits, or 10 digits, ``-`` and 3 digits for a branch;
  since 1 July 2025 a person's 12-digit identification number (CCCD) is also their
  tax code (Circular 86/2024/TT-BTC), so 12 digits are accepted too.
- A phone number is 8 to 15 digits, optionally starting with ``+`` (``+84``), written
  with spaces, dots, dashes or parentheses between them.
- :func:`code_key` is how codes compare (trimmed, NFC, case-folded): ``KH00003`` and
  ``kh00003`` are the same code. :func:`search_key` is how text is searched: without
  case or diacritics (``đ`` is ``d``), so ``duc``, ``Đức`` and ``ĐỨC`` all find
  "Nguyễn Văn Đức".

The checks raise ``ValueError`` with a message key of :mod:`lienthong.kernel.i18n`.
"""

from __future__ import annotations

import re
import unicodedata

LINE_BREAKS = frozenset("\n\r\t")
_TAX_CODE = re.compile(r"^(?:\d{10}(?:-\d{3})?|\d{12})$")
_PHONE = re.compile(r"^\+?[0-9(][0-9 .\-()]*$")
_PHONE_DIGITS = (8, 15)
SEPARATOR = "\n"  # between the fields of a search key: a search never spans two fields


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def has_control(value: str, *, allow_line_breaks: bool = False) -> bool:
    """Whether ``value`` holds a control character (category Cc; NUL, ESC, ...)."""
    return any(unicodedata.category(ch) == "Cc" and not (allow_line_breaks and ch in LINE_BREAKS) for ch in value)


def check_text(value: str) -> str:
    """A one-line text: no control characters."""
    if has_control(value):
        raise ValueError("text.control_chars")
    return value


def check_free_text(value: str) -> str:
    """A free text (address, description): line breaks and tabs allowed, no other control character."""
    if has_control(value, allow_line_breaks=True):
        raise ValueError("text.control_chars")
    return value


def check_code(value: str) -> str:
    """A code: visible characters only (no spaces, control, format or separator characters)."""
    if not all(ch.isprintable() and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Zl", "Zp") for ch in value):
        raise ValueError("text.invisible_chars")
    return value


def check_tax_code(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not _TAX_CODE.match(value):
        raise ValueError("text.tax_code")
    return value


def check_phone(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
        raise ValueError("text.phone")
    return value


def code_key(code: str) -> str:
    """How codes compare: ``KH00003``, `` kh00003 `` and ``Kh00003`` are one code."""
    return nfc(code.strip()).casefold()


def fold(value: str) -> str:
    """``value`` without case or diacritics: ``Nguyễn Văn Đức`` -> ``nguyen van duc``."""
    decomposed = unicodedata.normalize("NFD", value.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(values) -> str:
    """The folded texts of a record's searchable fields, one per line (None left out)."""
    return SEPARATOR.join(fold(v) for v in values if v)
