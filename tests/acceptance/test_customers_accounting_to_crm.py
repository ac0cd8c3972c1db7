"""SPEC section 3, accounting -> CRM: customers and their owners (seeds 000, 001, 003)."""

from __future__ import annotations

ACC = "/api/v1/accounting/customers"
CRM = "/api/v1/crm/customers"


def add(api, **fields):
    return api.ok("post", ACC, 201, json={"name": f"Công ty {fields['code']}", **fields})


def test_CUS_A1_adding_a_customer_in_accounting_creates_it_in_crm(connected):
    """CUS-A1."""
    api = connected
    add(api, code="KH00001", name="Công ty An Phát", tax_code="0101234567", address="Hà Nội", phone="0901234567", email="ap@example.vn")
    api.drain()
    crm = api.one(CRM, "KH00001")
    assert crm["name"] == "Công ty An Phát"
    assert (crm["tax_code"], crm["address"], crm["phone"], crm["email"]) == ("0101234567", "Hà Nội", "0901234567", "ap@example.vn")
    [entry] = api.log(code="KH00001", rule="CUS-A1")
    assert entry["outcome"] == "applied"
    assert entry["target"] == {"app": "crm", "kind": "customers", "id": crm["id"], "code": "KH00001"}


def test_CUS_OWN_1_owner_comes_from_the_salesperson_through_EMP_2(connected):
    """CUS-OWN-1, EMP-2."""
    api = connected
    add(api, code="KH00006", salesperson_code="NV01")
    add(api, code="KH00007")
    add(api, code="KH00008", salesperson_code="NV02")  # an employee with no user
    api.drain()
    assert api.one(CRM, "KH00006")["owner_code"] == "trang"
    assert api.one(CRM, "KH00007")["owner_code"] is None
    assert api.one(CRM, "KH00008")["owner_code"] is None
    [no_user] = api.log(code="KH00008", rule="EMP-2")
    assert no_user["outcome"] == "skipped"
    assert no_user["reason"] == "Chủ sở hữu để trống: nhân viên bán hàng NV02 chưa gắn với người dùng nào trên Hệ thống."
    assert [e["outcome"] for e in api.log(code="KH00007", rule="CUS-OWN-1")] == ["applied"]


def test_CUS_OWN_2_later_salesperson_changes_never_change_the_owner(connected):
    """CUS-OWN-2."""
    api = connected
    customer = add(api, code="KH00007")
    api.drain()
    api.ok("patch", f"{ACC}/{customer['id']}", json={"salesperson_code": "NV01"})
    api.drain()
    [only_salesperson] = api.log(code="KH00007", rule="CUS-OWN-2")
    assert only_salesperson["target"]["app"] == "crm"
    assert only_salesperson["target"]["id"] == api.one(CRM, "KH00007")["id"]
    api.ok("patch", f"{ACC}/{customer['id']}", json={"salesperson_code": "NV02", "address": "Đà Nẵng"})
    api.drain()
    crm = api.one(CRM, "KH00007")
    assert crm["owner_code"] is None
    assert crm["address"] == "Đà Nẵng"
    entry = api.log(code="KH00007", rule="CUS-OWN-2")[0]  # the newest
    assert entry["outcome"] == "skipped"
    assert entry["reason"] == (
        "Nhân viên bán hàng của KH00007 đổi thành NV02 nhưng Chủ sở hữu trên CRM giữ nguyên: chủ sở hữu chỉ được đồng bộ"
        " ở lần đầu vì nó quyết định quy tắc chia sẻ trên CRM. Dùng Bàn giao công việc trên CRM để đổi."
    )
    en = api.as_(api.token, "en").log(code="KH00007", rule="CUS-OWN-2")[0]
    assert en["reason"] == (
        "The salesperson of KH00007 changed to NV02 but the CRM owner stays: the owner is only set on the first sync"
        " because it drives CRM sharing. Use handover in CRM to change it."
    )


def test_CUS_A2_a_new_customer_whose_code_crm_already_has_is_not_synced(connected):
    """CUS-A2."""
    api = connected
    api.ok("post", CRM, 201, json={"code": "KH00009", "name": "Khách CRM"})
    add(api, code="KH00009", name="Khách Kế toán")
    api.drain()
    assert api.one(CRM, "KH00009")["name"] == "Khách CRM"
    [entry] = api.log(code="KH00009", rule="CUS-A2")
    assert entry["outcome"] == "skipped"
    assert entry["reason"] == "Không đồng bộ khách hàng KH00009: CRM đã có khách hàng trùng mã."


def test_CUS_A3_editing_updates_the_linked_crm_customer(connected):
    """CUS-A3."""
    api = connected
    customer = add(api, code="KH00010", name="Tên cũ")
    api.drain()
    api.ok("patch", f"{ACC}/{customer['id']}", json={"name": "Tên mới", "phone": "0911111111"})
    api.drain()
    crm = api.one(CRM, "KH00010")
    assert (crm["name"], crm["phone"]) == ("Tên mới", "0911111111")
    assert api.log(code="KH00010", rule="CUS-A3")[0]["outcome"] == "applied"


def test_CUS_A3_renaming_the_code_follows_the_link_not_the_code(connected):
    """CUS-A3."""
    api = connected
    customer = add(api, code="KH00011")
    api.drain()
    crm_id = api.one(CRM, "KH00011")["id"]
    api.ok("patch", f"{ACC}/{customer['id']}", json={"code": "KH00011B"})
    api.drain()
    assert api.one(CRM, "KH00011B")["id"] == crm_id
    assert api.one(CRM, "KH00011") is None


