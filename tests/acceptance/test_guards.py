"""Guards across apps (issue 7 item 5), shown with a test double shaped like the rule, to come with sales orders, that CRM asks accounting before withdrawing a revenue request.

No rule of today's rulebook declares a guard. The double: CRM guards a use case of its
own, ``withdraw_customer`` (it deletes a CRM customer), and asks accounting first, as CRM
will ask before withdrawing a revenue request; accounting answers with a query of its own
that objects while its linked customer has an invoice. The connector asks in process
(LocalPeer) and over HTTP (HttpPeer to the app's port endpoint on a real server). Only the
public declarations are used: a ``Guard``, an ``Answer`` given to the ``GuardDesk``, a
query in the accounting port's queries, a message in ``MESSAGES``.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid

import pytest
import uvicorn
from fastapi import APIRouter, Response

from lienthong.accounting.tables import Customer as AccountingCustomer
from lienthong.bootstrap import Suite
from lienthong.crm import customers as crm_customers
from lienthong.kernel.auth import Principal
from lienthong.kernel.guards import Guard, Unreachable, check, objection
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.routing import Route
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.kernel.web import PrincipalDep, uow_dependency
from lienthong.sync.guards import Answer, GuardDesk, RemoteDesk
from lienthong.sync.peers import HttpPeer
from lienthong.web.app import create_app
from tests.conftest import ADMIN, PG_URL

CRM_CUSTOMERS = "/api/v1/crm/customers"
WITHDRAW = Guard("crm", "withdraw_customer", "customers")
ANSWER = Answer("crm", "withdraw_customer", "accounting", "check_customer_uninvoiced")
INVOICED = {"KH1": "HD0001"}  # accounting's customer KH1 has an invoice; KH2 has none


def withdraw_customer(*, uow: UnitOfWork, principal: Principal, customer_id: int) -> None:
    """The guarded use case (test double): CRM asks accounting, then deletes its customer."""
    crm_customers.get_customer(uow=uow, principal=principal, customer_id=customer_id)  # another tenant's: 404, nobody asked
    check(uow, WITHDRAW, principal.tenant_id, customer_id)  # before the first write
    crm_customers.delete_customer(uow=uow, principal=principal, customer_id=customer_id)


Uow = uow_dependency("crm")
router = APIRouter(route_class=Route)


@router.post("/test-double/crm/customers/{customer_id}/withdraw", status_code=204)
def withdraw_route(customer_id: int, uow: Uow, principal: PrincipalDep):
    withdraw_customer(uow=uow, principal=principal, customer_id=customer_id)
    return Response(status_code=204)


def withdraw_path(customer: dict) -> str:
    return f"/test-double/crm/customers/{customer['id']}/withdraw"


@pytest.fixture
def asked(connected, client, suite, monkeypatch) -> list:
    """KH1 and KH2 made in accounting and copied to CRM (linked); CRM's guard, accounting's
    answer and the route of the use case declared. Returns the ids accounting was asked about."""
    api = connected
    for code in ("KH1", "KH2"):
        api.ok("post", "/api/v1/accounting/customers", 201, json={"code": code, "name": f"Khách {code}"})
    api.drain()
    calls: list = []

    def check_customer_uninvoiced(session, tenant_id: str, id: int) -> dict | None:
        calls.append((tenant_id, id))
        row = session.get(AccountingCustomer, id)
        invoice = INVOICED.get(row.code) if row is not None and row.tenant_id == tenant_id else None
        return objection("test.invoiced", code=row.code, invoice=invoice) if invoice else None

    monkeypatch.setitem(MESSAGES, "test.invoiced", ("khách hàng {code} đã có hóa đơn {invoice}.", "customer {code} has invoice {invoice}."))
    monkeypatch.setitem(suite.ports["accounting"].queries, ANSWER.query, check_customer_uninvoiced)
    desk = GuardDesk(suite.databases["sync"], dict(suite.connector.peers), (ANSWER,))
    monkeypatch.setattr(suite.databases["crm"], "guards", desk)
    client.app.include_router(router)
    return calls


def _crm_events(suite) -> int:
    return suite.ports["crm"].count_after(0)


# -- in process (LocalPeer) ----------------------------------------------------------------


def test_accounting_objects_and_the_action_is_refused_with_its_reason_in_vietnamese(connected, asked):
    api = connected
    r = api.post(withdraw_path(api.one(CRM_CUSTOMERS, "KH1")))
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "Ứng dụng Kế toán không đồng ý: khách hàng KH1 đã có hóa đơn HD0001."


def test_the_refusal_reads_wholly_in_english_on_request(connected, asked):
    api = connected
    r = api.as_(ADMIN, lang="en").post(withdraw_path(api.one(CRM_CUSTOMERS, "KH1")))
    assert r.status_code == 409
    assert r.json()["detail"] == "The Accounting app does not agree: customer KH1 has invoice HD0001."
    assert r.json()["title"] == "Conflict"


def test_a_refused_action_commits_nothing(connected, asked, suite):
    api = connected
    kh1 = api.one(CRM_CUSTOMERS, "KH1")
    events = _crm_events(suite)
    assert api.post(withdraw_path(kh1)).status_code == 409
    assert api.ok("get", f"{CRM_CUSTOMERS}/{kh1['id']}")["code"] == "KH1"
    assert _crm_events(suite) == events


def test_accounting_agrees_and_the_action_goes_on(connected, asked, suite):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    account_kh2 = api.one("/api/v1/accounting/customers", "KH2")
    api.ok("post", withdraw_path(kh2), 204)
    assert api.get(f"{CRM_CUSTOMERS}/{kh2['id']}").status_code == 404
    assert asked == [(api.ok("get", "/api/v1/system/me")["tenant_id"], account_kh2["id"])]


def test_a_record_with_no_counterpart_is_not_asked_about(connected, asked):
    """Not linked to accounting: nothing there relies on it."""
    api = connected
    mine = api.ok("post", CRM_CUSTOMERS, 201, json={"code": "KH9", "name": "Chỉ ở CRM"})
    api.ok("post", withdraw_path(mine), 204)
    assert asked == []


def test_accounting_unreachable_refuses_with_503_naming_it_and_commits_nothing(connected, asked, suite):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")  # accounting would agree, if it could be asked
    desk = suite.databases["crm"].guards
    desk.peers["accounting"] = HttpPeer("accounting", "http://127.0.0.1:9", suite.connector_token, timeout=2)  # nothing listens on port 9
    events = _crm_events(suite)
    r = api.post(withdraw_path(kh2))
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "Chưa thực hiện: cần hỏi Kế toán trước nhưng không kết nối được. Hãy thử lại khi Kế toán hoạt động trở lại."
    en = api.as_(ADMIN, lang="en").post(withdraw_path(kh2)).json()
    assert en["detail"] == "Not done: Accounting must be asked first but cannot be reached. Try again when Accounting is back."
    assert api.ok("get", f"{CRM_CUSTOMERS}/{kh2['id']}")["code"] == "KH2"
    assert _crm_events(suite) == events


def test_no_connector_to_ask_refuses_with_503_naming_the_connector(connected, asked, suite):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    suite.databases["crm"].guards = None  # the app runs where no connector is
    r = api.as_(ADMIN, lang="en").post(withdraw_path(kh2))
    assert r.status_code == 503
    assert r.json()["detail"] == "Not done: the connector must be asked first but cannot be reached. Try again when the connector is back."
    assert api.ok("get", f"{CRM_CUSTOMERS}/{kh2['id']}")["code"] == "KH2"


def test_another_tenants_record_is_not_found_and_accounting_is_not_asked(connected, asked, suite):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    _, other_admin = suite.new_tenant("Công ty B")
    assert api.as_(other_admin).post(withdraw_path(kh2)).status_code == 404
    assert asked == []
    assert api.ok("get", f"{CRM_CUSTOMERS}/{kh2['id']}")["code"] == "KH2"


def test_another_tenant_has_no_counterpart_for_the_same_record_id(connected, asked, suite):
    """Links belong to one tenant: asked for another tenant, the connector finds no counterpart."""
    kh1 = connected.one(CRM_CUSTOMERS, "KH1")
    other_tenant, _ = suite.new_tenant("Công ty B")
    with UnitOfWork(suite.databases["crm"]) as uow:
        check(uow, WITHDRAW, other_tenant, kh1["id"])
    assert asked == []


def test_a_guard_no_app_answers_lets_the_use_case_go_on(suite):
    """Today's connector (no answer declared) lets every use case go on."""
    with UnitOfWork(suite.databases["crm"]) as uow:
        assert check(uow, Guard("crm", "withdraw_revenue_request", "orders"), "any-tenant", 1) is None


