"""Issue 6, items 1-3 and 18: a change lands only on its linked counterpart; a link never
outlives the records it joins; an edit whose counterpart is gone is decided as one
without a counterpart; CUS-A5 relinks an already linked customer; reasons say what is true."""

from __future__ import annotations

ACC = "/api/v1/accounting/customers"
CRM = "/api/v1/crm/customers"


def add(api, path: str, code: str, name: str | None = None, **fields):
    return api.ok("post", path, 201, json={"code": code, "name": name or f"Công ty {code}", **fields})


def reasons(api, code: str, rule: str) -> tuple[str, str]:
    """The newest log reason of ``rule`` about ``code``, in Vietnamese and in English."""
    vi = api.log(code=code, rule=rule)[0]["reason"]
    en = api.as_(api.token, "en").log(code=code, rule=rule)[0]["reason"]
    return vi, en


def parked(api) -> int:
    return api.ok("get", "/api/v1/sync/status")["parked"]


def test_a_customer_added_after_a_deleted_one_is_created_in_crm_not_written_over_it(connected):
    """CUS-A6, CUS-A1: the link of a deleted accounting customer goes with it."""
    api = connected
    dela = add(api, ACC, "DELA1", "Công ty Đã xóa")
    api.drain()
    crm_dela = api.one(CRM, "DELA1")
    api.ok("delete", f"{ACC}/{dela['id']}", 204)
    api.drain()
    delb = add(api, ACC, "DELB1", "Công ty Mới")
    api.drain()
    assert delb["id"] != dela["id"]
    assert api.ok("get", f"{CRM}/{crm_dela['id']}")["name"] == "Công ty Đã xóa"
    assert api.ok("get", f"{CRM}/{crm_dela['id']}")["code"] == "DELA1"
    assert api.one(CRM, "DELB1")["name"] == "Công ty Mới"
    assert api.log(code="DELB1", rule="CUS-A1")[0]["outcome"] == "applied"
    assert reasons(api, "DELA1", "CUS-A6") == (
        "Khách hàng DELA1 bị xóa trên Kế toán; CRM giữ nguyên khách hàng tương ứng, liên kết giữa hai bản ghi đã được gỡ.",
        "Customer DELA1 was deleted in accounting; CRM keeps its counterpart, and the link between them was removed.",
    )


def test_an_edit_after_its_crm_counterpart_was_deleted_creates_it_again_and_leaves_other_crm_customers_alone(connected):
    """CUS-C4, CUS-A4: deleting the newest linked CRM customer drops its link; a CRM
    customer added next is not taken for it."""
    api = connected
    acc = add(api, ACC, "KHDEL1", "Kế toán 1")
    api.drain()
    counterpart = api.one(CRM, "KHDEL1")
    api.ok("delete", f"{CRM}/{counterpart['id']}", 204)
    api.drain()
    other = add(api, CRM, "CRMKHAC", "Khách CRM khác")
    api.ok("patch", f"{ACC}/{acc['id']}", json={"name": "Kế toán 1 sửa"})
    api.drain()
    assert other["id"] != counterpart["id"]
    assert api.ok("get", f"{CRM}/{other['id']}")["name"] == "Khách CRM khác"
    assert api.one(CRM, "KHDEL1")["name"] == "Kế toán 1 sửa"
    assert api.log(code="KHDEL1", rule="CUS-A4")[0]["outcome"] == "applied"
    assert parked(api) == 0
    assert reasons(api, "KHDEL1", "CUS-C4") == (
        "Khách hàng KHDEL1 bị xóa trên CRM; Kế toán giữ nguyên khách hàng tương ứng, liên kết giữa hai bản ghi đã được gỡ.",
        "Customer KHDEL1 was deleted in CRM; accounting keeps its counterpart, and the link between them was removed.",
    )


