"""Guards across apps (issue 7 item 5), in process: the system app asks CRM, through the
connector, before it deletes a user; CRM objects while the user's copy owns customers or
contacts. Over HTTP between real servers: tests/e2e/test_split_servers.py."""

from __future__ import annotations

import pytest

from lienthong.kernel.guards import Guard, Refused, check, objection
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync import links
from lienthong.sync.guards import Answer, GuardDesk
from lienthong.sync.peers import HttpPeer
from tests.conftest import ADMIN

USERS = "/api/v1/system/users"
CRM_CUSTOMERS = "/api/v1/crm/customers"


def _trang_owns_kh1(api) -> tuple[int, dict]:
    """trang (tied to NV01) owns the CRM copy of accounting customer KH1 (CUS-OWN-1)."""
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "An Phát", "salesperson_code": "NV01"})
    api.drain()
    crm = api.one(CRM_CUSTOMERS, "KH1")
    assert crm["owner_code"] == "trang"
    return api.one(USERS, "trang")["id"], crm


def test_deleting_a_user_who_owns_crm_customers_is_refused_with_crms_reason(connected):
    api = connected
    user_id, _ = _trang_owns_kh1(api)
    r = api.delete(f"{USERS}/{user_id}")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == (
        "Ứng dụng CRM không đồng ý: người dùng trang vẫn là chủ sở hữu của bản ghi trên đó "
        "(khách hàng: 1, liên hệ: 0); hãy chuyển chúng cho người khác trước khi xóa người dùng."
    )


def test_the_refusal_reads_wholly_in_english_on_request(connected):
    api = connected
    user_id, _ = _trang_owns_kh1(api)
    r = api.as_(ADMIN, lang="en").delete(f"{USERS}/{user_id}")
    assert r.json()["detail"] == (
        "The CRM app does not agree: user trang still owns records there (customers: 1, contacts: 0); "
        "hand them over to someone else before deleting the user."
    )
    assert r.json()["title"] == "Conflict"


def test_a_refused_delete_commits_nothing(connected):
    api = connected
    user_id, _ = _trang_owns_kh1(api)
    assert api.delete(f"{USERS}/{user_id}").status_code == 409
    api.drain()
    assert api.ok("get", f"{USERS}/{user_id}")["code"] == "trang"
    assert api.one("/api/v1/crm/users", "trang")["active"] is True
    assert api.log(code="trang", rule="EMP-2")[0]["outcome"] == "applied"
    assert len(api.log(code="trang", rule="EMP-2")) == 1  # created only: no delete reached CRM


def test_contacts_count_as_owned_records_too(connected):
    api = connected
    api.ok("post", "/api/v1/crm/contacts", 201, json={"code": "LH1", "name": "Chị Lan", "owner_code": "trang"})
    r = api.as_(ADMIN, lang="en").delete(f"{USERS}/{api.one(USERS, 'trang')['id']}")
    assert r.status_code == 409
    assert r.json()["detail"] == (
        "The CRM app does not agree: user trang still owns records there (customers: 0, contacts: 1); "
        "hand them over to someone else before deleting the user."
    )


def test_once_the_customers_are_handed_over_the_user_can_be_deleted(connected):
    api = connected
    user_id, crm = _trang_owns_kh1(api)
    api.ok("patch", f"{CRM_CUSTOMERS}/{crm['id']}", json={"owner_code": None})
    api.ok("delete", f"{USERS}/{user_id}", 204)
    api.drain()
    assert api.one("/api/v1/crm/users", "trang")["active"] is False


def test_a_user_with_no_copy_in_crm_yet_is_deleted_without_asking_crm(api):
    """No link to CRM (the connector has not delivered the user yet): nothing there relies on it."""
    user = api.ok("post", USERS, 201, json={"code": "moi", "name": "Người mới", "role": "sales"})
    api.ok("delete", f"{USERS}/{user['id']}", 204)
    assert api.get(f"{USERS}/{user['id']}").status_code == 404


