"""Accounting customer import (Nhập khẩu): CUS-A1, CUS-A3, ENG-7; the Excel reading that CRM's own import (a later issue) will share."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from lienthong.accounting.customer_import import import_customers
from lienthong.accounting.tables import Base, Customer, CustomerGroup, Employee, Outbox
from lienthong.kernel import i18n
from lienthong.kernel.auth import Principal
from lienthong.kernel.db import open_database
from lienthong.kernel.excel import read_table, write_table
from lienthong.kernel.problems import Forbidden, ValidationProblem
from lienthong.kernel.unit_of_work import UnitOfWork

ACC = Principal(tenant_id="t1", user_id=1, user_code="acc", role="accountant")
HEADERS = ["Mã khách hàng", "Tên khách hàng", "Mã số thuế", "Địa chỉ", "Điện thoại", "Email",
           "Nhóm khách hàng", "Nhân viên bán hàng", "Khách hàng cá nhân"]


@pytest.fixture
def db(tmp_path):
    db = open_database("accounting", Base, data_dir=tmp_path)
    db.create_all()
    with UnitOfWork(db) as uow:
        uow.session.add_all([
            CustomerGroup(tenant_id="t1", code="VIP", name="Khách VIP"),
            CustomerGroup(tenant_id="t2", code="OTHER", name="Other tenant's group"),
            Employee(tenant_id="t1", code="NV01", name="Nguyễn Văn A"),
        ])
        uow.commit()
    yield db
    db.dispose()


def xlsx(headers, rows, titles=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for title in titles:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def run(db, data, mode="upsert", principal=ACC):
    with UnitOfWork(db) as uow:
        return import_customers(uow=uow, principal=principal, data=data, mode=mode)


def customers(db) -> dict[str, Customer]:
    with db.sessions() as s:
        return {c.code: c for c in s.scalars(select(Customer))}


def events(db) -> list[Outbox]:
    with db.sessions() as s:
        return list(s.scalars(select(Outbox).order_by(Outbox.id)))


def rejected(db, data, mode="upsert") -> ValidationProblem:
    with pytest.raises(ValidationProblem) as caught:
        run(db, data, mode)
    assert caught.value.status == 422
    return caught.value


def seed(db, **values):
    with UnitOfWork(db) as uow:
        uow.session.add(Customer(tenant_id="t1", **values))
        uow.commit()


def test_CUS_A1_import_creates_each_new_customer_with_its_event(db):
    """CUS-A1."""
    data = xlsx(HEADERS, [
        ["KH001", "Công ty An Phát", "0101234567", "Hà Nội", 84901234567.0, "ap@example.vn", "VIP", "NV01", "Không"],
        ["KH002", "Trần Thị B", None, None, None, None, None, None, "x"],
    ])
    result = run(db, data, mode="insert")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    rows = customers(db)
    assert rows["KH001"].phone == "84901234567"
    assert rows["KH001"].group.code == "VIP" and rows["KH001"].salesperson.code == "NV01"
    assert rows["KH001"].is_individual is False and rows["KH002"].is_individual is True
    outbox = events(db)
    assert [(e.type, e.record_code) for e in outbox] == [("CustomerCreated", "KH001"), ("CustomerCreated", "KH002")]
    assert outbox[0].data["group_code"] == "VIP" and outbox[0].data["salesperson_code"] == "NV01"


def test_import_finds_the_header_row_below_title_rows(db):
    data = xlsx(
        ["  mã   KHÁCH hàng ", "name", "Ghi chú nội bộ"],
        [["KH001", "An Phát", "ignored"], [None, None, None], ["KH002", "Bình Minh", None]],
        titles=["DANH SÁCH KHÁCH HÀNG", "Ngày 01/01/2025"],
    )
    rows, unknown = read_table(data, {"code": ("Mã khách hàng", "code"), "name": ("Tên khách hàng", "name")}, ("code", "name"))
    assert rows == [(4, {"code": "KH001", "name": "An Phát"}), (6, {"code": "KH002", "name": "Bình Minh"})]
    assert unknown == ["Ghi chú nội bộ"]
    result = run(db, data)
    assert result.created == 2 and result.ignored_columns == ["Ghi chú nội bộ"]


def test_import_headers_are_accent_sensitive(db):
    problem = rejected(db, xlsx(["Ma khach hang", "Ten khach hang"], [["KH001", "An"]]))
    assert problem.key == "import.no_header"
    assert [e.field for e in problem.errors] == ["file"]
    assert "Mã khách hàng, Tên khách hàng" in problem.to_dict()["errors"][0]["message"]


def test_CUS_A3_update_mode_changes_only_given_columns(db):
    """CUS-A3."""
    seed(db, code="KH001", name="An Phát", tax_code="0101", address="Hà Nội", phone="0901")
    seed(db, code="KH002", name="Bình Minh", address="Huế")
    data = xlsx(["Mã khách hàng", "Tên khách hàng", "Địa chỉ", "Nhóm khách hàng"],
                [["KH001", None, "Đà Nẵng", "VIP"], ["KH002", "Bình Minh", "Huế", None]])
    result = run(db, data, mode="update")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    kh1 = customers(db)["KH001"]
    assert (kh1.name, kh1.address, kh1.tax_code, kh1.phone, kh1.group.code) == ("An Phát", "Đà Nẵng", "0101", "0901", "VIP")
    outbox = events(db)
    assert [(e.type, e.record_code) for e in outbox] == [("CustomerUpdated", "KH001")]
    assert outbox[0].changed == {"address": "Hà Nội", "group_id": None, "group_code": None, "group": None}


def test_CUS_A3_update_mode_refuses_unknown_code_and_insert_mode_existing_code(db):
    """CUS-A3."""
    seed(db, code="KH001", name="An Phát")
    problem = rejected(db, xlsx(["Mã khách hàng", "Tên khách hàng"], [["KH404", "X"]]), mode="update")
    assert [e.field for e in problem.errors] == ["rows[2].code"]
    problem = rejected(db, xlsx(["Mã khách hàng", "Tên khách hàng"], [["KH001", "X"]]), mode="insert")
    assert [e.render()["code"] for e in problem.errors] == ["exists"]
    assert events(db) == []


def test_CUS_A1_A3_upsert_creates_new_and_updates_existing(db):
    """CUS-A1."""
    seed(db, code="KH001", name="An Phát", address="Hà Nội", is_individual=True)
    data = xlsx(["Mã khách hàng", "Tên khách hàng", "Địa chỉ"], [["KH001", "An Phát JSC", None], ["KH002", "Bình Minh", "Huế"]])
    result = run(db, data)
    assert (result.mode, result.created, result.updated, result.unchanged) == ("upsert", 1, 1, 0)
    rows = customers(db)
    # in upsert a blank cell clears the value; a column absent from the file is kept
    assert (rows["KH001"].name, rows["KH001"].address, rows["KH001"].is_individual) == ("An Phát JSC", None, True)
    assert rows["KH002"].address == "Huế"
    assert [e.type for e in events(db)] == ["CustomerUpdated", "CustomerCreated"]


def test_ENG_7_bad_row_rejects_whole_file(db):
    """ENG-7."""
    data = xlsx(HEADERS, [
        ["KH001", "An Phát", "0101234567", None, None, None, "VIP", "NV01", None],
        ["KH002", "Bình Minh", "01AB", None, None, None, None, None, None],
        ["KH003", "Cửu Long", None, None, None, None, None, "NV99", None],
        ["KH001", "An Phát lặp", None, None, None, None, None, None, None],
        ["KH005", None, None, None, None, "not-an-email", "OTHER", None, "maybe"],
    ], titles=["DANH SÁCH KHÁCH HÀNG", ""])
    problem = rejected(db, data)
    body = problem.to_dict()
    assert body["status"] == 422 and body["detail"] == "Tệp có 4 dòng lỗi; không dòng nào được nhập."
    fields = [e["field"] for e in body["errors"]]
    assert fields == [
        "rows[5].tax_code",
        "rows[6].salesperson_code",
        "rows[7].code",
        "rows[8].is_individual",
        "rows[8].name",
        "rows[8].email",
        "rows[8].group_code",
    ]
    messages = [e["message"] for e in body["errors"]]
    assert messages[0].startswith("Dòng 5: Mã số thuế:")
    assert messages[1] == "Dòng 6: Nhân viên bán hàng: Không có nhân viên với mã NV99."
    assert "dòng 4" in messages[2]
    assert [r.row for r in problem.rows] == [5, 6, 7, 8, 8, 8, 8]
    assert customers(db) == {} and events(db) == []


def test_ENG_7_non_excel_file_names_file(db):
    """ENG-7."""
    problem = rejected(db, b"not excel")
    assert problem.key == "import.bad_file"
    assert [e["field"] for e in problem.to_dict()["errors"]] == ["file"]


def test_ENG_7_unknown_mode_names_mode(db):
    """ENG-7."""
    problem = rejected(db, xlsx(["Mã khách hàng", "Tên khách hàng"], [["KH001", "An"]]), mode="foo")
    assert [e.field for e in problem.errors] == ["mode"]
    assert customers(db) == {}


def test_CUS_A1_only_accountants_import(db):
    """CUS-A1."""
    sales = Principal(tenant_id="t1", user_id=2, user_code="nv", role="sales")
    with pytest.raises(Forbidden) as caught:
        run(db, xlsx(["Mã khách hàng", "Tên khách hàng"], [["KH001", "An"]]), principal=sales)
    assert caught.value.status == 403
    admin = Principal(tenant_id="t1", user_id=3, user_code="ad", role="admin")
    assert run(db, xlsx(["Mã khách hàng", "Tên khách hàng"], [["KH001", "An"]]), principal=admin).created == 1


def test_ENG_7_import_errors_read_in_english(db):
    """ENG-7."""
    i18n.set_language("en")
    try:
        problem = rejected(db, xlsx(["code", "name", "tax_code"], [["KH001", "An", "12AB"]]))
        body = problem.to_dict()
    finally:
        i18n.set_language("vi")
    assert body["detail"] == "The file has 1 bad rows; nothing was imported."
    assert body["errors"][0]["message"].startswith("Row 2: Mã số thuế: A tax code is 10 digits")


def test_a_written_table_reads_back_with_its_titles(db):
    data = write_table(["DANH SÁCH KHÁCH HÀNG", "Ngày 01/01/2025"], HEADERS[:3], [["KH001", "An Phát", "0101234567"]])
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert sheet["A1"].font.bold and sheet["A3"].font.bold and not sheet["A4"].font.bold
    assert run(db, data, mode="insert").created == 1
    assert customers(db)["KH001"].tax_code == "0101234567"
