"""The screens' small helpers: page numbers, Vietnam dates, the kinds a connection offers."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from lienthong.kernel.pages import Pager, page_number
from lienthong.sync.pages import available_kinds
from lienthong.web.pages import vn_date


@pytest.mark.parametrize(
    "total, number, shown",
    [
        (0, 1, [1]),
        (120, 1, [1, 2, 3]),
        (500, 1, [1, 2, 3, None, 10]),
        (500, 6, [1, None, 4, 5, 6, 7, 8, None, 10]),
        (500, 10, [1, None, 8, 9, 10]),
    ],
)
def test_the_pager_shows_first_last_and_two_around_this_page(total, number, shown):
    assert Pager(total, number, 50, "/ui/x?q=a").numbers == shown


def test_a_page_link_keeps_the_search():
    assert Pager(120, 1, 50, "/ui/x?q=a").url(2) == "/ui/x?q=a&page=2"
    assert Pager(120, 1, 50, "/ui/x").url(3) == "/ui/x?page=3"


@pytest.mark.parametrize("given, number", [(None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("x", 1)])
def test_a_page_number_that_is_not_one_is_the_first_page(given, number):
    assert page_number(given) == number


@pytest.mark.parametrize(
    "moment, shown",
    [
        (datetime(2026, 11, 23, 16, 59, tzinfo=timezone.utc), "23/11/2026"),
        (datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc), "24/11/2026"),  # midnight in Hà Nội
        (datetime(2026, 11, 23, 17, 0), "24/11/2026"),  # a naive time is UTC
        ("2026-12-31T17:30:00Z", "01/01/2027"),
        (date(2026, 1, 2), "02/01/2026"),
        (None, ""),
    ],
)
def test_dates_are_vietnam_time_as_dd_mm_yyyy(moment, shown):
    assert vn_date(moment) == shown


def test_a_time_shows_hours_and_minutes_in_vietnam_time():
    assert vn_date("2026-11-23T01:05:00Z", with_time=True) == "23/11/2026 08:05"


def test_the_connection_form_offers_only_kinds_some_rule_answers():
    assert available_kinds() == ("customers", "customer-groups", "products", "product-groups", "price-policies")