def test_an_edit_whose_crm_counterpart_was_deleted_unseen_is_decided_again_not_parked(connected, suite):
    """CUS-A3, CUS-A4: the link still stands (the delete is not read yet) but CRM answers
    404: the link goes, the log says so, and CUS-A4 creates the customer again."""
    api = connected
    acc = add(api, ACC, "KHDEL2", "Trước")
    api.drain()
    counterpart = api.one(CRM, "KHDEL2")
    api.ok("patch", f"{ACC}/{acc['id']}", json={"name": "Sau"})
    suite.connector.relay()  # the connector reads the edit, then falls behind
    api.ok("delete", f"{CRM}/{counterpart['id']}", 204)
    api.drain()
    again = api.one(CRM, "KHDEL2")
    assert again["name"] == "Sau"
    assert again["id"] != counterpart["id"]
    assert parked(api) == 0
    gone = api.log(code="KHDEL2", rule="CUS-A3")[0]
    assert (gone["outcome"], gone["target"]["id"]) == ("skipped", counterpart["id"])
    assert reasons(api, "KHDEL2", "CUS-A3") == (
        "Khách hàng tương ứng của KHDEL2 trên CRM không còn nữa (đã bị xóa); liên kết đã được gỡ và thay đổi được xét lại như khách hàng chưa có trên CRM.",
        "The CRM counterpart of customer KHDEL2 no longer exists (it was deleted); the link was removed and the edit is decided again as one with no CRM counterpart.",
    )
    assert api.log(code="KHDEL2", rule="CUS-A4")[0]["target"]["id"] == again["id"]


def test_a_crm_edit_whose_accounting_counterpart_was_deleted_unseen_updates_nothing_and_is_not_parked(connected, suite):
    """CUS-C3: the linked accounting customer answers 404: nothing to update, logged, not parked."""
    api = connected
    acc = add(api, ACC, "KHDEL3", "Gốc")
    api.drain()
    crm = api.one(CRM, "KHDEL3")
    api.ok("patch", f"{CRM}/{crm['id']}", json={"name": "Sửa trên CRM"})
    suite.connector.relay()  # the connector reads the edit, then falls behind
    api.ok("delete", f"{ACC}/{acc['id']}", 204)
    api.drain()
    assert parked(api) == 0
    assert api.one(ACC, "KHDEL3") is None
    # newest first: decided again without the link, after the refusal said why
    assert [e["reason"] for e in api.as_(api.token, "en").log(code="KHDEL3", rule="CUS-C3")] == [
        "CRM customer KHDEL3 is not linked to accounting, so nothing was updated.",
        "The accounting customer linked to CRM customer KHDEL3 no longer exists (it was deleted); the link was removed and there is nothing to update.",
    ]
    assert api.log(code="KHDEL3", rule="CUS-C3")[1]["reason"] == (
        "Khách hàng Kế toán liên kết với khách hàng KHDEL3 trên CRM không còn nữa (đã bị xóa); liên kết đã được gỡ, không có gì để cập nhật."
    )


def test_a_crm_edit_after_its_accounting_counterpart_was_deleted_updates_nothing(connected):
    """CUS-C4 from accounting's side (CUS-A6), then CUS-C3: no longer linked, nothing updated."""
    api = connected
    acc = add(api, ACC, "KHDEL4", "Gốc")
    api.drain()
    crm = api.one(CRM, "KHDEL4")
    api.ok("delete", f"{ACC}/{acc['id']}", 204)
    api.drain()
    other = add(api, ACC, "KHDEL5", "Khác")
    api.drain()
    api.ok("patch", f"{CRM}/{crm['id']}", json={"name": "Sửa trên CRM"})
    api.drain()
    assert parked(api) == 0
    assert api.ok("get", f"{ACC}/{other['id']}")["name"] == "Khác"
    assert reasons(api, "KHDEL4", "CUS-C3")[1] == "CRM customer KHDEL4 is not linked to accounting, so nothing was updated."


