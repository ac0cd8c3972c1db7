"""CON-9 and CUS-C6 from the command line: `lienthong sync push|pull` with a progress bar
and a table of each record's outcome, in the language asked for."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN, PG_URL, connect, run_step
from tests.integration.test_cli import cli

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI opens the data folder's SQLite files")


@pytest.fixture
def groups(api, tmp_path) -> dict:
    """Accounting groups NKH1, NKH2 made before connecting; the CLI's data folder."""
    ids = {code: api.ok("post", "/api/v1/accounting/customer-groups", 201, json={"code": code, "name": f"Nhóm {code}"})["id"] for code in ("NKH1", "NKH2")}
    api.drain()
    connect(api)
    return {"ids": ids, "data": str(tmp_path / "data"), "api": api}


def crm_groups(api) -> list[str]:
    return sorted(g["code"] for g in api.ok("get", "/api/v1/crm/customer-groups")["items"])


def table_rows(out: str) -> list[list[str]]:
    """The outcome table's rows, each cell whole however narrow the terminal wrapped it
    (a line whose first cell is empty goes on the row above)."""
    rows: list[list[str]] = []
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0] and cells[0].isdigit():
            rows.append(cells)
        elif rows and not cells[0]:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
    return rows


def test_CON_9_push_from_the_cli_shows_each_records_outcome(groups):
    result = cli("sync", "push", "--kind", "customer-groups", "--from", "accounting", "--ids", str(groups["ids"]["NKH1"]), "--token", ADMIN, "--data", groups["data"], "--lang", "en")
    assert result.exit_code == 0, result.output
    assert table_rows(result.stdout) == [["1", "NKH1", "created", "Manual sync: the customer group NKH1 was created in CRM."]]
    assert result.stdout.splitlines()[-1] == "created 1, updated 0, linked 0, unchanged 0, skipped 0, failed 0"
    assert crm_groups(groups["api"]) == ["NKH1"]


def test_CUS_C6_a_pull_preview_from_the_cli_lists_the_records_and_writes_nothing(groups):
    result = cli("sync", "pull", "--kind", "customer-groups", "--from", "accounting", "--all", "--preview", "--token", ADMIN, "--data", groups["data"])
    assert result.exit_code == 0, result.output
    assert "Xem trước (chưa ghi gì)" in result.stdout
    assert result.stdout.splitlines()[-1] == "tạo mới 2, cập nhật 0, liên kết 0, không đổi 0, bỏ qua 0, lỗi 0"
    assert crm_groups(groups["api"]) == []


def test_CON_9_a_bad_request_from_the_cli_names_the_field(groups):
    result = cli("sync", "push", "--kind", "quotes", "--from", "accounting", "--all", "--token", ADMIN, "--data", groups["data"], "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "kind: The kind quotes cannot be synced by hand; choose one of: customers, customer-groups, products, product-groups, price-policies."


def test_CON_9_ids_that_are_not_numbers_are_refused(groups):
    result = cli("sync", "push", "--kind", "customers", "--from", "accounting", "--ids", "1,x", "--token", ADMIN, "--data", groups["data"], "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--ids takes numbers separated by commas (1,2), not 1,x."


@pytest.fixture
def policy(api, tmp_path) -> dict:
    """Accounting groups NH01, NH02 with products HH01, HH02 and policy CS01 over both,
    made before connecting; then connected, steps 1 and 2 run (groups and products in CRM)."""
    for n in (1, 2):
        api.ok("post", "/api/v1/accounting/product-groups", 201, json={"code": f"NH0{n}", "name": f"Nhóm {n}"})
        api.ok("post", "/api/v1/accounting/products", 201, json={"code": f"HH0{n}", "name": f"Hàng {n}", "group_code": f"NH0{n}"})
    made = api.ok("post", "/api/v1/accounting/price-policies", 201, json={"code": "CS01", "name": "Giá đại lý", "product_group_codes": ["NH01", "NH02"], "items": [{"product_code": "HH01", "price": "9000"}]})
    api.drain()
    conn = connect(api)
    for step in (1, 2):
        assert run_step(api, conn["id"], step)["state"] == "succeeded"
    return {"id": made["id"], "data": str(tmp_path / "data"), "api": api}


def test_CON_9_price_policies_pushed_from_the_cli_show_each_parts_outcome(policy):
    result = cli("sync", "push", "--kind", "price-policies", "--from", "accounting", "--all", "--token", ADMIN, "--data", policy["data"], "--lang", "en")
    assert result.exit_code == 0, result.output
    assert table_rows(result.stdout) == [
        [str(policy["id"]), "CS01", "created", "Price policy CS01 was created in CRM for product group NH01."],
        [str(policy["id"]), "CS01", "created", "Price policy CS01 was created in CRM for product group NH02."],
    ]
    assert result.stdout.splitlines()[-1] == "created 2, updated 0, linked 0, unchanged 0, skipped 0, failed 0"
    codes = sorted(p["code"] for p in policy["api"].ok("get", "/api/v1/crm/price-policies")["items"])
    assert codes == ["CS01.NH01", "CS01.NH02"]


def test_PRC_1_price_policies_from_crm_are_refused_by_the_cli_naming_from(policy):
    result = cli("sync", "push", "--kind", "price-policies", "--from", "crm", "--all", "--token", ADMIN, "--data", policy["data"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("from: Chính sách giá không đồng bộ từ CRM sang Kế toán (quy tắc PRC-1: ")
    assert policy["api"].ok("get", "/api/v1/crm/price-policies")["items"] == []
