"""SPEC section 3, CRM -> accounting (CUS-C1..C4) and groups (CGR-1, CGR-2)."""

from __future__ import annotations

ACC = "/api/v1/accounting/customers"
CRM = "/api/v1/crm/customers"


def test_CUS_C1_a_customer_added_in_crm_stays_in_crm(connected):
    """CUS-C1."""
    api = connected
    api.ok("post", CRM, 201, json={"code": "CRM001", "name": "Khách tiềm năng"})
    api.drain()
    assert api.one(ACC, "CRM001") is None
    assert api.log(code="CRM001", rule="CUS-C1")[0]["outcome"] == "skipped"


def test_CUS_C3_editing_a_linked_crm_customer_updates_accounting_with_its_group(connected):
    """CUS-C3."""
    api = connected
    acc = api.ok("post", ACC, 201, json={"code": "KH00030", "name": "Gốc"})
    api.drain()
    crm = api.one(CRM, "KH00030")
    api.ok("post", "/api/v1/crm/customer-groups", 201, json={"code": "DL", "name": "Đại lý"})
    api.ok("patch", f"{CRM}/{crm['id']}", json={"email": "moi@example.vn", "group_code": "DL"})
    api.drain()
    after = api.ok("get", f"{ACC}/{acc['id']}")
    assert after["email"] == "moi@example.vn"
    assert after["group_code"] == "DL"
    assert api.one("/api/v1/accounting/customer-groups", "DL")["name"] == "Đại lý"
    assert api.log(code="KH00030", rule="CUS-C3")[0]["outcome"] == "applied"


def test_CUS_C3_editing_an_unlinked_crm_customer_does_nothing(connected):
    """CUS-C3."""
    api = connected
    crm = api.ok("post", CRM, 201, json={"code": "CRM002", "name": "A"})
    api.ok("patch", f"{CRM}/{crm['id']}", json={"name": "B"})
    api.drain()
    assert api.one(ACC, "CRM002") is None
    assert api.log(code="CRM002", rule="CUS-C3")[0]["outcome"] == "skipped"


def test_CUS_C4_deleting_in_crm_keeps_the_accounting_customer(connected):
    """CUS-C4."""
    api = connected
    api.ok("post", ACC, 201, json={"code": "KH00031", "name": "Giữ"})
    api.drain()
    crm = api.one(CRM, "KH00031")
    api.ok("delete", f"{CRM}/{crm['id']}", 204)
    api.drain()
    assert api.one(ACC, "KH00031") is not None
    assert api.log(code="KH00031", rule="CUS-C4")[0]["outcome"] == "skipped"
