"""CON-3 step 2 and the Decision of SPEC section 1: when a code is on both sides, the
records are linked and the side that owns the kind (accounting, for catalogs) wins;
the preview shows each field it will overwrite, and the run does what the preview said."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN, run_step

COUNTS = ("created", "linked", "updated", "unchanged", "skipped", "failed")
X1_CONFLICTS = [
    {"kind": "customers", "code": "X1", "field": "name", "values": {"accounting": "Công ty Kế toán", "crm": "Công ty CRM"}, "winner": "accounting"},
    {"kind": "customers", "code": "X1", "field": "phone", "values": {"accounting": "0901000001", "crm": None}, "winner": "accounting"},
]


@pytest.fixture
def both_sides(connected):
    """X1 in both apps with different values, X2 only in accounting, X3 only in CRM."""
    api = connected
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "X1", "name": "Công ty Kế toán", "phone": "0901000001"})
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "X2", "name": "Chỉ có ở Kế toán"})
    api.ok("post", "/api/v1/crm/customers", 201, json={"code": "X1", "name": "Công ty CRM"})
    api.ok("post", "/api/v1/crm/customers", 201, json={"code": "X3", "name": "Chỉ có ở CRM"})
    return api


def step_2(api, preview: bool = False) -> dict:
    cid = api.connection["id"]
    if preview:
        return api.ok("post", f"/api/v1/sync/connections/{cid}/steps/2?preview=true")
    return run_step(api, cid, 2)


def counts(body: dict) -> dict:
    return {k: body["summary"][k] for k in COUNTS}


def test_CON_3_the_preview_lists_each_field_the_step_overwrites(both_sides):
    assert step_2(both_sides, preview=True)["summary"]["conflicts"] == X1_CONFLICTS


def test_CON_3_the_run_reports_the_conflicts_the_preview_listed(both_sides):
    step_2(both_sides, preview=True)
    assert step_2(both_sides)["summary"]["conflicts"] == X1_CONFLICTS


def test_CON_3_the_preview_counts_what_the_run_does(both_sides):
    expected = {"created": 2, "linked": 1, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    assert counts(step_2(both_sides, preview=True)) == expected
    assert counts(step_2(both_sides)) == expected


def test_CON_3_the_winning_side_is_written(both_sides):
    step_2(both_sides)
    assert both_sides.one("/api/v1/crm/customers", "X1")["name"] == "Công ty Kế toán"


def test_CON_3_a_rerun_previews_no_conflict_once_both_sides_agree(both_sides):
    step_2(both_sides)
    again = step_2(both_sides, preview=True)["summary"]
    assert (again["conflicts"], again["unchanged"]) == ([], 3)  # X1, X2 and X3, each a linked pair


def test_CON_3_progress_counts_each_record_once(both_sides):
    """Four records, of which X1's two are one pair: three things done."""
    assert step_2(both_sides)["progress"] == {"done": 3, "total": 3}


def test_CON_3_the_openapi_describes_a_steps_conflicts(both_sides):
    spec = both_sides.ok("get", "/openapi.json")
    conflict = spec["components"]["schemas"]["StepConflict"]
    assert sorted(conflict["properties"]) == ["code", "field", "kind", "values", "winner"]
    summary = spec["components"]["schemas"]["StepSummary"]["properties"]["conflicts"]
    assert summary["items"] == {"$ref": "#/components/schemas/StepConflict"}
    step = spec["paths"]["/api/v1/sync/connections/{connection_id}/steps/{step}"]["get"]
    assert step["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/StepRead"}


@pytest.mark.parametrize(
    ("lang", "heading", "winner"),
    [("vi", "Giá trị khác nhau giữa hai bên: 2", "<td>Kế toán</td>"), ("en", "Values that differ between the two sides: 2", "<td>Accounting</td>")],
)
def test_CON_3_the_step_summary_on_screen_shows_the_conflicts(both_sides, client, lang, heading, winner):
    step_2(both_sides)
    client.cookies.set("lt_session", ADMIN)
    html = client.get(f"/ui/connections/{both_sides.connection['id']}/steps/2?lang={lang}").text
    assert heading in html
    assert '<td class="winner">Công ty Kế toán</td><td>Công ty CRM</td>' in html
    assert winner in html
