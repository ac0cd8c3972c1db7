"""The command line: a first-sync step with its progress bar and summary; another tenant;
the rulebook; the connector's status; every line in the language asked for; refusals
with a clear message and exit code."""

from __future__ import annotations

import unicodedata

import pytest
from typer.testing import CliRunner

from lienthong.cli import app
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync.connections import ConnectionCreate, connect
from tests.conftest import ADMIN, PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI opens the data folder's SQLite files")

WIDE = {"COLUMNS": "200"}


def cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env={**WIDE, "LIENTHONG_LANG": "vi", **(env or {})})


@pytest.fixture
def connection(suite) -> int:
    admin = suite.authenticate(ADMIN)
    with UnitOfWork(suite.connector.db) as uow:
        return connect(uow=uow, principal=admin, data=ConnectionCreate(apps=["accounting", "crm"])).id


def test_CON_3_a_step_runs_from_the_cli_with_its_summary(connection, tmp_path):
    data = str(tmp_path / "data")
    result = cli("sync", "step", str(connection), "2", "--token", ADMIN, "--data", data)
    assert result.exit_code == 1
    assert result.stderr.strip() == "Phải chạy xong bước 1 trước khi chạy bước 2 (CON-4: đồng bộ nhân viên trước khi đồng bộ danh mục)."
    result = cli("sync", "step", str(connection), "1", "--token", ADMIN, "--data", data)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Thành công: tạo mới 2, liên kết 0, cập nhật 0, không đổi 0, bỏ qua 0, lỗi 0"
    assert result.stdout.startswith("Bước 1 ")


