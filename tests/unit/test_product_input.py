"""Amounts, product rows and their normalisation, as properties (issue 8): what a user
types or a sheet holds is stored exactly and compares as the user means it."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from lienthong.kernel.money import VAT_RATES, MoneyColumn, check_money, money_text
from lienthong.kernel.product_import import product_cells
from lienthong.kernel.product_schemas import PricePolicyItemIn, ProductCreate
from lienthong.kernel.text import code_key

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999999.9999"), places=4, allow_nan=False, allow_infinity=False)
SQLITE, POSTGRES = SimpleNamespace(name="sqlite"), SimpleNamespace(name="postgresql")
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
names = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " 0123456789", min_size=1, max_size=40).filter(lambda s: s.strip())
padding = st.text(alphabet=" \t\u00a0\u200b\ufeff", max_size=3)


@given(amounts)
def test_an_amount_written_as_text_reads_back_the_same(amount):
    text = money_text(amount)
    assert check_money(text) == amount
    assert re.fullmatch(r"0|[1-9][0-9]*(\.[0-9]*[1-9])?|0\.[0-9]*[1-9]", text)


@given(amounts)
def test_an_amount_is_stored_exactly_on_both_databases(amount):
    column = MoneyColumn()
    for dialect in (SQLITE, POSTGRES):
        assert column.process_result_value(column.process_bind_param(amount, dialect), dialect) == amount


@given(amounts, padding, padding)
def test_a_price_in_a_request_is_the_amount_it_shows(amount, before, after):
    product = ProductCreate(code="HH1", name="Hàng", unit_price=before + money_text(amount) + after)
    assert product.unit_price == amount


@given(st.one_of(st.integers(), st.floats(allow_nan=False)))
def test_a_price_given_as_a_json_number_is_refused(number):
    with pytest.raises(ValidationError) as caught:
        ProductCreate(code="HH1", name="Hàng", unit_price=number)
    assert [e["loc"] for e in caught.value.errors()] == [("unit_price",)]


@given(names, padding, padding)
def test_a_name_is_stored_trimmed_in_nfc_however_it_was_typed(name, before, after):
    typed = before + unicodedata.normalize("NFD", name) + after
    stored = ProductCreate(code="HH1", name=typed).name
    assert stored == unicodedata.normalize("NFC", name).strip()


@given(st.text(alphabet="ĐđÔôƠơƯưÁáHhKk0123456789-_.", min_size=1, max_size=20))
def test_a_code_compares_the_same_in_any_case_and_spelling(code):
    nfd_upper = unicodedata.normalize("NFD", code.upper())
    assert code_key(ProductCreate(code=nfd_upper, name="x").code) == code_key(ProductCreate(code=code.lower(), name="x").code)


@given(st.sampled_from([("0", "0"), ("5", "5"), ("8", "8"), ("10", "10")]), st.sampled_from(["{}", "{}%", " {} % "]))
def test_a_vat_rate_written_with_or_without_percent_reads_as_its_rate(rate, form):
    written, expected = rate
    assert product_cells({"vat_rate": form.format(written)})["vat_rate"] == expected


@pytest.mark.parametrize("cell, rate", [(0.0, "0"), (0.05, "5"), (0.08, "8"), (0.1, "10"), ("Không chịu thuế", "exempt"), ("KHÔNG KÊ KHAI THUẾ", "not_declared")])
def test_a_vat_rate_as_a_percentage_cell_or_in_words_reads_as_its_code(cell, rate):
    assert product_cells({"vat_rate": cell})["vat_rate"] == rate
    assert rate in VAT_RATES


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda f: round(f, 2)))
def test_a_price_cell_typed_as_a_number_is_the_amount_excel_shows(price):
    assert Decimal(product_cells({"unit_price": price})["unit_price"]) == Decimal(repr(price))


@given(amounts, amounts)
def test_a_policy_item_takes_a_price_or_a_discount_never_both(price, discount):
    with pytest.raises(ValidationError):
        PricePolicyItemIn(product_code="HH1", price=money_text(price), discount_percent=money_text(min(discount, Decimal(100))))
