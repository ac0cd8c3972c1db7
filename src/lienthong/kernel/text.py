"""Rules for text people type, shared by request schemas and imports.

- Every text is normalised to NFC, so the NFC and NFD spellings of ``KHỒ1`` are one code.
- Codes hold only letters (Vietnamese too), digits and visible ASCII symbols: nothing
  invisible (no spaces, NUL or other control characters, zero-width spaces, right-to-left
  marks: no character of the Unicode categories Cc, Cf, Zl, Zp, Zs, nothing unprintable).
  Other text refuses control characters (free text may keep line breaks and tabs).
- A tax code (Mã số thuế) is 10 digits, or 10 digits, ``-`` and 3 digits for a branch;
  since 1 July 2025 a person's 12-digit identification number (CCCD) is also their
  tax code (Circular 86/2024/TT-BTC), so 12 digits are accepted too.
- A phone number is 8 to 15 digits, optionally starting with ``+`` (``+84``), written
  with spaces, dots, dashes or parentheses between them (at most two together).
- Each rule is also a regular expression (``*_PATTERN``) that the OpenAPI description
  gives, so what a client generates from the description is what the checks accept.
- :func:`code_key` is how codes compare (trimmed, NFC, case-folded): ``KH00003`` and
  ``kh00003`` are the same code. :func:`search_key` is how text is searched: without
  case or diacritics (``đ`` is ``d``), so ``duc``, ``Đức`` and ``ĐỨC`` all find
  "Nguyễn Văn Đức".

The checks raise ``ValueError`` with a message key of :mod:`lienthong.kernel.i18n`.
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

# The characters of a code: visible ASCII and the Vietnamese letters (NFC).
CODE_CHARS = "!-~ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ"
# What strip() removes (Unicode White_Space), and control characters (Cc).
_WS = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_CTRL = "\\x00-\\x1f\\x7f-\\x9f"
# Invisible format characters that are trimmed like spaces: soft hyphen, zero-width space
# and joiners, direction marks and embeddings, word joiner, BOM.
_INVISIBLE = "\\xad\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff"
_EDGE = f"[^{_WS}{_INVISIBLE}{_CTRL}]"  # the first and last character of a trimmed text
_LINE = f"[^{_CTRL}]"
_CTRL_BUT_LINE_BREAKS = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"  # free text keeps tabs and line breaks
_FREE = f"[^{_CTRL_BUT_LINE_BREAKS}]"
_PHONE_CORE = r"\+?(?:[ .()\-]{0,2}[0-9]){8,15}[ .()\-]{0,2}"
SEPARATOR = "\n"  # between the fields of a search key: a search never spans two fields
_TAX_CORE = r"[0-9]{10}(?:-[0-9]{3})?|[0-9]{12}"
_EMAIL_PART = f"[^@{_WS}{_CTRL}]+"
_EMAIL_CORE = f"{_EMAIL_PART}@{_EMAIL_PART}\\.{_EMAIL_PART}"


def _padded(core: str) -> str:
    """A pattern of a whole request value: ``core`` with the spaces that are trimmed."""
    return f"^[{_WS}{_INVISIBLE}]*(?:{core})[{_WS}{_INVISIBLE}]*$"


# What the OpenAPI description says each kind of text may be: exactly what the checks
# below accept, so that a client (or a fuzzer) generating from it is never refused.
CODE_PATTERN = _padded(f"[{CODE_CHARS}]{{1,50}}")
REF_CODE_PATTERN = _padded(f"[{CODE_CHARS}]{{0,50}}")
NAME_PATTERN = _padded(f"{_EDGE}|{_EDGE}{_LINE}{{0,198}}{_EDGE}")
LINE_PATTERN = f"^{_LINE}*$"  # any one-line text: no control characters
TEXT_PATTERN = _padded(f"|{_EDGE}|{_EDGE}{_FREE}{{0,498}}{_EDGE}")
PHONE_PATTERN = _padded(f"|{_PHONE_CORE}")
TAX_CODE_PATTERN = _padded(f"|{_TAX_CORE}")
EMAIL_PATTERN = _padded(f"|{_EMAIL_CORE}")

_CODE = re.compile(f"[{CODE_CHARS}]*")
_PHONE = re.compile(_PHONE_CORE)
_TAX_CODE = re.compile(_TAX_CORE)
_EMAIL = re.compile(_EMAIL_CORE)
_CONTROL = re.compile(f"[{_CTRL}]")
_CONTROL_BUT_LINE_BREAKS = re.compile(f"[{_CTRL_BUT_LINE_BREAKS}]")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


# What trim() takes off: spaces and invisible characters at either end (a match: a text that needs trimming).
PADDING = re.compile(f"^[{_WS}{_INVISIBLE}]+|[{_WS}{_INVISIBLE}]+$")


def trim(value: str) -> str:
    """``value`` without spaces or invisible characters (zero-width space, BOM, direction
    marks) at either end, as the patterns above say: a name of only a zero-width space is blank."""
    if value[:1].isalnum() and value[-1:].isalnum():  # nothing to trim (the usual case), at no cost
        return value
    return PADDING.sub("", value)


def check_text(value: str) -> str:
    """A one-line text: no control characters."""
    if _CONTROL.search(value):
        raise ValueError("text.control_chars")
    return value


def check_free_text(value: str) -> str:
    """A free text (address, description): line breaks and tabs allowed, no other control character."""
    if _CONTROL_BUT_LINE_BREAKS.search(value):
        raise ValueError("text.control_chars")
    return value


def check_code(value: str) -> str:
    """A code (trimmed, NFC): letters (Vietnamese too), digits and visible ASCII symbols;
    no spaces, control, format (zero-width, right-to-left marks) or separator characters."""
    if not _CODE.fullmatch(value):
        raise ValueError("text.code_chars")
    return value


def check_tax_code(value: str | None) -> str | None:
    """A tax code (trimmed); blank is none."""
    if value in (None, ""):
        return None
    if not _TAX_CODE.fullmatch(value):
        raise ValueError("text.tax_code")
    return value


def check_phone(value: str | None) -> str | None:
    """A phone number (trimmed); blank is none."""
    if value in (None, ""):
        return None
    if not _PHONE.fullmatch(value):
        raise ValueError("text.phone")
    return value


def check_email(value: str | None) -> str | None:
    """An email address (trimmed) as typed; blank is none. Its shape is checked by
    ``email-validator`` (no DNS lookup); :data:`EMAIL_PATTERN` is the outline the OpenAPI
    gives, and nothing outside it is accepted."""
    if value in (None, ""):
        return None
    if not _EMAIL.fullmatch(value):
        raise ValueError("invalid_email")
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("invalid_email") from None
    return value


def code_key(code: str) -> str:
    """How codes compare: ``KH00003``, `` kh00003 `` and ``Kh00003`` are one code."""
    code = code.strip()
    if code.isascii():  # the usual code: already NFC, and casefold() is lower() (at less cost)
        return code.lower()
    return nfc(code).casefold()


class _Folding(dict):
    """``str.translate`` table of :func:`fold`, filled as characters are met: each
    (case-folded) character maps to itself without its combining marks (``ễ`` -> ``e``,
    a lone combining mark -> nothing, ``đ`` -> ``d``). A text folded character by
    character is the text folded whole: decomposition (NFD) works character by
    character, and only the order of combining marks, which are dropped, can differ."""

    def __missing__(self, ordinal: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(ordinal))
        folded = self[ordinal] = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return folded


_FOLDING = _Folding({ord("đ"): "d"})


# Anything but ASCII and the combining marks of U+0300..U+036F (U+034F, the grapheme
# joiner, is not a mark): a text without it is Latin letters with marks, as Vietnamese is.
_NOT_LATIN_WITH_MARKS = re.compile("[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")


def fold(value: str) -> str:
    """``value`` without case or diacritics: ``Nguyễn Văn Đức`` -> ``nguyen van duc``."""
    if value.isascii():  # codes, tax codes, phones, e-mails: nothing to take off (and 10x faster)
        return value.lower()
    decomposed = unicodedata.normalize("NFD", value.casefold().replace("đ", "d"))
    if _NOT_LATIN_WITH_MARKS.search(decomposed) is None:  # Vietnamese: drop the marks in C, twice as fast
        return decomposed.encode("ascii", "ignore").decode("ascii")
    return value.casefold().translate(_FOLDING)


def search_key(values) -> str:
    """The folded texts of a record's searchable fields, one per line (None left out).

    The texts are joined first and folded once: :func:`fold` works character by
    character and leaves the separator as it is, so this is the texts folded one by one."""
    return fold(SEPARATOR.join([v for v in values if v]))
