"""SPEC section 2: employees (EMP-1) and users (EMP-2) reach the apps that need them."""

from __future__ import annotations


def test_EMP_1_employees_reach_accounting_on_create_and_edit_not_on_delete(api):
    """EMP-1."""
    emp = api.ok("post", "/api/v1/system/employees", 201, json={"code": "NV10", "name": "Trần B"})
    api.drain()
    assert api.one("/api/v1/accounting/employees", "NV10")["name"] == "Trần B"
    api.ok("patch", f"/api/v1/system/employees/{emp['id']}", json={"name": "Trần Bình", "email": "binh@example.vn"})
    api.drain()
    copy = api.one("/api/v1/accounting/employees", "NV10")
    assert (copy["name"], copy["email"]) == ("Trần Bình", "binh@example.vn")
    api.ok("delete", f"/api/v1/system/employees/{emp['id']}", 204)
    api.drain()
    assert api.one("/api/v1/accounting/employees", "NV10") is not None
    assert api.log(code="NV10", rule="EMP-1")[0]["outcome"] == "skipped"


def test_EMP_2_users_reach_crm_and_process_with_their_employee(api):
    """EMP-2."""
    api.ok("post", "/api/v1/system/employees", 201, json={"code": "NV20", "name": "Phạm C"})
    user = api.ok("post", "/api/v1/system/users", 201, json={"code": "phamc", "name": "Phạm C", "role": "sales", "employee_code": "NV20"})
    assert user["employee_code"] == "NV20"
    api.drain()
    assert api.one("/api/v1/crm/users", "phamc")["employee_code"] == "NV20"
    assert api.one("/api/v1/process/users", "phamc")["role"] == "sales"
    api.ok("delete", f"/api/v1/system/users/{user['id']}", 204)
    api.drain()
    assert api.one("/api/v1/crm/users", "phamc")["active"] is False
    assert api.log(code="phamc", rule="EMP-2")[0]["outcome"] == "applied"
    assert [(e["target"]["app"], e["outcome"]) for e in api.log(code="phamc", rule="SYS-1")] == [("process", "applied"), ("process", "applied")]  # deactivated, created


def test_EMP_2_a_salesperson_whose_user_comes_later_gives_the_owner_on_first_creation_only(connected):
    """EMP-2."""
    api = connected
    api.ok("post", "/api/v1/system/employees", 201, json={"code": "NV30", "name": "Đỗ D"})
    api.drain()
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH30", "name": "A", "salesperson_code": "NV30"})
    api.drain()
    assert api.one("/api/v1/crm/customers", "KH30")["owner_code"] is None
    api.ok("post", "/api/v1/system/users", 201, json={"code": "dod", "name": "Đỗ D", "employee_code": "NV30"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH31", "name": "B", "salesperson_code": "NV30"})
    api.drain()
    assert api.one("/api/v1/crm/customers", "KH31")["owner_code"] == "dod"
    assert api.one("/api/v1/crm/customers", "KH30")["owner_code"] is None
