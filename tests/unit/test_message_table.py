"""The message table, the rulebook's texts and the names records go by: every text is
wholly in its language (issue 6, item 14)."""

from __future__ import annotations

import gc
import re
import string
import typing
import unicodedata

import pytest
from pydantic_core import PydanticKnownError
from pydantic_core.core_schema import ErrorType

import lienthong.web.app  # noqa: F401 - adds every screen's strings to the table
from lienthong import accounting, crm, process, system  # noqa: F401 - their catalogs
from lienthong.kernel.catalog import Catalog, Ref
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.problems import pydantic_key
from lienthong.sync.rules import RULEBOOK

# Letters only Vietnamese writes: ă â đ ê ô ơ ư, and any vowel with a tone mark.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_HATS = {"\u0302", "\u0306", "\u031b"}  # â ê ô, ă, ơ ư


def vietnamese_only(ch: str) -> bool:
    if ch in "đĐ":
        return True
    base, *marks = unicodedata.normalize("NFD", ch)
    return base.lower() in "aeiouy" and bool(set(marks) & (_TONES | _HATS))


VIETNAMESE_LETTERS = {chr(c) for c in range(0x00C0, 0x1F00) if vietnamese_only(chr(c))}

# English words that must not appear in a Vietnamese text (outside codes, `code` and {placeholders}).
ENGLISH = {
    "the", "is", "are", "not", "no", "input", "should", "must", "method", "allowed", "created", "linked",
    "updated", "customers", "customer", "employee", "user", "connection", "change", "file", "found",
    "invalid", "valid", "field", "required", "error", "there", "with", "and", "or", "of", "to",
    "value", "row", "skipped", "failed", "pending", "parked", "token", "rule", "step",
}


def texts():
    """(where, Vietnamese, English) of every message, rule text and rule reason."""
    for key, (vi, en) in MESSAGES.items():
        yield key, vi, en
    for rule in RULEBOOK:
        yield rule.id, rule.vi, rule.en
        for outcome in ("applied", "skipped"):
            vi, en = getattr(rule, f"{outcome}_vi"), getattr(rule, f"{outcome}_en")
            if vi or en:
                yield f"{rule.id} {outcome}", vi, en
        for name, (vi, en) in rule.reasons.items():
            yield f"{rule.id} {name}", vi, en


TEXTS = list(texts())


def words(text: str) -> list[str]:
    """The words of a text, leaving out {placeholders}, `code spans` and codes (KH001, CUS-A1)."""
    text = re.sub(r"\{[^}]*\}|`[^`]*`", " ", text)
    return [w for w in re.findall(r"[\w-]+", text) if not re.search(r"[\d_]", w)]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_vietnamese_only_letters_are_the_ones_vietnamese_writes():
    assert {"ă", "â", "đ", "ê", "ô", "ơ", "ư", "Đ", "ệ", "ừ", "ỹ", "á", "à", "ả", "ã", "ạ"} <= VIETNAMESE_LETTERS
    assert "é" in VIETNAMESE_LETTERS  # a toned e is Vietnamese too
    assert not {"a", "n", "ç", "ö", "ñ", "→", "…", "—"} & VIETNAMESE_LETTERS


@pytest.mark.parametrize("where, vi, en", TEXTS, ids=[t[0] for t in TEXTS])
def test_every_text_has_both_languages(where, vi, en):
    assert vi.strip()
    assert en.strip()


@pytest.mark.parametrize("where, vi, en", TEXTS, ids=[t[0] for t in TEXTS])
def test_english_has_no_vietnamese_letter(where, vi, en):
    assert sorted(set(en) & VIETNAMESE_LETTERS) == []


@pytest.mark.parametrize("where, vi, en", TEXTS, ids=[t[0] for t in TEXTS])
def test_vietnamese_has_no_english_word(where, vi, en):
    assert [w for w in words(vi) if w.lower() in ENGLISH] == []


@pytest.mark.parametrize("where, vi, en", TEXTS, ids=[t[0] for t in TEXTS])
def test_both_languages_have_the_same_placeholders(where, vi, en):
    assert placeholders(vi) == placeholders(en)


def test_the_word_check_sees_english_but_not_codes():
    assert words("Không tìm thấy connection {id} `lienthong serve` KH00030 CUS-A1") == ["Không", "tìm", "thấy", "connection"]


def _catalogs_and_refs():
    return [o for o in gc.get_objects() if isinstance(o, (Catalog, Ref))]


def test_every_record_name_is_a_message_key():
    found = _catalogs_and_refs()
    assert len(found) >= 10  # the catalogs and references of the four apps
    assert sorted({o.what for o in found} - MESSAGES.keys()) == []


def _required_context(kind: str) -> set[str]:
    """The context names pydantic-core needs to build an error of this type."""
    ctx: dict = {}
    for _ in range(10):
        try:
            PydanticKnownError(kind, ctx or None)
            return set(ctx)
        except (KeyError, TypeError) as exc:
            missing = re.search(r"'(\w+)' required in context", str(exc))
            wrong = re.search(r"'(\w+)' context value must be a String", str(exc))
            assert missing or wrong, (kind, exc)
            ctx[(missing or wrong).group(1)] = "x" if wrong else 1
    raise AssertionError(kind)


PYDANTIC_TYPES = typing.get_args(ErrorType)


@pytest.mark.parametrize("kind", PYDANTIC_TYPES)
def test_every_pydantic_error_type_has_its_own_message(kind):
    key = pydantic_key(kind)
    assert key in MESSAGES
    if kind != "value_error":
        assert key != "pydantic.value_error"  # not the catch-all


@pytest.mark.parametrize("kind", PYDANTIC_TYPES)
def test_a_pydantic_message_uses_only_the_errors_context(kind):
    vi, _ = MESSAGES[pydantic_key(kind)]
    assert placeholders(vi) <= _required_context(kind) | {"max", "choices"}
