"""Edits applied in bulk (issue 8, the live drain of product edits): consecutive
``update_<noun>`` commands of one call go through ``update_<noun>_many``, with the
same checks, outcomes, events and changed fields as one command after another; a
refused edit gets its own outcome while the others apply; a replayed call changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from lienthong.accounting.products import PRODUCTS as ACCOUNTING_PRODUCTS
from lienthong.crm.port import CONTRACT as CRM_CONTRACT
from lienthong.crm.products import PRODUCTS
from lienthong.crm.schemas import ProductCreate, ProductUpdate
from lienthong.crm.tables import Outbox, Product
from lienthong.kernel.contracts import Command, Contract
from lienthong.kernel.port import AppPort
from lienthong.kernel.problems import duplicate_code
from lienthong.kernel.sync_handlers import CatalogUseCases
from lienthong.kernel.unit_of_work import UnitOfWork
from tests.conftest import ADMIN

CRM_PRODUCTS = "/api/v1/crm/products"


def tenant_of(api) -> str:
    return api.ok("get", "/api/v1/system/me")["tenant_id"]


def make_products(api, prefix: str) -> dict[str, int]:
    """Five CRM products ``<prefix>1``..``<prefix>5``, the 1st, 2nd and 5th in group NH1: their ids by code."""
    ids = {}
    for n in range(1, 6):
        group = {"group_code": "NH1"} if n in (1, 2, 5) else {}
        ids[f"{prefix}{n}"] = api.ok("post", CRM_PRODUCTS, 201, json={"code": f"{prefix}{n}", "name": f"Hàng {n}", "unit_price": "1000", **group})["id"]
    return ids


def edits(ids: dict[str, int], prefix: str, group_id: int) -> list[dict]:
    """The same five edits of ``<prefix>1..5``: a name and a price, a new group, a new
    code, nothing new, a group taken away."""
    values = [
        {"name": "Hàng một", "unit_price": "1200"},
        {"group_id": group_id, "vat_rate": "5"},
        {"code": f"{prefix}3X", "unit_price": "1000.00"},
        {"name": "Hàng 4", "unit_price": "1000"},
        {"group_id": None, "kind": "service"},
    ]
    return [{"name": "update_product", "key": f"{prefix}-e{n}", "args": {"target_id": ids[f"{prefix}{n}"], "values": v}} for n, v in enumerate(values, 1)]


def events_after(suite, position: int, until: int | None = None) -> list[dict]:
    """CRM's events after ``position`` (up to ``until``)."""
    stmt = select(Outbox).where(Outbox.id > position).order_by(Outbox.id)
    if until is not None:
        stmt = stmt.where(Outbox.id <= until)
    with suite.databases["crm"].sessions() as s:
        return [{"type": e.type, "data": e.data, "changed": e.changed, "origin_app": e.origin_app} for e in s.scalars(stmt)]


def last_event(suite) -> int:
    with suite.databases["crm"].sessions() as s:
        return s.scalar(select(Outbox.id).order_by(Outbox.id.desc()).limit(1)) or 0


def without_identity(value, prefix: str):
    """``value`` with each record's id and times left out and the code's prefix made
    neutral, so two records' outcomes and events compare."""
    if isinstance(value, dict):
        return {k: without_identity(v, prefix) for k, v in value.items() if k not in ("id", "created_at", "updated_at")}
    if isinstance(value, list):
        return [without_identity(v, prefix) for v in value]
    if isinstance(value, str) and value.startswith(prefix):
        return "P" + value.removeprefix(prefix)
    return value


class Spy:
    """A port whose ``update_product_many`` command counts the calls and items it gets."""

    def __init__(self, suite):
        handlers = dict(CRM_CONTRACT.handlers)
        bulk = handlers["update_product_many"]
        self.calls: list[int] = []

        def counted(uow, principal, data, *, origin):
            self.calls.append(len(data.items))
            return bulk.use_case(uow, principal, data, origin=origin)

        handlers["update_product_many"] = Command(bulk.name, counted, bulk.input)
        self.port = AppPort("crm", suite.databases["crm"], handlers, CRM_CONTRACT.queries)

    def apply(self, tenant_id: str, commands: list[dict]) -> list[dict]:
        return self.port.apply(tenant_id, "accounting", commands)