def test_crm_down_refuses_the_delete_with_that_reason_and_commits_nothing(connected, suite):
    api = connected
    user_id, _ = _trang_owns_kh1(api)
    desk = suite.databases["system"].guards
    desk.peers["crm"] = HttpPeer("crm", "http://127.0.0.1:9", "any-token", timeout=2)  # nothing listens on port 9
    r = api.delete(f"{USERS}/{user_id}")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "Chưa thực hiện: cần hỏi CRM trước nhưng không kết nối được. Hãy thử lại khi CRM hoạt động trở lại."
    en = api.as_(ADMIN, lang="en").delete(f"{USERS}/{user_id}").json()
    assert en["detail"] == "Not done: CRM must be asked first but cannot be reached. Try again when CRM is back."
    assert api.ok("get", f"{USERS}/{user_id}")["code"] == "trang"


def test_no_connector_to_ask_refuses_the_delete(connected, suite):
    api = connected
    user_id, _ = _trang_owns_kh1(api)
    suite.databases["system"].guards = None  # the app runs where no connector is
    r = api.as_(ADMIN, lang="en").delete(f"{USERS}/{user_id}")
    assert r.status_code == 503
    assert r.json()["detail"] == "Not done: the connector must be asked first but cannot be reached. Try again when the connector is back."
    assert api.ok("get", f"{USERS}/{user_id}")["code"] == "trang"


def test_another_tenants_user_id_is_not_found_and_crm_is_not_asked(connected, suite):
    api = connected
    user_id, _ = _trang_owns_kh1(api)
    _, other_admin = suite.new_tenant("Công ty B")
    assert api.as_(other_admin).delete(f"{USERS}/{user_id}").status_code == 404
    assert api.ok("get", f"{USERS}/{user_id}")["code"] == "trang"


def test_only_an_administrator_may_delete_a_user_even_when_crm_would_agree(people):
    api = people
    token = api.ok("post", f"{USERS}/{api.one(USERS, 'trang')['id']}/tokens", 201)["token"]
    other = api.ok("post", USERS, 201, json={"code": "x", "name": "X", "role": "sales"})
    assert api.as_(token).delete(f"{USERS}/{other['id']}").status_code == 403


def test_a_guard_answered_by_a_query_the_app_does_not_have_fails_at_start(suite):
    """The answers are checked when the connector is built, not at the first call."""
    with pytest.raises(LookupError, match="no_such_query"):
        GuardDesk(suite.databases["sync"], suite.connector.peers, (Answer("system", "delete_user", "crm", "no_such_query"),))


def test_a_guard_no_app_answers_lets_the_use_case_go_on(suite):
    desk = suite.databases["system"].guards
    assert desk.check(Guard("crm", "withdraw_revenue_request", "orders"), "any-tenant", 1) is None



def test_the_shape_ready_for_withdrawing_a_revenue_request(suite, monkeypatch):
    """A test double of the orders' guard: CRM asks before withdrawing a revenue request;
    accounting answers about the linked sales order with one query of its own."""
    monkeypatch.setitem(MESSAGES, "test.invoiced", ("đã có hóa đơn {invoice}.", "invoice {invoice} was issued."))
    invoiced = {7: "HD0001"}  # accounting's sales order 7 has an invoice

    def check_order_uninvoiced(session, tenant_id, id):
        return objection("test.invoiced", invoice=invoiced[id]) if id in invoiced else None

    monkeypatch.setitem(suite.ports["accounting"].queries, "check_order_uninvoiced", check_order_uninvoiced)
    desk = GuardDesk(suite.databases["sync"], suite.connector.peers, (Answer("crm", "withdraw_revenue_request", "accounting", "check_order_uninvoiced"),))
    with UnitOfWork(suite.databases["sync"]) as uow:
        links.add_many(uow.session, "t1", [(("crm", "orders", 3), ("accounting", "sales-orders", 7)), (("crm", "orders", 4), ("accounting", "sales-orders", 8))])
        uow.commit()
    monkeypatch.setattr(suite.databases["crm"], "guards", desk)
    withdraw = Guard("crm", "withdraw_revenue_request", "orders")
    with UnitOfWork(suite.databases["crm"]) as uow:
        with pytest.raises(Refused) as refused:
            check(uow, withdraw, "t1", 3)
        check(uow, withdraw, "t1", 4)  # linked, not invoiced: goes on
        check(uow, withdraw, "t1", 5)  # not linked: nothing in accounting relies on it
    assert refused.value.to_dict("en")["detail"] == "The Accounting app does not agree: invoice HD0001 was issued."
    assert refused.value.to_dict("vi")["detail"] == "Ứng dụng Kế toán không đồng ý: đã có hóa đơn HD0001."