def test_CUS_A5_a_linked_customer_taking_an_unlinked_crm_code_is_relinked_and_the_former_counterpart_kept(connected):
    """CUS-A5 (seed 001): accounting KHTMP9, linked to CRM KHTMP9, renamed to KH00009 of an
    unlinked CRM customer: linked to that one and updates it; CRM KHTMP9 keeps its data."""
    api = connected
    acc = add(api, ACC, "KHTMP9", "Tạm", phone="0901000009")
    api.drain()
    former = api.one(CRM, "KHTMP9")
    crm = add(api, CRM, "KH00009", "Bản CRM")
    api.ok("patch", f"{ACC}/{acc['id']}", json={"code": "KH00009", "name": "Bản Kế toán"})
    api.drain()
    assert parked(api) == 0
    updated = api.ok("get", f"{CRM}/{crm['id']}")
    assert (updated["name"], updated["phone"]) == ("Bản Kế toán", "0901000009")
    kept = api.ok("get", f"{CRM}/{former['id']}")
    assert (kept["code"], kept["name"]) == ("KHTMP9", "Tạm")
    entry = api.log(code="KH00009", rule="CUS-A5")[0]
    assert (entry["outcome"], entry["target"]["id"]) == ("applied", crm["id"])
    assert reasons(api, "KH00009", "CUS-A5") == (
        "Đã liên kết khách hàng KH00009 với khách hàng KH00009 trên CRM và cập nhật nó; khách hàng KHTMP9 trên CRM, bản tương ứng trước đây, được gỡ liên kết và giữ nguyên dữ liệu.",
        "Customer KH00009 is now linked to CRM customer KH00009, which was updated; CRM customer KHTMP9, its former counterpart, was unlinked and keeps its data.",
    )
    # the link moved: accounting's next edit reaches KH00009, CRM's edit of KHTMP9 reaches nothing
    api.ok("patch", f"{ACC}/{acc['id']}", json={"email": "kt@example.vn"})
    api.ok("patch", f"{CRM}/{former['id']}", json={"name": "Tạm sửa"})
    api.drain()
    assert api.ok("get", f"{CRM}/{crm['id']}")["email"] == "kt@example.vn"
    assert api.ok("get", f"{CRM}/{former['id']}")["email"] is None
    assert api.ok("get", f"{ACC}/{acc['id']}")["name"] == "Bản Kế toán"


def test_CUS_C3_an_owner_only_edit_of_a_linked_crm_customer_says_nothing_accounting_keeps_changed(connected):
    """CUS-C3: the reason states what is true: linked, but nothing accounting keeps changed."""
    api = connected
    add(api, ACC, "KHOWN1")
    api.drain()
    crm = api.one(CRM, "KHOWN1")
    api.ok("patch", f"{CRM}/{crm['id']}", json={"owner_code": "trang"})
    api.drain()
    assert api.log(code="KHOWN1", rule="CUS-C3")[0]["outcome"] == "skipped"
    assert reasons(api, "KHOWN1", "CUS-C3") == (
        "Khách hàng KHOWN1 trên CRM đã liên kết với Kế toán nhưng không thông tin nào Kế toán lưu bị thay đổi, nên không cập nhật gì.",
        "CRM customer KHOWN1 is linked to accounting, but nothing accounting keeps changed, so nothing was updated.",
    )


def test_CUS_A3_an_edit_of_nothing_crm_keeps_says_so(connected):
    """CUS-A3, CUS-A7: a CRM contact keeps no group, so a group-only edit updates nothing."""
    api = connected
    acc = add(api, ACC, "KHCN1", "Nguyễn Văn Cá Nhân", is_individual=True)
    api.ok("post", "/api/v1/accounting/customer-groups", 201, json={"code": "LE", "name": "Khách lẻ"})
    api.drain()
    api.ok("patch", f"{ACC}/{acc['id']}", json={"group_code": "LE"})
    api.drain()
    entry = api.log(code="KHCN1", rule="CUS-A3")[0]
    assert (entry["outcome"], entry["target"]["id"]) == ("skipped", api.one("/api/v1/crm/contacts", "KHCN1")["id"])
    assert reasons(api, "KHCN1", "CUS-A3") == (
        "Khách hàng KHCN1: không thông tin nào CRM lưu bị thay đổi, nên không cập nhật gì trên CRM.",
        "Customer KHCN1: nothing CRM keeps changed, so nothing was updated in CRM.",
    )
