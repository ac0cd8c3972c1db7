"""Issue 6, item 1: random create/delete/edit sequences on both sides, drained now and
then, never land a change on a record other than its linked counterpart.

Every record's name is written as ``<its code>.<n>``, and codes never change here, so
a change that reached the wrong record shows as a name whose prefix is another code.
Codes are fresh (accounting ``A<n>``, CRM ``C<n>``): a CRM customer with an
accounting code was made for that accounting customer, one with a CRM code is CRM's own.
"""

from __future__ import annotations

import itertools

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lienthong.accounting.tables import Customer as AccCustomer
from lienthong.crm.tables import Customer as CrmCustomer
from lienthong.web.app import create_app
from tests.conftest import Api, connect, fresh_suite, run_step

ACC = "/api/v1/accounting/customers"
CRM = "/api/v1/crm/customers"

OPS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["acc_create", "crm_create", "drain"]), st.just(0)),
        st.tuples(st.sampled_from(["acc_edit", "acc_delete", "crm_edit", "crm_delete"]), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=25,
)


def _rows(suite, model) -> dict[int, tuple[str, str]]:
    with suite.databases["crm" if model is CrmCustomer else "accounting"].sessions() as session:
        return {r.id: (r.code, r.name) for r in session.execute(select(model.id, model.code, model.name))}


class World:
    """The records made so far and what each id was first seen as."""

    def __init__(self, api, suite):
        self.api, self.suite = api, suite
        self.numbers = itertools.count(1)
        self.codes: dict[tuple[str, int], str] = {}

    def name(self, code: str) -> str:
        return f"{code}.{next(self.numbers)}"

    def alive(self, path: str) -> list[dict]:
        model = AccCustomer if path == ACC else CrmCustomer
        return [{"id": i, "code": c} for i, (c, _) in sorted(_rows(self.suite, model).items())]

    def do(self, op: str, pick: int) -> None:
        api = self.api
        path = ACC if op.startswith("acc") else CRM
        if op == "drain":
            api.drain()
            self.check()
        elif op.endswith("_create"):
            code = f"{'A' if path == ACC else 'C'}{next(self.numbers)}"
            api.ok("post", path, 201, json={"code": code, "name": self.name(code)})
        else:
            records = self.alive(path)
            if not records:
                return
            record = records[pick % len(records)]
            if op.endswith("_edit"):
                api.ok("patch", f"{path}/{record['id']}", json={"name": self.name(record["code"])})
            else:
                api.ok("delete", f"{path}/{record['id']}", 204)

    def check(self) -> None:
        acc, crm = _rows(self.suite, AccCustomer), _rows(self.suite, CrmCustomer)
        for app, rows in (("accounting", acc), ("crm", crm)):
            for record_id, (code, name) in rows.items():
                assert self.codes.setdefault((app, record_id), code) == code, (app, record_id, "an id now names another record")
                assert name.rsplit(".", 1)[0] == code, (app, record_id, code, name, "a change landed on a record that is not its counterpart")
        crm_by_code = {code: name for code, name in crm.values()}
        for code, name in acc.values():
            if code in crm_by_code:
                assert crm_by_code[code] == name, (code, "linked pair differs after a drain")
        assert self.api.ok("get", "/api/v1/sync/status")["parked"] == 0


def test_no_change_ever_lands_on_a_record_other_than_its_linked_counterpart(tmp_path):
    examples = itertools.count(1)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(ops=OPS)
    def run(ops):
        with fresh_suite(tmp_path / f"example{next(examples)}") as suite, TestClient(create_app(suite)) as client:
            api = Api(client)
            assert run_step(api, connect(api)["id"], 1)["state"] == "succeeded"
            world = World(api, suite)
            for op, pick in ops:
                world.do(op, pick)
            world.do("drain", 0)

    run()