@pytest.fixture
def group_id(api) -> int:
    api.ok("post", "/api/v1/crm/product-groups", 201, json={"code": "NH1", "name": "Nhóm 1"})
    return api.ok("post", "/api/v1/crm/product-groups", 201, json={"code": "NH2", "name": "Nhóm 2"})["id"]


def test_consecutive_edits_of_one_kind_go_in_one_bulk_call(suite, api, group_id):
    spy = Spy(suite)
    spy.apply(tenant_of(api), edits(make_products(api, "A"), "A", group_id))
    assert spy.calls == [5]


def test_a_batch_of_edits_answers_as_the_same_edits_one_at_a_time(suite, api, group_id):
    tenant = tenant_of(api)
    batched = Spy(suite).apply(tenant, edits(make_products(api, "A"), "A", group_id))
    alone = [outcome for cmd in edits(make_products(api, "B"), "B", group_id) for outcome in Spy(suite).apply(tenant, [cmd])]
    assert without_identity(batched, "A") == without_identity(alone, "B")


def test_a_batch_of_edits_reports_the_fields_that_changed(suite, api, group_id):
    outcomes = Spy(suite).apply(tenant_of(api), edits(make_products(api, "A"), "A", group_id))
    assert [o["changed"] for o in outcomes] == [
        ["name", "unit_price"],
        ["group", "group_code", "group_id", "vat_rate"],
        ["code"],
        [],
        ["group", "group_code", "group_id", "kind"],
    ]


def test_a_batch_of_edits_writes_the_events_of_the_same_edits_one_at_a_time(suite, api, group_id):
    tenant = tenant_of(api)
    a, b = make_products(api, "A"), make_products(api, "B")
    start = last_event(suite)
    Spy(suite).apply(tenant, edits(a, "A", group_id))
    middle = last_event(suite)
    for cmd in edits(b, "B", group_id):
        Spy(suite).apply(tenant, [cmd])
    batched, alone = events_after(suite, start, middle), events_after(suite, middle)
    assert len(batched) == 4  # the edit that changes nothing tells nothing
    assert without_identity(batched, "A") == without_identity(alone, "B")


def test_a_batch_of_edits_leaves_the_records_as_the_same_edits_one_at_a_time(suite, api, group_id):
    tenant = tenant_of(api)
    a, b = make_products(api, "A"), make_products(api, "B")
    Spy(suite).apply(tenant, edits(a, "A", group_id))
    for cmd in edits(b, "B", group_id):
        Spy(suite).apply(tenant, [cmd])
    read = lambda ids: [api.ok("get", f"{CRM_PRODUCTS}/{i}") for i in ids.values()]  # noqa: E731
    assert without_identity(read(a), "A") == without_identity(read(b), "B")


def test_a_new_code_of_a_batch_is_found_by_its_code(suite, api, group_id):
    ids = make_products(api, "A")
    Spy(suite).apply(tenant_of(api), edits(ids, "A", group_id))
    assert api.one(CRM_PRODUCTS, "a3x")["id"] == ids["A3"]


def test_a_refused_edit_in_a_batch_reports_its_reason_and_the_others_apply(suite, api, group_id):
    ids = make_products(api, "A")
    commands = edits(ids, "A", group_id)
    commands[2]["args"]["values"] = {"vat_rate": "7"}
    outcomes = Spy(suite).apply(tenant_of(api), commands)
    assert [o["ok"] for o in outcomes] == [True, True, False, True, True]
    assert outcomes[2]["status"] == 422
    assert outcomes[2]["error_en"].startswith("Invalid input (errors: 1). — vat_rate: ")
    assert api.ok("get", f"{CRM_PRODUCTS}/{ids['A3']}")["vat_rate"] == "not_declared"
    assert api.ok("get", f"{CRM_PRODUCTS}/{ids['A5']}")["kind"] == "service"


def test_an_edit_of_a_record_that_is_gone_is_refused_alone_in_a_batch(suite, api, group_id):
    ids = make_products(api, "A")
    commands = edits(ids, "A", group_id)
    commands[1]["args"]["target_id"] = 999_999
    outcomes = Spy(suite).apply(tenant_of(api), commands)
    assert [o["ok"] for o in outcomes] == [True, False, True, True, True]
    assert outcomes[1]["status"] == 404
    assert api.ok("get", f"{CRM_PRODUCTS}/{ids['A1']}")["name"] == "Hàng một"


