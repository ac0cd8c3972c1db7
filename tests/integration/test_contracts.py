"""Typed contracts (issue 7, item 2): each app declares its events as past-tense
Pydantic models and the commands and queries it answers; the connector checks every
name its rulebook uses when it starts."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import ClassVar

import pytest
from sqlalchemy import select

from lienthong.accounting import events as accounting_events
from lienthong.accounting.tables import Outbox
from lienthong.kernel.contracts import Contract, ContractError, Event, Money
from lienthong.sync.delivery import Connector
from lienthong.sync.rules.base import FieldMap, Into, Lookup, On, Rule, same_code
from lienthong.sync.rules.customers import OWNER_ON_CREATE


def rule(**declared) -> Rule:
    return Rule("T-1", "một", "one", **{"on": On("accounting", ("customers",), ("Created",)), "target": "crm", "into": Into("customers"), **declared})


def test_the_real_rulebook_names_only_what_the_apps_declare(suite):
    Connector(suite.connector.db, suite.connector.peers)  # raises otherwise


@pytest.mark.parametrize(
    ("declared", "named"),
    [
        ({"action": "create", "into": Into("customerz")}, None),
        ({"action": "create", "fields": FieldMap(lookups=(Lookup("owner_id", "user_for_employe", "salesperson_code", "id", OWNER_ON_CREATE, OWNER_ON_CREATE, OWNER_ON_CREATE),))}, "query user_for_employe"),
        ({"action": "skip", "on": On("accounting", ("customers",), ("Approved",))}, "event customers Approved"),
        ({"action": "delete"}, "command delete_customer"),
    ],
    ids=["unknown kind", "query typo", "event no app tells", "command no app accepts"],
)
def test_a_name_no_app_declares_fails_when_the_connector_starts(suite, declared, named):
    if named is None:
        with pytest.raises(KeyError):  # a kind the rule language does not know
            Connector(suite.connector.db, suite.connector.peers, rules=[rule(**declared)])
        return
    with pytest.raises(ContractError) as refused:
        Connector(suite.connector.db, suite.connector.peers, rules=[rule(**declared)])
    assert named in str(refused.value)


def test_a_guard_that_finds_by_code_needs_the_targets_find_query(suite):
    Connector(suite.connector.db, suite.connector.peers, rules=[rule(when=(same_code(),))])
    contacts = rule(when=(same_code(),), into=Into("customer-groups"), target="accounting")
    Connector(suite.connector.db, suite.connector.peers, rules=[contacts])  # accounting finds groups by code
    with pytest.raises(ContractError) as refused:
        Connector(suite.connector.db, suite.connector.peers, rules=[rule(when=(same_code(),), target="accounting", into=Into("contacts"))])
    assert "query find_contact" in str(refused.value)


def test_events_are_named_in_the_past_tense():
    class CreateWidget(Event):
        kind: ClassVar[str] = "widgets"

    with pytest.raises(ContractError):
        Contract("accounting", events=(CreateWidget,))


def test_money_is_a_decimal_carried_as_a_string_and_lines_nest():
    class Line(Event):
        kind: ClassVar[str] = "quote-lines"
        amount: Money

    class QuoteSent(Event):
        kind: ClassVar[str] = "quotes"
        total: Money
        lines: list[Line]

    sent = QuoteSent(id=1, code="BG1", total=Decimal("1234567.89"), lines=[{"id": 10, "amount": "0.10"}, {"id": 11, "amount": "1234567.79"}])
    carried = json.loads(sent.model_dump_json())
    assert carried["total"] == "1234567.89"
    assert carried["lines"][0]["amount"] == "0.10"
    back = QuoteSent.model_validate(carried)
    assert back.lines[0].amount + back.lines[1].amount == back.total


def test_an_accounting_customer_event_reads_as_its_typed_model(suite, api):
    api.ok("post", "/api/v1/accounting/customer-groups", 201, json={"code": "SI", "name": "Khách sỉ"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "Khách 1", "group_code": "SI"})
    with suite.databases["accounting"].reader() as session:
        row = session.scalars(select(Outbox).where(Outbox.type == "CustomerCreated")).one()
    event = accounting_events.CustomerCreated.model_validate(row.data)
    assert (event.code, event.group.code) == ("KH1", "SI")
