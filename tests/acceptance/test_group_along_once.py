"""PRD-3 and PGR-1 together: a product group brought along by a product and edited in the
same drain is made once in the other app, and ends with its latest values."""

from __future__ import annotations

import pytest

from tests.acceptance.test_products_sync import APPS, OTHER, add_group, add_product, url
from tests.conftest import connect, run_step


def codes(api, app: str) -> list[str]:
    return [g["code"] for g in api.ok("get", url(app, "product-groups"))["items"]]


@pytest.mark.parametrize("source", APPS)
def test_PRD_3_a_group_brought_along_and_edited_in_one_drain_is_made_once(people, source):
    """The group existed before connecting (no first sync), so the product brings it along."""
    api, target = people, OTHER[source]
    group = add_group(api, source, "NH01", name="Trước kết nối")
    api.drain()
    conn = connect(api)
    assert run_step(api, conn["id"], 1)["state"] == "succeeded"
    add_product(api, source, "HH01", group_code="NH01")
    api.ok("patch", url(source, "product-groups", group["id"]), json={"name": "Đã sửa"})
    add_product(api, source, "HH02", group_code="NH01")
    api.drain()
    assert codes(api, target) == ["NH01"]
    assert api.one(url(target, "product-groups"), "NH01")["name"] == "Đã sửa"
    assert [api.one(url(target, "products"), c)["group_code"] for c in ("HH01", "HH02")] == ["NH01", "NH01"]


@pytest.mark.parametrize("source", APPS)
def test_PGR_1_a_new_group_with_its_product_and_an_edit_in_one_drain_is_made_once(connected, source):
    api, target = connected, OTHER[source]
    group = add_group(api, source, "NH01", name="Mới")
    add_product(api, source, "HH01", group_code="NH01")
    api.ok("patch", url(source, "product-groups", group["id"]), json={"name": "Đã sửa"})
    api.drain()
    assert codes(api, target) == ["NH01"]
    assert api.one(url(target, "product-groups"), "NH01")["name"] == "Đã sửa"
    assert [e["outcome"] for e in api.log(rule="PGR-1") if e["outcome"] != "applied"] == []
