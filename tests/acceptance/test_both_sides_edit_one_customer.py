"""ENG-3 across two apps: a customer and its counterpart are one record, so edits made
on both sides before the connector delivers them apply in the order they were made.
The later edit stands on both sides; the earlier one never overwrites it, and the log
says why, naming the field in words."""

from __future__ import annotations

ACC = "/api/v1/accounting/customers"
CRM = "/api/v1/crm/customers"


def linked_pair(api, code: str) -> tuple[dict, dict]:
    api.ok("post", ACC, 201, json={"code": code, "name": "Tên gốc", "phone": "0900000000"})
    api.drain()
    return api.one(ACC, code), api.one(CRM, code)


def test_ENG_3_crm_edits_after_accounting_so_crms_name_stands_on_both_sides(connected):
    """ENG-3."""
    api = connected
    acc, crm = linked_pair(api, "KH1")
    api.ok("patch", f"{ACC}/{acc['id']}", json={"name": "Sửa trên Kế toán"})
    api.ok("patch", f"{CRM}/{crm['id']}", json={"name": "Sửa trên CRM"})
    api.drain()
    assert (api.one(ACC, "KH1")["name"], api.one(CRM, "KH1")["name"]) == ("Sửa trên CRM", "Sửa trên CRM")
    [entry] = api.log(code="KH1", rule="ENG-3")
    assert (entry["outcome"], entry["source"]["app"], entry["target"]["app"]) == ("skipped", "accounting", "crm")
    assert entry["reason"] == "Không ghi đè Tên của KH1 trên CRM: bên đó đã sửa trường này sau thay đổi này, nên giữ bản sửa sau và đồng bộ nó ngược lại."
    [english] = api.as_(api.token, "en").log(code="KH1", rule="ENG-3")
    assert english["reason"] == "Name of KH1 was not overwritten in CRM: it was edited there after this change, so the later edit stands and syncs back."


def test_ENG_3_accounting_edits_after_crm_so_accountings_name_stands_on_both_sides(connected):
    """ENG-3."""
    api = connected
    acc, crm = linked_pair(api, "KH2")
    api.ok("patch", f"{CRM}/{crm['id']}", json={"name": "Sửa trên CRM"})
    api.ok("patch", f"{ACC}/{acc['id']}", json={"name": "Sửa trên Kế toán"})
    api.drain()
    assert (api.one(ACC, "KH2")["name"], api.one(CRM, "KH2")["name"]) == ("Sửa trên Kế toán", "Sửa trên Kế toán")
    [entry] = api.log(code="KH2", rule="ENG-3")
    assert (entry["source"]["app"], entry["target"]["app"]) == ("crm", "accounting")


def test_ENG_3_edits_of_different_fields_on_both_sides_both_apply(connected):
    """ENG-3: only a field both sides changed is held back."""
    api = connected
    acc, crm = linked_pair(api, "KH3")
    api.ok("patch", f"{ACC}/{acc['id']}", json={"phone": "0911111111"})
    api.ok("patch", f"{CRM}/{crm['id']}", json={"name": "Tên mới trên CRM"})
    api.drain()
    for path in (ACC, CRM):
        record = api.one(path, "KH3")
        assert (record["name"], record["phone"]) == ("Tên mới trên CRM", "0911111111")
    assert api.log(code="KH3", rule="ENG-3") == []


def test_ENG_3_of_two_fields_edited_on_both_sides_only_the_shared_one_is_held_back(connected):
    """ENG-3."""
    api = connected
    acc, crm = linked_pair(api, "KH4")
    api.ok("patch", f"{ACC}/{acc['id']}", json={"name": "Tên Kế toán", "phone": "0922222222"})
    api.ok("patch", f"{CRM}/{crm['id']}", json={"name": "Tên CRM"})
    api.drain()
    for path in (ACC, CRM):
        record = api.one(path, "KH4")
        assert (record["name"], record["phone"]) == ("Tên CRM", "0922222222")
    assert [e["reason"] for e in api.log(code="KH4", rule="ENG-3")] == ["Không ghi đè Tên của KH4 trên CRM: bên đó đã sửa trường này sau thay đổi này, nên giữ bản sửa sau và đồng bộ nó ngược lại."]
