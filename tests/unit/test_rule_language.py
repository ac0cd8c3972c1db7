"""The rule language and its one interpreter (issue 7, item 1): rules are declarations,
precedence is declared, and the live sync and the first sync map a record alike."""

from __future__ import annotations

import pytest

from lienthong.sync.engine import Batch, Ctx, bulk_command, decide
from lienthong.sync.rules import EVENT_RULES, RULEBOOK, in_precedence, undeclared
from lienthong.sync.rules.base import Action, FieldMap, Into, Note, On, Rule, because, linked, merged, status_in
from lienthong.sync.rules.bulk import PASSES

TENANT = "t1"


def ctx_for(kind: str, verb: str, data: dict, *, source: str = "accounting", changed: dict | None = None, links: dict | None = None, found: dict | None = None) -> Ctx:
    """A change as the interpreter sees it, every question answered beforehand (no database)."""
    batch = Batch.new()
    batch.catalog_links.update(links or {})
    batch.found.update(found or {})
    prefix = {"customers": "Customer", "widgets": "Widget", "employees": "Employee"}[kind]
    change = {"tenant_id": TENANT, "source_app": source, "kind": kind, "type": f"{prefix}{verb}", "event_id": "e1", "record_id": data["id"], "data": data, "changed": changed or {}}
    connections = {(TENANT, frozenset(("accounting", "crm"))): {"customers", "widgets"}}
    return Ctx(session=None, peers={"accounting": None, "crm": None, "system": None}, connections=connections, change=change, batch=batch, bulk=True)


def test_every_two_rules_that_can_answer_one_event_declare_which_goes_first():
    assert undeclared(RULEBOOK) == []


def test_two_rules_answering_one_event_without_a_declared_precedence_are_found():
    on = On("accounting", ("widgets",), ("Created",))
    first = Rule("T-1", "một", "one", on=on, target="crm")
    second = Rule("T-2", "hai", "two", on=on, target="crm")
    assert undeclared([first, second]) == [("T-1", "T-2")]
    declared = Rule("T-2", "hai", "two", on=on, target="crm", after=(first,))
    assert undeclared([first, declared]) == []


def test_rules_are_tried_in_declared_precedence_not_list_position():
    on = On("accounting", ("widgets",), ("Created",))
    first = Rule("T-1", "một", "one", on=on, target="crm")
    second = Rule("T-2", "hai", "two", on=on, target="crm", after=(first,))
    assert [r.id for r in in_precedence([second, first])] == ["T-1", "T-2"]
    assert [r.id for r in EVENT_RULES].index("CUS-A5") < [r.id for r in EVENT_RULES].index("CUS-A3")


def test_a_rule_of_many_counterparts_must_name_its_part_key():
    with pytest.raises(ValueError):
        Rule("T-3", "ba", "three", on=On("accounting", ("widgets",), ("Created",)), cardinality="many")
    with pytest.raises(ValueError):
        Rule("T-4", "bốn", "four", action="merge")


def test_a_field_map_renames_maps_values_converts_and_adds_constants():
    fields = FieldMap(copy=("code",), rename={"title": "name"}, value_map={"size": {"L": "large"}}, convert={"price": lambda v: f"{v:.2f}"}, constants={"source": "kt"})
    fields_rule = Rule("T-5", "năm", "five", on=On("accounting", ("widgets",), ("Created",)), target="crm", action="create", fields=fields, into=Into("customers"), needs_connection=False)
    data = {"id": 7, "code": "W1", "title": "Bánh", "size": "L", "price": 3.5}
    [action] = decide(ctx_for("widgets", "Created", data), [fields_rule])
    assert action.command == "create_customer"
    assert action.args == {"values": {"code": "W1", "name": "Bánh", "size": "large", "price": "3.50", "source": "kt"}}


def test_delete_and_set_status_act_on_the_linked_record_only():
    on = On("accounting", ("widgets",), ("Deleted", "Updated"))
    gone = Rule("T-6", "sáu", "six", on=On("accounting", ("widgets",), ("Deleted",)), target="crm", action="delete", into=Into("customers"), needs_connection=False)
    status = Rule("T-7", "bảy", "seven", on=on, target="crm", when=(status_in("done"),), action="set_status", fields=FieldMap(value_map={"status": {"done": "closed"}}), needs_connection=False, after=(gone,))
    link = {("accounting", "widgets", "crm"): {("widgets", 7): ("customers", 70)}}
    [deleted] = decide(ctx_for("widgets", "Deleted", {"id": 7, "code": "W1"}, links=link), [gone, status])
    assert (deleted.command, deleted.args) == ("delete_customer", {"target_id": 70})
    [closed] = decide(ctx_for("widgets", "Updated", {"id": 7, "code": "W1", "status": "done"}, links=link), [gone, status])
    assert (closed.command, closed.args) == ("set_customer_status", {"target_id": 70, "status": "closed"})
    [unlinked] = decide(ctx_for("widgets", "Updated", {"id": 8, "code": "W2", "status": "done"}, links=link), [gone, status])
    assert (unlinked.rule.id, unlinked.outcome) == ("T-7", "skipped")
    assert decide(ctx_for("widgets", "Updated", {"id": 7, "code": "W1", "status": "open"}, links=link), [gone, status]) == []