def test_an_edit_of_another_tenants_record_is_refused_and_leaves_it_alone(suite, api, group_id):
    other_tenant, _ = suite.new_tenant("Công ty B")
    with UnitOfWork(suite.databases["crm"]) as uow:
        theirs = PRODUCTS.create(uow, other_tenant, {"code": "B1", "name": "Hàng của B"}).id
        uow.commit()
    ids = make_products(api, "A")
    commands = edits(ids, "A", group_id)[:2] + [{"name": "update_product", "key": "steal", "args": {"target_id": theirs, "values": {"name": "Của A"}}}]
    outcomes = Spy(suite).apply(tenant_of(api), commands)
    assert [o["ok"] for o in outcomes] == [True, True, False]
    assert outcomes[2]["status"] == 404
    with suite.databases["crm"].sessions() as s:
        assert s.get(Product, theirs).name == "Hàng của B"


def test_a_replayed_batch_returns_its_outcomes_and_changes_nothing(suite, api, group_id):
    tenant = tenant_of(api)
    ids = make_products(api, "A")
    first = Spy(suite).apply(tenant, edits(ids, "A", group_id))
    api.ok("patch", f"{CRM_PRODUCTS}/{ids['A1']}", json={"name": "Sửa tay"})  # a person's edit after it
    position = last_event(suite)
    spy = Spy(suite)
    again = spy.apply(tenant, edits(ids, "A", group_id))
    assert again == [{**o, "replayed": True} for o in first]
    assert spy.calls == []
    assert events_after(suite, position) == []
    assert api.ok("get", f"{CRM_PRODUCTS}/{ids['A1']}")["name"] == "Sửa tay"


def test_two_edits_of_one_record_in_one_call_apply_in_order(suite, api, group_id):
    ids = make_products(api, "A")
    commands = [
        {"name": "update_product", "key": "r1", "args": {"target_id": ids["A1"], "values": {"unit_price": "5"}}},
        {"name": "update_product", "key": "r2", "args": {"target_id": ids["A1"], "values": {"name": "Hai", "unit_price": "6"}}},
        {"name": "update_product", "key": "r3", "args": {"target_id": ids["A1"], "values": {"unit_price": "7"}}},
    ]
    outcomes = Spy(suite).apply(tenant_of(api), commands)
    assert [o["changed"] for o in outcomes] == [["unit_price"], ["name", "unit_price"], ["unit_price"]]
    assert api.ok("get", f"{CRM_PRODUCTS}/{ids['A1']}")["unit_price"] == "7"


def test_a_refused_create_in_a_bulk_run_reports_its_reason_and_the_others_apply(suite, api):
    """A run of creates whose bulk form refuses an item falls back to one command at a time."""
    commands = [
        {"name": "create_product", "key": "c1", "args": {"values": {"code": "C1", "name": "Hàng 1"}}},
        {"name": "create_product", "key": "c2", "args": {"values": {"code": "C2", "name": "Hàng 2", "colour": "red"}}},
        {"name": "create_product", "key": "c3", "args": {"values": {"code": "C3", "name": "Hàng 3"}}},
    ]
    outcomes = suite.connector.peers["crm"].apply(tenant_of(api), "accounting", commands)
    assert [o["ok"] for o in outcomes] == [True, False, True]
    assert outcomes[1]["error_en"] == "Invalid input (errors: 1). — colour: Unknown field."


def port_of(suite, use_cases: CatalogUseCases) -> AppPort:
    """CRM's products behind ``use_cases`` (another permission, another business check)."""
    return AppPort.of(Contract("crm", commands=use_cases.commands("product")), suite.databases["crm"])


def test_the_apps_check_refuses_one_edit_of_a_batch_with_its_reason_and_the_others_apply(suite, api, group_id):
    """An app's business check (here: the name "Hàng một" is taken) runs for every item."""

    def check(uow, principal, values, row):
        if values.get("name") == "Hàng một":
            raise duplicate_code("Hàng một", "name")

    port = port_of(suite, CatalogUseCases(PRODUCTS, ProductCreate, ProductUpdate, ids=("group_id",), check=check))
    ids = make_products(api, "A")
    outcomes = port.apply(tenant_of(api), "accounting", edits(ids, "A", group_id))
    assert [o["ok"] for o in outcomes] == [False, True, True, True, True]
    assert (outcomes[0]["status"], outcomes[0]["error_en"]) == (409, "The code Hàng một already exists.")
    assert api.ok("get", f"{CRM_PRODUCTS}/{ids['A1']}")["name"] == "Hàng 1"


