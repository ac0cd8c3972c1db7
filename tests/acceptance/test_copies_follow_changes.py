"""Issue 6, item 17: every change to a copied record reaches its copies (ENG-1), here the
user whose employee was deleted (EMP-2, CUS-OWN-1)."""

from __future__ import annotations


def test_deleting_an_employee_clears_its_user_in_every_copy_so_it_owns_no_new_customer(connected):
    """ENG-1, EMP-2, CUS-OWN-1."""
    api = connected
    nv01 = api.one("/api/v1/system/employees", "NV01")
    api.ok("delete", f"/api/v1/system/employees/{nv01['id']}", 204)
    api.drain()
    assert api.one("/api/v1/system/users", "trang")["employee_code"] is None
    assert api.one("/api/v1/crm/users", "trang")["employee_code"] is None
    assert api.one("/api/v1/process/users", "trang")["employee_code"] is None
    assert api.log(code="trang", rule="EMP-2")[0]["event_type"] == "UserUpdated"
    # accounting keeps its copy of NV01 (EMP-1): a new customer may still name it
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KHNV01", "name": "Khách của NV01", "salesperson_code": "NV01"})
    api.drain()
    assert api.one("/api/v1/crm/customers", "KHNV01")["owner_code"] is None
    assert api.log(code="KHNV01", rule="EMP-2")[0]["outcome"] == "skipped"
