"""The command line: a first-sync step with its progress bar and summary; another tenant."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from lienthong.cli import app
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync.connections import ConnectionCreate, connect
from tests.conftest import ADMIN, PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI opens the data folder's SQLite files")


def test_CON_3_a_step_runs_from_the_cli_with_its_summary(suite, tmp_path):
    admin = suite.authenticate(ADMIN)
    with UnitOfWork(suite.connector.db) as uow:
        conn = connect(uow=uow, principal=admin, data=ConnectionCreate(apps=["accounting", "crm"]))
    data = str(tmp_path / "data")
    runner = CliRunner()
    result = runner.invoke(app, ["sync", "step", str(conn.id), "2", "--token", ADMIN, "--data", data], env={"COLUMNS": "200"})
    assert result.exit_code == 1 and "Phải chạy xong bước 1" in result.output  # CON-4, said plainly
    result = runner.invoke(app, ["sync", "step", str(conn.id), "1", "--token", ADMIN, "--data", data], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output and "Bước 1" in result.output


def test_a_new_tenant_from_the_cli_gets_its_own_admin_token(suite, tmp_path, client):
    result = CliRunner().invoke(app, ["tenants", "create", "Công ty B", "--data", str(tmp_path / "data")], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    token = result.output.strip().split()[-1]
    me = client.get("/api/v1/system/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "admin" and me["tenant_id"] != suite.authenticate(ADMIN).tenant_id
    assert os.path.exists(tmp_path / "data" / "system.sqlite3")


def _workbook(path, rows) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã khách hàng", "Tên khách hàng", "Mã số thuế"])
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_customers_import_from_the_cli_shows_progress_and_a_summary(suite, tmp_path, client):
    path = tmp_path / "kh.xlsx"
    _workbook(path, [[f"KH{i:04d}", f"Khách {i}", None] for i in range(1500)])
    result = CliRunner().invoke(app, ["import", "customers", str(path), "--token", ADMIN, "--data", str(tmp_path / "data")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Ghi" in result.output
    assert "1500/1500" in result.output
    assert result.output.strip().splitlines()[-1] == "Đã nhập: tạo mới 1500, cập nhật 0, không đổi 0."
    got = client.get("/api/v1/accounting/customers", params={"code": "KH1499"}, headers={"Authorization": f"Bearer {ADMIN}"}).json()
    assert [c["name"] for c in got["items"]] == ["Khách 1499"]


def test_a_rejected_cli_import_names_each_bad_row_in_english(suite, tmp_path):
    path = tmp_path / "kh.xlsx"
    _workbook(path, [["KH0001", "An", 101234567]])
    result = CliRunner().invoke(app, ["import", "customers", str(path), "--token", ADMIN, "--data", str(tmp_path / "data"), "--lang", "en"], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "Row 2: Mã số thuế: The cell is a number: Excel dropped the leading zero (101234567)" in result.output


def test_the_cli_import_refuses_a_folder_without_an_installation(tmp_path):
    path = tmp_path / "kh.xlsx"
    _workbook(path, [["KH0001", "An", None]])
    result = CliRunner().invoke(app, ["import", "customers", str(path), "--token", ADMIN, "--data", str(tmp_path / "nothing")], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "Không có cài đặt lienthong nào trong" in result.output
    assert not (tmp_path / "nothing").exists()
