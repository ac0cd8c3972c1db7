"""``lienthong import crm-customers`` (issue 9): the CRM import with its progress bar, the
title rows of an export left in place (CUS-X3), the owner from the file or one user."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from tests.conftest import ADMIN, PG_URL, Api
from tests.integration.test_cli import cli

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI opens the data folder's SQLite files")


def _export_like(path, rows) -> None:
    book = Workbook()
    book.active.append(["DANH SÁCH KHÁCH HÀNG"])
    book.active.append(["Ngày xuất: 23/11/2026"])
    book.active.append(["Mã khách hàng", "Tên khách hàng", "Chủ sở hữu"])
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_crm_customers_import_from_the_cli_shows_progress_and_gives_the_owner(suite, tmp_path, client):
    api = Api(client)
    api.ok("post", "/api/v1/system/users", 201, json={"code": "hoa", "name": "Hoa", "role": "sales"})
    api.drain()
    path = tmp_path / "kh.xlsx"
    _export_like(path, [[f"KH{i:04d}", f"Khách {i}", None] for i in range(1200)])
    result = cli("import", "crm-customers", str(path), "--token", ADMIN, "--owner-from", "user", "--owner-code", "hoa", "--data", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    assert "1200/1200" in result.output
    assert result.output.strip().splitlines()[-1] == "Đã nhập: tạo mới 1200, cập nhật 0, không đổi 0."
    assert api.one("/api/v1/crm/customers", "KH1199")["owner_code"] == "hoa"


def test_a_rejected_cli_crm_import_names_the_bad_row_and_changes_nothing(suite, tmp_path, client):
    path = tmp_path / "kh.xlsx"
    _export_like(path, [["KH0001", "An", "khong-co"]])
    result = cli("import", "crm-customers", str(path), "--token", ADMIN, "--data", str(tmp_path / "data"), "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1].strip() == "Row 4: Owner: There is no user with the code khong-co."
    assert Api(client).ok("get", "/api/v1/crm/customers")["items"] == []