def test_a_guard_that_fails_lets_the_next_rule_answer():
    on = On("accounting", ("widgets",), ("Updated",))
    update = Rule("T-8", "tám", "eight", on=on, target="crm", when=(linked(),), action="update", fields=FieldMap(copy=("code",)), into=Into("customers"), needs_connection=False)
    skip = Rule("T-9", "chín", "nine", on=on, target="crm", needs_connection=False, after=(update,))
    [note] = decide(ctx_for("widgets", "Updated", {"id": 9, "code": "W9"}), [update, skip])
    assert isinstance(note, Note)
    assert (note.rule.id, note.outcome) == ("T-9", "skipped")


def test_CUS_A1_the_live_rule_and_the_first_sync_map_a_customer_alike():
    """One interpreter: the first sync's command for a new customer carries the values
    the live rule sends, from the same field map (group along, owner from salesperson)."""
    customer = {"id": 5, "code": "KH5", "name": "Khách 5", "tax_code": None, "address": None, "phone": "0901", "email": None, "is_individual": False, "group": {"id": 3, "code": "SI", "name": "Sỉ", "description": None}, "group_code": "SI", "salesperson_code": "NV01"}
    links = {("accounting", "customer-groups", "crm"): {("customer-groups", 3): ("customer-groups", 30)}}
    found = {(TENANT, "crm", "user_for_employee", "NV01"): {"id": 11, "code": "trang", "active": True}}
    live = [d for d in decide(ctx_for("customers", "Created", customer, links=links, found=found)) if isinstance(d, Action)]
    bulk = next(p for p in PASSES if (p.source, p.kind, p.target) == ("accounting", "customers", "crm"))
    name, args, notes = bulk_command(ctx_for("customers", "Created", customer, links=links, found=found), bulk, None)
    assert [(a.rule.id, a.command) for a in live] == [("CUS-A1", "create_customer")]
    assert name == "create_customer"
    assert args == live[0].args
    assert args["values"]["group_id"] == 30
    assert args["values"]["owner_id"] == 11
    assert [(n.rule.id, n.outcome) for n in notes] == [("CUS-OWN-1", "applied")]


def test_CUS_A7_an_individual_becomes_a_contact_in_both_the_live_sync_and_the_first_sync():
    person = {"id": 6, "code": "CN6", "name": "Chị Sáu", "is_individual": True, "group": None, "salesperson_code": None}
    [live] = [d for d in decide(ctx_for("customers", "Created", person)) if isinstance(d, Action)]
    bulk = next(p for p in PASSES if (p.source, p.kind, p.target) == ("accounting", "customers", "crm"))
    name, args, _ = bulk_command(ctx_for("customers", "Created", person), bulk, None)
    assert (live.command, live.target_kind) == ("create_contact", "contacts")
    assert [n.rule.id for n in live.notes] == ["CUS-OWN-1", "CUS-A7"]
    assert (name, args) == (live.command, live.args)


def test_keep_updates_the_linked_record_else_creates_it():
    keep = Rule("T-10", "mười", "ten", on=On("accounting", ("widgets",), ("Created", "Updated")), target="crm", action="keep", only_changed=True,
                fields=FieldMap(copy=("code", "name")), into=Into("customers"), reasons={"updated": ("sửa", "updated")}, needs_connection=False)
    link = {("accounting", "widgets", "crm"): {("widgets", 7): ("customers", 70)}}
    [updated] = decide(ctx_for("widgets", "Updated", {"id": 7, "code": "W1", "name": "Mới"}, changed={"name": "Cũ"}, links=link), [keep])
    assert (updated.command, updated.args, updated.reason) == ("update_customer", {"target_id": 70, "values": {"name": "Mới"}}, "updated")
    [created] = decide(ctx_for("widgets", "Updated", {"id": 8, "code": "W2", "name": "Hai"}, changed={"name": "Cũ"}, links=link), [keep])
    assert (created.command, created.args, created.reason) == ("create_customer", {"values": {"code": "W2", "name": "Hai"}}, None)


def test_a_skip_guard_names_the_reason_the_skip_gives():
    gone = Rule("T-11", "mười một", "eleven", on=On("accounting", ("widgets",), ("Updated", "Merged")), target="crm", action="keep", into=Into("customers"),
                skip_when=(because(merged(), "merged"),), reasons={"merged": ("gộp", "merged")}, needs_connection=False)
    [note] = decide(ctx_for("widgets", "Merged", {"id": 7, "code": "W1"}), [gone])
    assert (note.outcome, note.reason) == ("skipped", "merged")
    [kept] = decide(ctx_for("widgets", "Updated", {"id": 7, "code": "W1"}), [gone])
    assert kept.command == "create_customer"
