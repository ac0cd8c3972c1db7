"""Apps reached over HTTP are name-checked when the connector starts (issue 7, item 2):
the connector asks each app in another server for its contract's names (the port's
``/contract``) and refuses to start when a rule names something the app does not
declare; an app that cannot be asked yet is marked unreachable with the reason and is
checked before the connector reads from it or sends to it. Over real HTTP: a uvicorn
server in a thread, stopped when each test ends."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn

from lienthong.kernel.contracts import ContractError
from lienthong.sync.delivery import Connector
from lienthong.sync.peers import HttpPeer, LocalPeer
from lienthong.sync.rules.base import Into, On, Rule
from lienthong.web.app import create_app

NOWHERE = "http://127.0.0.1:9"  # nothing listens on port 9
TYPO = Rule("T-1", "một", "one", on=On("accounting", ("customers",), ("Created",)), target="crm", into=Into("customers"), action="delete")


@pytest.fixture
def served(suite):
    """The suite's apps behind a real HTTP server; its URL."""
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
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(15)
    sock.close()


@pytest.fixture
def peers(suite):
    """Accounting in process; CRM to be reached over HTTP (set by each test). Closed after."""
    made = {"accounting": LocalPeer(suite.ports["accounting"])}
    yield made
    for peer in made.values():
        if isinstance(peer, HttpPeer):
            peer.close()


def test_the_port_tells_its_contracts_names_and_versions(served, suite):
    r = httpx.get(f"{served}/api/v1/crm/_connector/contract", headers={"Authorization": f"Bearer {suite.connector_token}"})
    assert r.status_code == 200
    assert {"name": "upsert_price_policy_part", "version": 1} in r.json()["commands"]
    assert {"name": "find_customer", "version": 1} in r.json()["queries"]
    assert {"name": "CustomerCreated", "kind": "customers", "version": 1} in r.json()["events"]


def test_the_contract_is_told_to_the_connector_only(served):
    r = httpx.get(f"{served}/api/v1/crm/_connector/contract", headers={"Authorization": "Bearer not-the-connector"})
    assert r.status_code == 401


def test_the_real_rulebook_starts_with_crm_over_http(served, suite, peers):
    peers["crm"] = HttpPeer("crm", served, suite.connector_token)
    connector = Connector(suite.connector.db, peers)
    assert connector.reachable["crm"] == {"reachable": True, "error": None}


def test_a_rule_naming_a_command_the_remote_app_does_not_declare_refuses_to_start(served, suite, peers):
    peers["crm"] = HttpPeer("crm", served, suite.connector_token)
    with pytest.raises(ContractError) as refused:
        Connector(suite.connector.db, peers, rules=[TYPO])
    assert str(refused.value) == "crm does not declare what the rulebook names: command delete_customer"


def test_an_app_that_cannot_be_asked_at_start_is_marked_unreachable(suite, peers):
    peers["crm"] = HttpPeer("crm", NOWHERE, suite.connector_token, timeout=2)
    connector = Connector(suite.connector.db, peers, rules=[TYPO])
    assert connector.reachable["crm"]["reachable"] is False


def test_an_app_that_comes_later_is_checked_before_it_is_used(served, suite, peers):
    peers["crm"] = HttpPeer("crm", NOWHERE, suite.connector_token, timeout=2)
    connector = Connector(suite.connector.db, peers, rules=[TYPO])
    peers["crm"].close()
    peers["crm"] = HttpPeer("crm", served, suite.connector_token)  # the app is up now, still without the name
    connector.relay()
    assert connector.reachable["crm"] == {"reachable": False, "error": "crm does not declare what the rulebook names: command delete_customer"}


def test_a_misfit_app_is_sent_nothing_and_its_changes_wait(served, suite, peers, api, monkeypatch):
    """CRM comes up without ``create_customer``: the customer waits for it, never parked."""
    peers["crm"] = HttpPeer("crm", NOWHERE, suite.connector_token, timeout=2)
    connector = Connector(suite.connector.db, peers)
    peers["crm"].close()
    peers["crm"] = HttpPeer("crm", served, suite.connector_token)
    monkeypatch.delitem(suite.ports["crm"].handlers, "create_customer")
    api.ok("post", "/api/v1/sync/connections", 201, json={"apps": ["accounting", "crm"]})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Khách 1"})
    for _ in range(3):
        connector.step()
    assert connector.reachable["crm"]["error"] == "crm does not declare what the rulebook names: command create_customer"
    assert connector.parked() == 0
    assert api.one("/api/v1/crm/customers", "KH1") is None


def test_an_app_that_comes_later_with_every_name_is_used(served, suite, peers):
    peers["crm"] = HttpPeer("crm", NOWHERE, suite.connector_token, timeout=2)
    connector = Connector(suite.connector.db, peers)
    peers["crm"].close()
    peers["crm"] = HttpPeer("crm", served, suite.connector_token)
    connector.relay()
    assert connector.reachable["crm"] == {"reachable": True, "error": None}
