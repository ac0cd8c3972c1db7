"""Search keys fold text character by character (a translate table): the same text as
the whole-text definition (case-folded, decomposed, combining marks dropped, đ as d)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lienthong.kernel.text import SEPARATOR, fold, search_key


def folded_whole(value: str) -> str:
    """The definition: what fold did before, on the whole text at once."""
    decomposed = unicodedata.normalize("NFD", value.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


VIETNAMESE = "ĐđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b\u034f"  # typed as NFD; U+034F is no mark
texts = st.text(alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.lower() + COMBINING + "AaZz09 -.@ßİΣς\n")) | st.text()


@given(texts)
def test_fold_equals_the_whole_text_definition(value):
    assert fold(value) == folded_whole(value)


@given(st.lists(st.none() | texts, max_size=5))
def test_search_key_folds_each_field_on_its_line(values):
    assert search_key(values) == SEPARATOR.join(folded_whole(v) for v in values if v)


def test_users_find_a_name_without_diacritics():
    assert fold("Nguyễn Văn ĐỨC") == "nguyen van duc"


def test_a_grapheme_joiner_is_kept_as_the_definition_keeps_it():
    assert fold("Vie\u0302\u034ft") == "vie\u034ft"