def test_an_answer_naming_a_query_the_app_does_not_have_fails_at_start(suite):
    """The answers are checked when the connector's desk is built, not at the first call."""
    with pytest.raises(LookupError, match="check_customer_uninvoicd"):
        GuardDesk(suite.databases["sync"], suite.connector.peers, (Answer("crm", "withdraw_customer", "accounting", "check_customer_uninvoicd"),))


# -- over HTTP (HttpPeer to accounting's port endpoint on a real server) -------------------


@pytest.fixture
def accounting_over_http(asked, suite):
    """Accounting's answers now come over HTTP: the connector's peer for accounting is an
    HttpPeer to a real server (uvicorn in a thread) of the same suite, with the connector token."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(suite), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    peer = HttpPeer("accounting", f"http://127.0.0.1:{sock.getsockname()[1]}", suite.connector_token, timeout=5)
    suite.databases["crm"].guards.peers["accounting"] = peer
    yield peer
    peer.close()
    server.should_exit = True
    thread.join(15)
    sock.close()


def test_over_http_accounting_objects_and_the_action_is_refused_with_its_reason(connected, asked, accounting_over_http, suite):
    api = connected
    kh1 = api.one(CRM_CUSTOMERS, "KH1")
    events = _crm_events(suite)
    r = api.as_(ADMIN, lang="en").post(withdraw_path(kh1))
    assert r.status_code == 409
    assert r.json()["detail"] == "The Accounting app does not agree: customer KH1 has invoice HD0001."
    assert _crm_events(suite) == events


def test_over_http_accounting_agrees_and_the_action_goes_on(connected, asked, accounting_over_http):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    api.ok("post", withdraw_path(kh2), 204)
    assert api.get(f"{CRM_CUSTOMERS}/{kh2['id']}").status_code == 404
    assert len(asked) == 1


def test_over_http_a_wrong_connector_token_counts_as_unreachable(connected, asked, accounting_over_http, suite):
    """The port endpoint answers only the connector: another token is not an answer."""
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    stranger = HttpPeer("accounting", accounting_over_http.url, "not-the-connector-token", timeout=5)
    suite.databases["crm"].guards.peers["accounting"] = stranger
    r = api.as_(ADMIN, lang="en").post(withdraw_path(kh2))
    stranger.close()
    assert r.status_code == 503
    assert r.json()["detail"] == "Not done: Accounting must be asked first but cannot be reached. Try again when Accounting is back."
    assert asked == []


# -- an app server with no connector in its process asks the connector's server -------------


@pytest.fixture
def connector_over_http(asked, suite, monkeypatch):
    """The connector's server (this suite behind a real HTTP server) answers the guards;
    CRM asks it over HTTP, as an app server started alone (``--peer sync=URL``) does."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    monkeypatch.setattr(suite, "guards", suite.databases["crm"].guards)  # the connector's desk, with the answer
    server = uvicorn.Server(uvicorn.Config(create_app(suite), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    remote = RemoteDesk(f"http://127.0.0.1:{sock.getsockname()[1]}", suite.connector_token, timeout=5)
    monkeypatch.setattr(suite.databases["crm"], "guards", remote)
    yield remote
    remote.close()
    server.should_exit = True
    thread.join(15)
    sock.close()


def test_split_accounting_objects_through_the_connectors_server(connected, asked, connector_over_http, suite):
    api = connected
    kh1 = api.one(CRM_CUSTOMERS, "KH1")
    events = _crm_events(suite)
    r = api.as_(ADMIN, lang="en").post(withdraw_path(kh1))
    assert r.status_code == 409
    assert r.json()["detail"] == "The Accounting app does not agree: customer KH1 has invoice HD0001."
    assert _crm_events(suite) == events


def test_split_the_refusal_reads_in_the_askers_language(connected, asked, connector_over_http):
    api = connected
    r = api.post(withdraw_path(api.one(CRM_CUSTOMERS, "KH1")))
    assert r.json()["detail"] == "Ứng dụng Kế toán không đồng ý: khách hàng KH1 đã có hóa đơn HD0001."


def test_split_accounting_agrees_and_the_action_goes_on(connected, asked, connector_over_http):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    api.ok("post", withdraw_path(kh2), 204)
    assert api.get(f"{CRM_CUSTOMERS}/{kh2['id']}").status_code == 404
    assert len(asked) == 1


def test_split_accounting_unreachable_from_the_connector_is_named(connected, asked, connector_over_http, suite):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    suite.guards.peers["accounting"] = HttpPeer("accounting", "http://127.0.0.1:9", suite.connector_token, timeout=2)
    r = api.as_(ADMIN, lang="en").post(withdraw_path(kh2))
    assert r.status_code == 503
    assert r.json()["detail"] == "Not done: Accounting must be asked first but cannot be reached. Try again when Accounting is back."
    assert api.ok("get", f"{CRM_CUSTOMERS}/{kh2['id']}")["code"] == "KH2"


def test_split_the_connectors_server_gone_refuses_naming_the_connector(connected, asked, suite, monkeypatch):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    gone = RemoteDesk("http://127.0.0.1:9", suite.connector_token, timeout=2)
    monkeypatch.setattr(suite.databases["crm"], "guards", gone)
    r = api.as_(ADMIN, lang="en").post(withdraw_path(kh2))
    gone.close()
    assert r.status_code == 503
    assert r.json()["detail"] == "Not done: the connector must be asked first but cannot be reached. Try again when the connector is back."
    assert api.ok("get", f"{CRM_CUSTOMERS}/{kh2['id']}")["code"] == "KH2"


def test_split_the_connector_answers_only_with_its_token(connected, asked, connector_over_http, suite, monkeypatch):
    api = connected
    kh2 = api.one(CRM_CUSTOMERS, "KH2")
    stranger = RemoteDesk(connector_over_http.url, "not-the-connector-token", timeout=5)
    monkeypatch.setattr(suite.databases["crm"], "guards", stranger)
    r = api.as_(ADMIN, lang="en").post(withdraw_path(kh2))
    stranger.close()
    assert r.status_code == 503
    assert r.json()["detail"] == "Not done: the connector must be asked first but cannot be reached. Try again when the connector is back."
    assert asked == []


def test_an_app_server_started_alone_asks_the_connector_its_peers_name(tmp_path):
    """``serve --only crm --peer sync=URL``: CRM's guards go to that connector."""
    alone = Suite.open(data_dir=tmp_path / "data", url=PG_URL, only=("crm",), remote={"sync": "http://127.0.0.1:9"}, schema_prefix=f"t{uuid.uuid4().hex[:10]}")
    try:
        with UnitOfWork(alone.databases["crm"]) as uow:
            with pytest.raises(Unreachable) as refused:
                check(uow, WITHDRAW, "any-tenant", 1)
        assert refused.value.app == "sync"
    finally:
        alone.close()