def test_a_batch_of_edits_the_connector_may_not_make_is_refused_item_by_item(suite, api, group_id):
    port = port_of(suite, CatalogUseCases(PRODUCTS, ProductCreate, ProductUpdate, ids=("group_id",), may=("manager",)))
    ids = make_products(api, "A")
    outcomes = port.apply(tenant_of(api), "accounting", edits(ids, "A", group_id))
    assert [o["status"] for o in outcomes] == [403] * 5
    assert api.ok("get", f"{CRM_PRODUCTS}/{ids['A1']}")["name"] == "Hàng 1"


# -- the catalog's bulk update -----------------------------------------------------------


def test_update_each_writes_a_rows_changes_in_their_order(suite, api):
    """Three changes of one row whose sets of columns differ: the last price wins, and
    each event shows the row as that change left it."""
    tenant = tenant_of(api)
    with UnitOfWork(suite.databases["crm"]) as uow:
        row = PRODUCTS.create(uow, tenant, {"code": "R1", "name": "Một"})
        uow.commit()
    position = last_event(suite)
    with UnitOfWork(suite.databases["crm"]) as uow:
        row = uow.session.get(Product, row.id)
        PRODUCTS.update_each(uow, [(row, {"unit_price": Decimal(5)}), (row, {"name": "Hai", "unit_price": Decimal(6)}), (row, {"unit_price": Decimal(7)})])
        uow.commit()
    with suite.databases["crm"].sessions() as s:
        assert s.get(Product, row.id).unit_price == Decimal(7)
    assert [e["data"]["unit_price"] for e in events_after(suite, position)] == ["5", "6", "7"]


def test_update_many_keeps_the_code_key_with_a_new_code(suite, api):
    tenant = tenant_of(api)
    with UnitOfWork(suite.databases["crm"]) as uow:
        row = PRODUCTS.create(uow, tenant, {"code": "K1", "name": "Một"})
        PRODUCTS.update_many(uow, [(row, {"code": "K1-MOI"})])
        uow.commit()
    with UnitOfWork(suite.databases["crm"]) as uow:
        assert PRODUCTS.find(uow, tenant, "k1-moi").id == row.id


# -- through the connector ---------------------------------------------------------------


def test_an_edit_crm_refuses_in_a_drained_batch_is_parked_alone_with_crms_reason(connected, suite):
    """Three accounting edits decided in one batch; CRM refuses the middle one (a VAT
    rate its form does not offer, written past accounting's form as old data was)."""
    api = connected
    for code in ("P1", "P2", "P3"):
        api.ok("post", "/api/v1/accounting/products", 201, json={"code": code, "name": f"Hàng {code}"})
    api.drain()
    with UnitOfWork(suite.databases["accounting"]) as uow:
        row = ACCOUNTING_PRODUCTS.find(uow, tenant_of(api), "P2")
        ACCOUNTING_PRODUCTS.update(uow, row, {"vat_rate": "7"})
        uow.commit()
    for code in ("P1", "P3"):
        product = api.one("/api/v1/accounting/products", code)
        api.ok("patch", f"/api/v1/accounting/products/{product['id']}", json={"name": f"Hàng {code} sửa"})
    api.drain()
    assert [api.one(CRM_PRODUCTS, code)["name"] for code in ("P1", "P2", "P3")] == ["Hàng P1 sửa", "Hàng P2", "Hàng P3 sửa"]
    [parked] = api.as_(ADMIN, lang="en").get("/api/v1/sync/parked").json()["items"]
    assert (parked["source"]["code"], parked["event_type"]) == ("P2", "ProductUpdated")
    assert parked["error"].startswith("Invalid input (errors: 1). — vat_rate: ")


def test_an_edit_whose_target_is_no_id_is_refused_alone_in_a_batch(suite, api, group_id):
    ids = make_products(api, "A")
    commands = edits(ids, "A", group_id)
    commands[1]["args"]["target_id"] = [ids["A2"]]
    outcomes = Spy(suite).apply(tenant_of(api), commands)
    assert [o["ok"] for o in outcomes] == [True, False, True, True, True]
    assert outcomes[1]["error_en"].startswith("Invalid input (errors: 1). — target_id: ")
