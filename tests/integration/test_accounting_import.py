"""Accounting customer import (Nhập khẩu): CUS-A1, CUS-A3, ENG-7; the Excel reading that CRM's own import (a later issue) will share."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import event, select

from lienthong.accounting.customer_import import import_customers
from lienthong.accounting.tables import Base, Customer, CustomerGroup, Employee, Outbox
from lienthong.kernel import i18n
from lienthong.kernel.auth import Principal
from lienthong.kernel.db import open_database
from lienthong.kernel.excel import read_table, write_table
from lienthong.kernel.problems import Conflict, Forbidden, ValidationProblem
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
    return import_customers(db=db, principal=principal, data=data, mode=mode)


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
    assert rows["KH001"].group.code == "VIP"
    assert rows["KH001"].salesperson.code == "NV01"
    assert rows["KH001"].is_individual is False
    assert rows["KH002"].is_individual is True
    outbox = events(db)
    assert [(e.type, e.record_code) for e in outbox] == [("CustomerCreated", "KH001"), ("CustomerCreated", "KH002")]
    assert outbox[0].data["group_code"] == "VIP"
    assert outbox[0].data["salesperson_code"] == "NV01"


def test_import_finds_the_header_row_below_title_rows(db):
    data = xlsx(
        ["  mã   KHÁCH hàng ", "name", "Ghi chú nội bộ"],
        [["KH001", "An Phát", "ignored"], [None, None, None], ["KH002", "Bình Minh", None]],
        titles=["DANH SÁCH KHÁCH HÀNG", "Ngày 01/01/2025"],
    )
    rows, unknown = read_table(data, {"code": ("Mã khách hàng", "code"), "name": ("Tên khách hàng", "name")}, ("code", "name"))
    assert list(rows) == [(4, {"code": "KH001", "name": "An Phát"}), (6, {"code": "KH002", "name": "Bình Minh"})]
    assert unknown == ["Ghi chú nội bộ"]
    result = run(db, data)
    assert result.created == 2
    assert result.ignored_columns == ["Ghi chú nội bộ"]


def test_import_headers_are_accent_sensitive(db):
    problem = rejected(db, xlsx(["Ma khach hang", "Ten khach hang"], [["KH001", "An"]]))
    assert problem.key == "import.no_header"
    assert [e.field for e in problem.errors] == ["file"]
    assert problem.to_dict()["errors"][0]["message"] == "Không tìm thấy dòng tiêu đề (cần cột Mã khách hàng, Tên khách hàng)."


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
    assert body["status"] == 422
    assert body["detail"] == "Tệp có 4 dòng lỗi; không dòng nào được nhập."
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
    assert [e["message"] for e in body["errors"]] == [
        "Dòng 5: Mã số thuế: Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số của chi nhánh (0101234567-001), hoặc 12 chữ số (số định danh cá nhân).",
        "Dòng 6: Nhân viên bán hàng: Không có nhân viên với mã NV99.",
        "Dòng 7: Mã khách hàng: Mã KH001 lặp lại trong tệp (dòng 4).",
        "Dòng 8: Khách hàng cá nhân: Giá trị phải là một trong: Có, Không.",
        "Dòng 8: Tên khách hàng: Trường này là bắt buộc.",
        "Dòng 8: Email: Email không hợp lệ.",
        "Dòng 8: Nhóm khách hàng: Không có nhóm khách hàng với mã OTHER.",
    ]
    assert [r.row for r in problem.rows] == [5, 6, 7, 8, 8, 8, 8]
    assert customers(db) == {}
    assert events(db) == []


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
    assert body["errors"][0]["message"] == "Row 2: Tax code: A tax code is 10 digits, or 10 digits, '-' and 3 digits for a branch (0101234567-001), or 12 digits (a personal identification number)."


def test_a_written_table_reads_back_with_its_titles(db):
    data = write_table(["DANH SÁCH KHÁCH HÀNG", "Ngày 01/01/2025"], HEADERS[:3], [["KH001", "An Phát", "0101234567"]])
    sheet = load_workbook(BytesIO(data)).worksheets[0]
    assert sheet["A1"].font.bold and sheet["A3"].font.bold and not sheet["A4"].font.bold
    assert run(db, data, mode="insert").created == 1
    assert customers(db)["KH001"].tax_code == "0101234567"


# -- issue 6, item 20: codes, tax codes and phones are text --------------------------------
def test_a_tax_code_typed_as_a_number_that_lost_its_leading_zero_is_reported(db):
    """Before: 0101234567 typed as a number was imported silently as 101234567."""
    problem = rejected(db, xlsx(["Mã khách hàng", "Tên khách hàng", "Mã số thuế"], [["KH001", "An Phát", 101234567]]))
    assert [e.field for e in problem.errors] == ["rows[2].tax_code"]
    assert [e.render()["code"] for e in problem.errors] == ["lost_zero"]
    assert problem.errors[0].render()["message"] == (
        "Dòng 2: Mã số thuế: Ô này là số: Excel đã bỏ số 0 ở đầu (101234567); hãy định dạng cột là Văn bản (Text) rồi nhập lại."
    )
    assert customers(db) == {}


def test_a_phone_typed_as_a_number_that_lost_its_leading_zero_is_reported_in_english(db):
    i18n.set_language("en")
    try:
        problem = rejected(db, xlsx(["code", "name", "phone"], [["KH001", "An Phát", 912345678]]))
        message = problem.to_dict()["errors"][0]["message"]
    finally:
        i18n.set_language("vi")
    assert [e.field for e in problem.errors] == ["rows[2].phone"]
    assert message == "Row 2: Phone: The cell is a number: Excel dropped the leading zero (912345678); format the column as text and enter it again."


def test_numbers_in_code_and_tax_code_cells_read_as_their_digits(db):
    """A whole number is text without ``.0``: code 1234.0 is ``1234``, a 10-digit tax code is kept."""
    run(db, xlsx(["Mã khách hàng", "Tên khách hàng", "Mã số thuế"], [[1234.0, "An Phát", 3701234567]]), mode="insert")
    assert customers(db)["1234"].tax_code == "3701234567"


def test_codes_are_trimmed(db):
    run(db, xlsx(["Mã khách hàng", "Tên khách hàng"], [["  KH003 ", "An Phát"]]), mode="insert")
    assert list(customers(db)) == ["KH003"]


# -- issue 6, item 5: checked outside the write lock, written in chunks -------------------
def test_a_code_created_between_the_check_and_the_write_stops_the_import_there(db, monkeypatch):
    """Rows before the clash stay imported with their events; the clash and later rows are
    not; the answer is a 409 naming the row. (Before, the file was one transaction.)"""
    from lienthong.accounting import customer_import

    check = customer_import._check

    def check_then_someone_creates_kh002(*args):
        plans = check(*args)
        seed(db, code="KH002", name="Tạo cùng lúc")
        return plans

    monkeypatch.setattr(customer_import, "_check", check_then_someone_creates_kh002)
    data = xlsx(["Mã khách hàng", "Tên khách hàng"], [["KH001", "An"], ["KH002", "Bình"], ["KH003", "Cường"]])
    with pytest.raises(Conflict) as caught:
        run(db, data, mode="insert")
    body = caught.value.to_dict()
    assert body["status"] == 409
    assert [e["field"] for e in body["errors"]] == ["rows[3].code"]
    assert body["errors"][0]["message"] == "Dòng 3: Khách hàng mã KH002 vừa bị thay đổi bởi người khác trong lúc nhập khẩu (vừa được tạo)."
    assert body["detail"].startswith("Nhập khẩu dừng ở dòng 3: 1 dòng trước đó đã được nhập (tạo mới 1, cập nhật 0)")
    assert sorted(customers(db)) == ["KH001", "KH002"]
    assert customers(db)["KH002"].name == "Tạo cùng lúc"
    assert [(e.type, e.record_code) for e in events(db)] == [("CustomerCreated", "KH001")]


def test_a_big_file_is_written_in_several_transactions_each_row_with_its_event(db, monkeypatch):
    from lienthong.kernel import table_import

    monkeypatch.setattr(table_import, "FIRST_CHUNK", 10)
    monkeypatch.setattr(table_import, "MAX_CHUNK", 10)
    commits = []
    event.listen(db.engine, "commit", commits.append)
    rows = [[f"KH{i:03d}", f"Khách {i}"] for i in range(35)]
    assert run(db, xlsx(["Mã khách hàng", "Tên khách hàng"], rows), mode="insert").created == 35
    assert len(commits) == 4
    assert [e.record_code for e in events(db)] == [r[0] for r in rows]


def test_a_code_in_another_case_updates_the_customer_it_names(db):
    """Codes compare up to case in the import as in the form: ``kh001`` is KH001."""
    seed(db, code="KH001", name="An")
    result = run(db, xlsx(["Mã khách hàng", "Tên khách hàng"], [["kh001", "An Phát"]]), mode="upsert")
    assert (result.created, result.updated) == (0, 1)
    assert customers(db)["KH001"].name == "An Phát"
