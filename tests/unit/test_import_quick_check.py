"""Issue 6, item 5: the import checks a clean batch of rows a column at a time
(``_quick_values``) instead of row by row with the form's schema (``_values``). Whatever
the cells, the quick check either declines (the rows then go through the schema, for its
messages) or gives exactly what the schema gives."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lienthong.accounting.customer_import import COLUMNS, SPEC
from lienthong.kernel.importing import MODES, _quick_values, _values
from lienthong.kernel.excel import Digits

# Cells the form accepts (some not yet in normal form).
GOOD = {
    "code": ["KH001", "kh-02", "KHỒ1", "A" * 50],
    "name": ["Công ty An Phát", "X", "Nguyễn Văn Đức " + "a" * 184, "Nguye\u0302\u0303n Đu\u031b\u0301c"],  # the last typed as NFD
    "tax_code": ["0101234567", "0101234567-001", "012345678901"],
    "address": ["12 Lê Lợi\nQuận 1", "Huế", "Hue\u0302\u0301"],
    "phone": ["0912 345 678", "+84 912-345-678", "(028) 3823.4567"],
    "email": ["an@example.vn", "đức@công-ty.vn"],
    "group_code": ["VIP"],
    "salesperson_code": ["NV01"],
    "is_individual": ["Có", "không", "x", True, False],
}
# What makes a cell doubtful: spaces and invisible characters at its ends, NFD, control
# characters, separators, lengths at the limits, numbers, other types.
ODD = st.sampled_from([
    " KH1", "KH1\u200b", "\u200bKH1", "KH 1", "KH\x001", "KH\u202e1", "KHO\u0302\u03001", "Ω", "a" * 51, "a" * 201, "a" * 501,
    "an@example", "an@@x.vn", "\ufeffan@x.vn", "an@x.vn\u00ad", "a" * 190 + "@example.vn", "0912 345 678 ", " 0912345678", "gọi anh Tuấn",
    "01AB", "0101234567-1", "", "\t", "Tên\x07", "Tên\nhai dòng", "maybe", "1", "0",
    Digits(101234567), Digits(912345678), Digits(84912345678), Digits(3701234567), Digits(1234), 1.5, True, 0.0,
])


@st.composite
def batches(draw):
    fields = ["code", "name", *draw(st.lists(st.sampled_from(list(COLUMNS)[2:]), unique=True))]  # a file has code and name
    def cell(field):  # mostly good cells, so that many batches pass the quick check
        kind = draw(st.integers(0, 24))
        return draw([ODD, st.text(max_size=8), st.none()][kind] if kind < 3 else st.sampled_from(GOOD[field]))
    return tuple((n, {field: cell(field) for field in fields}) for n in range(2, 2 + draw(st.integers(1, 4))))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(batches(), st.sampled_from(MODES))
@example(((2, {"code": "KH1", "name": "An", "tax_code": Digits(3701234567)}),), "insert")
def test_the_quick_check_gives_what_the_schema_gives_or_declines(batch, mode):
    quick = _quick_values(SPEC, batch, mode)
    if quick is None:
        return
    for (_, cells), values in zip(batch, quick):
        problems = []
        assert values == _values(SPEC, cells, mode, problems)
        assert problems == []
        assert all(type(v) is not Digits for v in values.values())  # plain text, as the schema gives


def test_a_clean_batch_is_checked_at_once():
    batch = tuple((n, {field: GOOD[field][0] for field in COLUMNS}) for n in range(2, 5))
    assert _quick_values(SPEC, batch, "upsert") == [_values(SPEC, cells, "upsert", []) for _, cells in batch]


def test_a_batch_with_one_doubtful_cell_is_left_to_the_schema():
    batch = ((2, {"code": "KH1", "name": "An"}), (3, {"code": "KH2\u200b", "name": "Bình"}))
    assert _quick_values(SPEC, batch, "insert") is None