def test_a_step_speaks_english_with_lang_en(connection, tmp_path):
    result = cli("sync", "step", str(connection), "1", "--token", ADMIN, "--data", str(tmp_path / "data"), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Succeeded: created 2, linked 0, updated 0, unchanged 0, skipped 0, failed 0"
    assert result.stdout.startswith("Step 1 ")


def test_LIENTHONG_LANG_chooses_english(connection, tmp_path):
    result = cli("sync", "step", str(connection), "1", "--token", ADMIN, "--data", str(tmp_path / "data"), env={"LIENTHONG_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Succeeded: created 2, linked 0, updated 0, unchanged 0, skipped 0, failed 0"


def test_a_step_on_a_folder_without_an_installation_refuses_and_creates_nothing(tmp_path):
    empty = tmp_path / "nothing-here"
    result = cli("sync", "step", "1", "1", "--token", ADMIN, "--data", str(empty))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Không có bản cài đặt nào ở {empty}. Hãy chạy `lienthong serve --data {empty}` trước."
    assert not empty.exists()


def test_a_new_tenant_from_the_cli_gets_its_own_admin_token(suite, tmp_path, client):
    result = cli("tenants", "create", "Công ty B", "--data", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    label, token = result.stdout.splitlines()[-2:]
    me = client.get("/api/v1/system/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "admin"
    assert me["tenant_id"] != suite.authenticate(ADMIN).tenant_id
    assert label.endswith("(Công ty B). Mã truy cập của quản trị viên (chỉ hiện một lần):")


def test_the_token_is_printed_whole_on_its_own_line_on_a_narrow_terminal(suite, tmp_path, client):
    result = cli("tenants", "create", "Công ty hẹp", "--data", str(tmp_path / "data"), env={"COLUMNS": "20"})
    assert result.exit_code == 0, result.output
    token = result.stdout.splitlines()[-1]
    assert client.get("/api/v1/system/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_tenant_name_is_refused(suite, tmp_path, name):
    result = cli("tenants", "create", name, "--data", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Tên công ty không được để trống."


@pytest.mark.parametrize("again", ["Công ty B", " công ty b ", unicodedata.normalize("NFD", "CÔNG TY B")])
def test_a_duplicate_tenant_name_is_refused_trimmed_nfc_and_case_insensitively(suite, tmp_path, again):
    assert cli("tenants", "create", "Công ty B", "--data", str(tmp_path / "data")).exit_code == 0
    result = cli("tenants", "create", again, "--data", str(tmp_path / "data"), "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"A company named {unicodedata.normalize('NFC', again).strip()} already exists."


def test_tenants_create_without_an_installation_refuses_and_creates_nothing(tmp_path):
    empty = tmp_path / "nothing-here"
    result = cli("tenants", "create", "Công ty B", "--data", str(empty), "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"There is no installation in {empty}. Run `lienthong serve --data {empty}` first."
    assert not empty.exists()


def test_rules_of_an_unknown_family_are_refused_with_the_families():
    result = cli("rules", "XYZ")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Không có nhóm quy tắc XYZ. Các nhóm: CGR, CON, CUS, CUS-OWN, EMP, ENG, PGR, PRC, PRD, SYS."


def test_an_unknown_language_is_refused_with_the_languages():
    result = cli("rules", "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Ngôn ngữ phải là một trong: vi, en."


def test_rules_header_is_wholly_in_the_language_asked_for():
    vi = cli("rules", "CON").stdout.splitlines()
    en = cli("rules", "CON", "--lang", "en").stdout.splitlines()
    assert vi[0].strip() == "Bộ quy tắc lienthong"
    assert [c.strip() for c in vi[2].strip("┃").split("┃")] == ["Mã quy tắc", "Từ → đến", "Sự kiện", "Quy tắc"]
    assert en[0].strip() == "lienthong rulebook"
    assert [c.strip() for c in en[2].strip("┃").split("┃")] == ["Rule", "From → to", "Events", "Rule text"]


def test_sync_status_prints_the_tenants_connector_status(suite, tmp_path, api):
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    pending = api.ok("get", "/api/v1/sync/status")["pending"]
    result = cli("sync", "status", "--token", ADMIN, "--data", str(tmp_path / "data"), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Pending: {pending}",
        "Parked: 0",
        "Held behind a parked change: 0",
        "System: reachable",
        "Accounting: reachable",
        "CRM: reachable",
        "Process: reachable",
    ]


def test_sync_status_with_a_bad_token_says_so(suite, tmp_path):
    result = cli("sync", "status", "--token", "nope", "--data", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Thiếu mã truy cập hoặc mã truy cập không hợp lệ."


def test_serve_refuses_an_unknown_app_in_the_language_asked_for(tmp_path):
    result = cli("serve", "--only", "crm,foo", "--data", str(tmp_path / "data"), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.strip() == "There is no app foo. Apps: system, accounting, crm, process, sync."
    assert not (tmp_path / "data").exists()


def test_serve_refuses_a_peer_without_a_url(tmp_path):
    result = cli("serve", "--peer", "crm", "--data", str(tmp_path / "data"))
    assert result.exit_code == 2
    assert result.stderr.strip() == "--peer cần dạng APP=URL, không phải crm."


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
    result = cli("import", "customers", str(path), "--token", ADMIN, "--data", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output
    assert "Ghi" in result.output
    assert "1500/1500" in result.output
    assert result.output.strip().splitlines()[-1] == "Đã nhập: tạo mới 1500, cập nhật 0, không đổi 0."
    got = client.get("/api/v1/accounting/customers", params={"code": "KH1499"}, headers={"Authorization": f"Bearer {ADMIN}"}).json()
    assert [c["name"] for c in got["items"]] == ["Khách 1499"]


def test_a_rejected_cli_import_names_each_bad_row_in_english(suite, tmp_path):
    path = tmp_path / "kh.xlsx"
    _workbook(path, [["KH0001", "An", 101234567]])
    result = cli("import", "customers", str(path), "--token", ADMIN, "--data", str(tmp_path / "data"), "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1].strip() == "Row 2: Tax code: The cell is a number: Excel dropped the leading zero (101234567); format the column as text and enter it again."


def test_the_cli_import_refuses_a_folder_without_an_installation(tmp_path):
    path = tmp_path / "kh.xlsx"
    _workbook(path, [["KH0001", "An", None]])
    result = cli("import", "customers", str(path), "--token", ADMIN, "--data", str(tmp_path / "nothing"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Không có bản cài đặt nào ở {tmp_path / 'nothing'}. Hãy chạy `lienthong serve --data {tmp_path / 'nothing'}` trước."
    assert not (tmp_path / "nothing").exists()
