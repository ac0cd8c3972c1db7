"""Product import (Nhập khẩu hàng hóa) in accounting and CRM (issue 8): the rows as people
fill them in, the modes, bad rows named by row and column, the API and the CLI with a
progress bar. How an import checks and writes is the kernel's, tested with customers."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from lienthong.accounting.product_import import import_products
from lienthong.accounting.tables import Base, Outbox, Product, ProductGroup
from lienthong.cli import app
from lienthong.kernel.auth import Principal
from lienthong.kernel.db import open_database
from lienthong.kernel.problems import Forbidden, ValidationProblem
from lienthong.kernel.unit_of_work import UnitOfWork
from tests.conftest import ADMIN, PG_URL

ACC = Principal(tenant_id="t1", user_id=1, user_code="acc", role="accountant")
HEADERS = ["Mã hàng hóa", "Tên hàng hóa", "Nhóm hàng hóa", "Đơn vị tính", "Đơn giá", "Thuế suất GTGT", "Tính chất"]


@pytest.fixture
def db(tmp_path):
    db = open_database("accounting", Base, data_dir=tmp_path)
    db.create_all()
    with UnitOfWork(db) as uow:
        uow.session.add_all([ProductGroup(tenant_id="t1", code="NH01", name="Đồ uống"), ProductGroup(tenant_id="t2", code="NH09", name="Other tenant's")])
        uow.commit()
    yield db
    db.dispose()


def xlsx(headers, rows, titles=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for title in titles:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def products(db) -> dict[str, Product]:
    with db.sessions() as s:
        return {p.code: p for p in s.scalars(select(Product))}


def events(db) -> list[tuple[str, str]]:
    with db.sessions() as s:
        return [(e.type, e.record_code) for e in s.scalars(select(Outbox).order_by(Outbox.id))]


def rejected(db, data, mode="upsert") -> list[tuple[str, str]]:
    with pytest.raises(ValidationProblem) as caught:
        import_products(db=db, principal=ACC, data=data, mode=mode)
    return [(e.field, e.render()["message"]) for e in caught.value.errors]


def test_PRD_1_products_are_imported_as_people_fill_the_sheet_each_with_its_event(db):
    data = xlsx(HEADERS, [
        ["HH01", "Cà phê sữa", "nh01", "Ly", 25000, "10%", "Hàng hóa"],
        ["HH02", "Giao hàng", None, "Lần", 12.5, "Không chịu thuế", "Dịch vụ"],
        ["HH03", "Bánh", "NH01", "Cái", "15000.75", 8, "goods"],
        ["HH04", "Nước", "NH01", "Chai", 0.1, "không kê khai thuế", None],
    ], titles=["DANH MỤC HÀNG HÓA", "Ngày 01/01/2026"])
    result = import_products(db=db, principal=ACC, data=data, mode="upsert")
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    got = {code: (p.group_id is not None, p.unit, str(p.unit_price), p.vat_rate, p.kind) for code, p in products(db).items()}
    assert got == {
        "HH01": (True, "Ly", "25000", "10", "goods"),
        "HH02": (False, "Lần", "12.5", "exempt", "service"),
        "HH03": (True, "Cái", "15000.75", "8", "goods"),
        "HH04": (True, "Chai", "0.1", "not_declared", "goods"),
    }
    assert events(db) == [("ProductCreated", f"HH0{n}") for n in (1, 2, 3, 4)]


def test_a_rate_cell_formatted_as_a_percentage_reads_as_its_rate(db):
    import_products(db=db, principal=ACC, data=xlsx(HEADERS[:2] + ["Thuế suất GTGT"], [["HH01", "Cà phê", 0.05], ["HH02", "Trà", 0.08]]))
    assert [p.vat_rate for p in products(db).values()] == ["5", "8"]


def test_update_mode_refuses_a_code_of_no_product(db):
    assert rejected(db, xlsx(["Mã hàng hóa", "Đơn giá"], [["HH09", "1"]]), mode="update") == [
        ("rows[2].code", "Dòng 2: Mã hàng hóa: Không có hàng hóa mã HH09 để cập nhật.")
    ]


def test_update_mode_changes_only_the_cells_given(db):
    import_products(db=db, principal=ACC, data=xlsx(HEADERS, [["HH01", "Cà phê", "NH01", "Ly", 25000, "10", "Hàng hóa"]]))
    result = import_products(db=db, principal=ACC, data=xlsx(["Mã hàng hóa", "Đơn giá", "Đơn vị tính"], [["hh01", 26000, None]]), mode="update")
    assert (result.created, result.updated) == (0, 1)
    product = products(db)["HH01"]
    assert (str(product.unit_price), product.unit, product.vat_rate) == ("26000", "Ly", "10")
    assert events(db) == [("ProductCreated", "HH01"), ("ProductUpdated", "HH01")]


def test_importing_the_same_file_again_changes_nothing(db):
    data = xlsx(HEADERS, [["HH01", "Cà phê", "NH01", "Ly", 25000, "10", "Hàng hóa"]])
    import_products(db=db, principal=ACC, data=data)
    result = import_products(db=db, principal=ACC, data=data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert len(events(db)) == 1


def test_insert_mode_refuses_a_code_that_exists(db):
    import_products(db=db, principal=ACC, data=xlsx(HEADERS[:2], [["HH01", "Cà phê"]]))
    assert rejected(db, xlsx(HEADERS[:2], [["HH01", "Cà phê"]]), mode="insert") == [
        ("rows[2].code", "Dòng 2: Mã hàng hóa: Hàng hóa mã HH01 đã tồn tại (kiểu nhập khẩu Thêm mới).")
    ]


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(db):
    data = xlsx(HEADERS, [
        ["HH01", "Tốt", "NH01", "Ly", 1000, "10", "Hàng hóa"],
        ["HH02", "Nhóm lạ", "NH09", "Ly", 1000, "10", "Hàng hóa"],
        ["HH03", "Giá âm", None, "Ly", -5, "10", "Hàng hóa"],
        ["HH04", "Thuế lạ", None, "Ly", 1000, "7%", "Hàng hóa"],
        ["HH05", "Loại lạ", None, "Ly", 1000, "10", "Đồ chơi"],
    ])
    errors = rejected(db, data)
    assert [field for field, _ in errors] == ["rows[3].group_code", "rows[4].unit_price", "rows[5].vat_rate", "rows[6].kind"]
    assert errors[0][1] == "Dòng 3: Nhóm hàng hóa: Không có nhóm hàng hóa với mã NH09."
    assert errors[2][1] == "Dòng 5: Thuế suất GTGT: Giá trị phải là một trong: 0, 5, 8, 10, exempt, not_declared."
    assert products(db) == {}
    assert events(db) == []


def test_a_sales_user_cannot_import_accounting_products(db):
    sales = Principal(tenant_id="t1", user_id=2, user_code="minh", role="sales")
    with pytest.raises(Forbidden):
        import_products(db=db, principal=sales, data=xlsx(HEADERS[:2], [["HH01", "Cà phê"]]))
    assert products(db) == {}


@pytest.mark.parametrize("app_name", ["accounting", "crm"])
def test_products_are_imported_over_the_api_in_either_app(api, app_name):
    api.ok("post", f"/api/v1/{app_name}/product-groups", 201, json={"code": "NH01", "name": "Đồ uống"})
    data = xlsx(HEADERS, [["HH01", "Cà phê", "NH01", "Ly", 25000, "8%", "Hàng hóa"]])
    result = api.ok("post", f"/api/v1/{app_name}/products/import", files={"file": ("hang-hoa.xlsx", data)}, params={"mode": "insert"})
    assert (result["mode"], result["created"]) == ("insert", 1)
    product = api.one(f"/api/v1/{app_name}/products", "HH01")
    assert (product["group_code"], product["unit_price"], product["vat_rate"]) == ("NH01", "25000", "8")


def test_a_bad_product_row_is_named_in_english_on_request(api):
    data = xlsx(HEADERS[:2] + ["Đơn giá"], [["HH01", "Cà phê", "abc"]])
    r = api.as_(api.token, lang="en").post("/api/v1/crm/products/import", files={"file": ("x.xlsx", data)})
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"].startswith("Row 2: Unit price: An amount is a decimal string")


@pytest.mark.skipif(bool(PG_URL), reason="the CLI opens the data folder's SQLite files")
@pytest.mark.parametrize("app_name", ["accounting", "crm"])
def test_products_import_from_the_cli_with_a_progress_bar(suite, tmp_path, client, app_name):
    path = tmp_path / "hang-hoa.xlsx"
    path.write_bytes(xlsx(HEADERS[:2] + ["Đơn giá"], [[f"HH{i:04d}", f"Hàng {i}", 1000 + i] for i in range(1500)]))
    result = CliRunner().invoke(app, ["import", "products", str(path), "--token", ADMIN, "--app", app_name, "--data", str(tmp_path / "data")], env={"COLUMNS": "200", "LIENTHONG_LANG": "vi"})
    assert result.exit_code == 0, result.output
    assert "1500/1500" in result.output
    assert result.output.strip().splitlines()[-1] == "Đã nhập: tạo mới 1500, cập nhật 0, không đổi 0."
    got = client.get(f"/api/v1/{app_name}/products", params={"code": "HH1499"}, headers={"Authorization": f"Bearer {ADMIN}"}).json()
    assert [p["unit_price"] for p in got["items"]] == ["2499"]


@pytest.mark.skipif(bool(PG_URL), reason="the CLI opens the data folder's SQLite files")
def test_the_cli_refuses_an_app_without_products(suite, tmp_path):
    path = tmp_path / "hang-hoa.xlsx"
    path.write_bytes(xlsx(HEADERS[:2], [["HH01", "Cà phê"]]))
    result = CliRunner().invoke(app, ["import", "products", str(path), "--token", ADMIN, "--app", "process", "--data", str(tmp_path / "data")], env={"LIENTHONG_LANG": "en"})
    assert result.exit_code == 2
    assert "The app must be one of: accounting, crm." in result.output
