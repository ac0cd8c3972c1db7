"""Commands bound to each app's own use case (issue 7, item 2): a connector command is
declared in the app's contract with a typed input, runs the target's own checks as the
connector's principal, and a refusal is parked with the app's reason in the reader's
language. Events read from an outbox are checked against the app's declared models."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from lienthong.accounting.customers import CUSTOMERS as ACCOUNTING_CUSTOMERS
from lienthong.crm.port import CONTRACT as CRM_CONTRACT
from lienthong.kernel.auth import require_role
from lienthong.kernel.contracts import Command, Contract
from lienthong.kernel.outbox import emit
from lienthong.kernel.port import AppPort
from lienthong.kernel.schemas import Input
from lienthong.kernel.unit_of_work import UnitOfWork
from tests.conftest import ADMIN

CRM_CUSTOMERS = "/api/v1/crm/customers"
BAD_EMAIL = "khach@"


def tenant_of(api) -> str:
    return api.ok("get", "/api/v1/system/me")["tenant_id"]


def crm_form_says(api, lang: str, **body) -> dict:
    """What CRM's own form answers for ``body``: its field error, in ``lang``."""
    r = api.as_(ADMIN, lang=lang).post(CRM_CUSTOMERS, json={"code": "FORM1", "name": "Mẫu", **body})
    assert r.status_code == 422
    return r.json()["errors"][0]


def test_every_command_of_every_app_declares_a_typed_input(suite):
    for port in suite.ports.values():
        for command in port.handlers.values():
            assert issubclass(command.input, BaseModel), command.name


def test_a_value_crms_form_refuses_is_refused_for_the_connector_with_the_same_reason(suite, api):
    form = crm_form_says(api, "en", email=BAD_EMAIL)
    [outcome] = suite.connector.peers["crm"].apply(tenant_of(api), "accounting", [{"name": "create_customer", "key": "k1", "args": {"values": {"code": "KH1", "name": "Khách 1", "email": BAD_EMAIL}}}])
    assert outcome["ok"] is False
    assert outcome["status"] == 422
    assert outcome["error_en"] == f"Invalid input (errors: 1). — email: {form['message']}"


def test_a_refused_command_changes_nothing(suite, api):
    suite.connector.peers["crm"].apply(tenant_of(api), "accounting", [{"name": "create_customer", "key": "k1", "args": {"values": {"code": "KH1", "name": "Khách 1", "email": BAD_EMAIL}}}])
    assert api.one(CRM_CUSTOMERS, "KH1") is None


def test_an_argument_the_command_does_not_declare_is_refused_naming_it(suite, api):
    [outcome] = suite.connector.peers["crm"].apply(tenant_of(api), "accounting", [{"name": "create_customer", "key": "k1", "args": {"values": {"code": "KH1", "name": "Khách 1", "colour": "red"}}}])
    assert outcome["status"] == 422
    assert outcome["error_en"] == "Invalid input (errors: 1). — colour: Unknown field."


def test_a_policy_part_ending_before_it_starts_is_refused_as_crms_form_refuses_it(suite, api):
    """CRM's business check of a price policy's dates runs for the connector's part too."""
    group = api.ok("post", "/api/v1/crm/product-groups", 201, json={"code": "NH01", "name": "Nhóm 1"})
    form = api.as_(ADMIN, lang="en").post("/api/v1/crm/price-policies", json={"code": "CS9", "name": "Giá", "valid_from": "2026-02-01", "valid_to": "2026-01-01", "items": []})
    assert form.status_code == 422
    command = {"name": "upsert_price_policy_part", "key": "p1", "args": {"source_policy_code": "CS01", "product_group_id": group["id"], "values": {"name": "Giá", "valid_from": "2026-02-01", "valid_to": "2026-01-01"}}}
    [outcome] = suite.connector.peers["crm"].apply(tenant_of(api), "accounting", [command])
    assert outcome["status"] == 422
    assert outcome["error_en"] == f"Invalid input (errors: 1). — valid_to: {form.json()['errors'][0]['message']}"


def test_the_connector_acts_with_its_own_role_and_a_use_case_it_may_not_run_refuses_it(suite, api):
    """A use case for managers only: the connector is not one; the refusal names its role."""

    def close_books(uow, principal, data, *, origin):
        require_role(principal, "manager")
        return {"id": 1, "code": "X"}

    contract = Contract("crm", commands=(Command("close_books", close_books, Input),))
    port = AppPort.of(contract, suite.databases["crm"])
    [outcome] = port.apply(tenant_of(api), "accounting", [{"name": "close_books", "key": "c1", "args": {}}])
    assert outcome["status"] == 403
    assert outcome["error_vi"] == "Vai trò bộ kết nối không được phép thực hiện thao tác này."
    assert outcome["error_en"] == "The role connector may not do this."