def test_CUS_A4_editing_a_customer_crm_lacks_creates_it(people):
    """CUS-A4."""
    api = people
    customer = add(api, code="KH00012")  # made before the connection: skipped (CON-2)
    api.drain()
    assert api.log(code="KH00012", rule="CON-2")[0]["outcome"] == "skipped"
    from tests.conftest import connect

    connect(api)
    api.ok("patch", f"{ACC}/{customer['id']}", json={"name": "Đã sửa"})
    api.drain()
    assert api.one(CRM, "KH00012")["name"] == "Đã sửa"
    assert api.log(code="KH00012", rule="CUS-A4")[0]["outcome"] == "applied"


def test_CUS_A5_taking_an_unlinked_crm_code_links_and_updates(people):
    """CUS-A5."""
    from tests.conftest import connect

    api = people
    customer = add(api, code="KH-TMP")  # before the connection: no CRM counterpart
    api.drain()
    connect(api)
    crm = api.ok("post", CRM, 201, json={"code": "KH00013", "name": "Bản CRM"})
    api.ok("patch", f"{ACC}/{customer['id']}", json={"code": "KH00013", "name": "Bản Kế toán"})
    api.drain()
    assert api.ok("get", f"{CRM}/{crm['id']}")["name"] == "Bản Kế toán"
    assert api.log(code="KH00013", rule="CUS-A5")[0]["outcome"] == "applied"
    # linked now: a later edit updates the same CRM record
    api.ok("patch", f"{ACC}/{customer['id']}", json={"phone": "0922 000 111"})
    api.drain()
    assert api.ok("get", f"{CRM}/{crm['id']}")["phone"] == "0922 000 111"


def test_CUS_A6_deleting_in_accounting_keeps_the_crm_customer(connected):
    """CUS-A6."""
    api = connected
    customer = add(api, code="KH00014")
    api.drain()
    api.ok("delete", f"{ACC}/{customer['id']}", 204)
    api.drain()
    assert api.one(CRM, "KH00014") is not None
    assert api.log(code="KH00014", rule="CUS-A6")[0]["outcome"] == "skipped"


def test_CUS_A7_an_individual_customer_becomes_a_crm_contact(connected):
    """CUS-A7."""
    api = connected
    customer = add(api, code="KH00015", name="Nguyễn Văn A", is_individual=True, salesperson_code="NV01")
    api.drain()
    assert api.one(CRM, "KH00015") is None
    contact = api.one("/api/v1/crm/contacts", "KH00015")
    assert contact["name"] == "Nguyễn Văn A"
    assert contact["owner_code"] == "trang"
    api.ok("patch", f"{ACC}/{customer['id']}", json={"phone": "0933 000 111"})
    api.drain()
    assert api.one("/api/v1/crm/contacts", "KH00015")["phone"] == "0933 000 111"
    assert [e["outcome"] for e in api.log(code="KH00015", rule="CUS-A7")] == ["applied", "applied"]  # created, then updated


def test_CUS_A1_import_creates_and_CUS_A3_import_updates(connected):
    """CUS-A1, CUS-A3."""
    import io

    from openpyxl import Workbook

    api = connected

    def workbook(rows):
        wb = Workbook()
        ws = wb.active
        ws.append(["DANH SÁCH KHÁCH HÀNG"])
        ws.append([])
        ws.append(["Mã khách hàng", "Tên khách hàng", "Nhân viên bán hàng"])
        for row in rows:
            ws.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    result = api.ok("post", f"{ACC}/import", files={"file": ("kh.xlsx", workbook([["KH00101", "Nhập 1", "NV01"], ["KH00102", "Nhập 2", None]]), xlsx)}, data={"mode": "insert"})
    assert result["created"] == 2
    api.drain()
    assert api.one(CRM, "KH00101")["owner_code"] == "trang"
    api.ok("post", f"{ACC}/import?mode=update", files={"file": ("kh.xlsx", workbook([["KH00102", "Nhập 2 sửa", "NV01"]]), xlsx)})
    api.drain()
    crm = api.one(CRM, "KH00102")
    assert crm["name"] == "Nhập 2 sửa"
    assert crm["owner_code"] is None  # CUS-OWN-2 on import too
    assert [e["outcome"] for e in api.log(code="KH00102", rule="CUS-OWN-2")] == ["skipped"]


def test_CGR_2_a_customer_brings_its_group_along(connected):
    """CGR-2."""
    api = connected
    api.ok("post", "/api/v1/accounting/customer-groups", 201, json={"code": "VIP", "name": "Khách VIP"})
    api.drain()
    assert api.one("/api/v1/crm/customer-groups", "VIP") is None
    assert api.log(code="VIP", rule="CGR-1")[0]["outcome"] == "skipped"
    add(api, code="KH00020", group_code="VIP")
    add(api, code="KH00021", group_code="VIP")
    api.drain()
    groups = api.ok("get", "/api/v1/crm/customer-groups")["items"]
    assert [(g["code"], g["name"]) for g in groups] == [("VIP", "Khách VIP")]
    assert api.one(CRM, "KH00020")["group_code"] == "VIP"
    assert api.one(CRM, "KH00021")["group_code"] == "VIP"
    [along] = api.log(code="VIP", rule="CGR-2")  # once: the second customer finds the group linked
    assert along["outcome"] == "applied"
    assert along["target"] == {"app": "crm", "kind": "customer-groups", "id": groups[0]["id"], "code": "VIP"}