def test_the_connector_sees_every_owners_customers_as_crm_lets_it(connected, suite):
    """CRM's sharing: a sales user's customer is invisible to other sales users, not to the connector."""
    api = connected
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Khách 1"})
    api.drain()
    crm = api.one(CRM_CUSTOMERS, "KH1")
    [outcome] = suite.connector.peers["crm"].apply(tenant_of(api), "accounting", [{"name": "update_customer", "key": "u1", "args": {"target_id": crm["id"], "values": {"name": "Khách một"}}}])
    assert outcome["ok"] is True
    assert api.ok("get", f"{CRM_CUSTOMERS}/{crm['id']}")["name"] == "Khách một"


def _legacy_accounting_customer(suite, tenant_id: str, **values) -> None:
    """A customer written by accounting's catalog without its form (as old data was)."""
    with UnitOfWork(suite.databases["accounting"]) as uow:
        ACCOUNTING_CUSTOMERS.create(uow, tenant_id, {"code": "KH1", "name": "Khách 1", **values})
        uow.commit()


@pytest.mark.parametrize(("lang", "reason"), [("vi", "Dữ liệu không hợp lệ (1 lỗi). — email: "), ("en", "Invalid input (errors: 1). — email: ")])
def test_a_change_crm_refuses_is_parked_with_crms_reason_in_the_readers_language(connected, suite, lang, reason):
    api = connected
    _legacy_accounting_customer(suite, tenant_of(api), email=BAD_EMAIL)
    api.drain()
    form = crm_form_says(api, lang, email=BAD_EMAIL)
    [parked] = api.as_(ADMIN, lang=lang).get("/api/v1/sync/parked").json()["items"]
    assert (parked["source"]["code"], parked["event_type"]) == ("KH1", "CustomerCreated")
    assert parked["error"] == reason + form["message"]
    assert api.one(CRM_CUSTOMERS, "KH1") is None


# -- relayed events checked against the app's declared models --------------------------------


def _unfit_event(suite, tenant_id: str) -> None:
    """A CustomerCreated in accounting's outbox whose group is not a group."""
    with UnitOfWork(suite.databases["accounting"]) as uow:
        emit(uow, tenant_id=tenant_id, kind="customers", type="CustomerCreated", record_id=77, record_code="KH7", data={"id": 77, "code": "KH7", "name": "Khách 7", "group": "SI"})
        uow.commit()


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("vi", "Sự kiện CustomerCreated của Kế toán không đúng mẫu ứng dụng đã khai báo: Dữ liệu không hợp lệ (1 lỗi). — group: Phải là một đối tượng JSON."),
        ("en", "Event CustomerCreated of Accounting does not fit the model the app declares: Invalid input (errors: 1). — group: Must be a JSON object."),
    ],
)
def test_an_event_that_does_not_fit_its_model_is_parked_with_the_reason(connected, suite, lang, reason):
    api = connected
    _unfit_event(suite, tenant_of(api))
    api.drain()
    [parked] = api.as_(ADMIN, lang=lang).get("/api/v1/sync/parked").json()["items"]
    assert (parked["source"]["code"], parked["event_type"]) == ("KH7", "CustomerCreated")
    assert parked["error"] == reason


def test_an_unfit_event_reaches_no_rule_and_the_log_says_why(connected, suite):
    api = connected
    _unfit_event(suite, tenant_of(api))
    api.drain()
    assert api.one(CRM_CUSTOMERS, "KH7") is None
    [entry] = [e for e in api.as_(ADMIN, lang="en").log() if e["source"]["code"] == "KH7"]
    assert (entry["rule"], entry["outcome"]) == ("ENG-4", "parked")
    assert entry["reason"] == "Parked as soon as it was read, given to no rule: Event CustomerCreated of Accounting does not fit the model the app declares: Invalid input (errors: 1). — group: Must be a JSON object."


def test_an_event_that_fits_goes_on_beside_an_unfit_one(connected, suite):
    api = connected
    _unfit_event(suite, tenant_of(api))
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH8", "name": "Khách 8"})
    api.drain()
    assert api.one(CRM_CUSTOMERS, "KH8")["name"] == "Khách 8"


def test_crms_contract_binds_the_policy_part_commands_to_typed_inputs():
    commands = CRM_CONTRACT.handlers
    assert commands["upsert_price_policy_part"].input.__name__ == "UpsertPolicyPart"
    assert commands["deactivate_price_policy_part"].input.__name__ == "DeactivatePolicyPart"


@pytest.mark.parametrize("app", ["system", "accounting", "crm", "process"])
def test_every_declared_event_model_can_check_an_event(suite, app):
    """A model that cannot be built (a name it uses not imported) would fail every event of its type."""
    for event in suite.ports[app].events:
        assert event.model_validate({"id": 1}).id == 1, event.__name__


def test_a_bulk_create_naming_a_field_the_app_does_not_declare_is_refused(suite, api):
    items = [{"code": "KH1", "name": "Khách 1"}, {"code": "KH2", "name": "Khách 2", "colour": "red"}]
    [outcome] = suite.connector.peers["crm"].apply(tenant_of(api), "accounting", [{"name": "create_customer_many", "key": "m1", "args": {"items": items}}])
    assert outcome["error_en"] == "Invalid input (errors: 1). — items: The command has a field it does not declare: colour."
    assert api.one(CRM_CUSTOMERS, "KH1") is None
