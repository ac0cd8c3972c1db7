"""The manual-sync screens over HTTP: "Đồng bộ thủ công" (administrator), "Lấy về"
(accountant) and "Chuẩn hóa dữ liệu" (manager): the records to tick, preview and run
with the outcome per record, a whole kind with its progress line, refusals in words."""

from __future__ import annotations

import re

import pytest

from lienthong.sync.pages import _jobs
from tests.acceptance.test_manual_sync import add, before, codes, team  # noqa: F401 - fixtures
from tests.acceptance.test_screen_forms import post, signed_in


def rows(html: str) -> list[str]:
    """The codes of the records listed to tick."""
    return re.findall(r'<tr data-code="([^"]+)" data-id="\d+">\s*<td class="tick-col">', html)


def outcome_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr class="outcome outcome-(\w+)" data-code="([^"]+)">', html)


def test_CUS_C6_lay_ve_lists_the_crm_customers_not_yet_in_accounting(before, client):
    admin = before["admin"]
    admin.ok("post", "/api/v1/sync/pull", json={"kind": "customers", "from": "crm", "ids": [before["ids"]["KC1"]]})
    signed_in(client, before["ha"].token)
    page = client.get("/ui/sync/pull")
    assert page.status_code == 200
    assert rows(page.text) == ["KC2"]


def test_CUS_C6_lay_ve_previews_then_pulls_the_ticked_customers(before, client):
    csrf = signed_in(client, before["ha"].token)
    form = {"mode": "pull", "kind": "customers", "from": "crm", "ids": [str(before["ids"]["KC1"])]}
    preview = post(client, "/ui/sync/run", csrf, preview="true", **form)
    assert outcome_rows(preview.text) == [("created", "KC1")]
    assert codes(before["admin"], "accounting", "customers") == ["KH1", "KH2"]
    run = post(client, "/ui/sync/run", csrf, **form)
    assert outcome_rows(run.text) == [("created", "KC1")]
    assert "Lấy về: đã tạo khách hàng KC1 trên Kế toán." in run.text
    assert codes(before["admin"], "accounting", "customers") == ["KC1", "KH1", "KH2"]


def test_CUS_C6_chuan_hoa_lists_accounting_records_never_synced_by_kind(before, client):
    signed_in(client, before["lan"].token)
    assert rows(client.get("/ui/sync/normalise?kind=products").text) == ["HH1"]
    assert rows(client.get("/ui/sync/normalise?kind=customers").text) == ["KH1", "KH2"]


def test_CON_9_a_whole_kind_runs_with_a_progress_line_then_its_outcome(before, client):
    csrf = signed_in(client)
    started = client.post("/ui/sync/run", data={"csrf_token": csrf, "mode": "manual", "kind": "customers", "from": "accounting", "all": "true"}, headers={"origin": "http://testserver", "HX-Request": "true"})
    job = re.search(r'hx-get="/ui/sync/jobs/(\w+)"', started.text).group(1)
    _jobs[job]["thread"].join()  # the background run's end, whatever the machine's load
    done = client.get(f"/ui/sync/jobs/{job}")
    assert outcome_rows(done.text) == [("created", "KH1"), ("created", "KH2")]


def test_CON_9_the_manual_screen_is_the_administrators(before, client):
    signed_in(client, before["minh"].token)
    page = client.get("/ui/sync/manual?lang=en")
    assert "The role sales staff may not run a manual sync: only administrators may." in page.text
    assert rows(page.text) == []


def test_CUS_C6_a_manager_may_not_use_lay_ve_and_nothing_is_pulled(before, client):
    csrf = signed_in(client, before["lan"].token)
    r = post(client, "/ui/sync/run?lang=en", csrf, mode="pull", kind="customers", ids=[str(before["ids"]["KC1"])], **{"from": "crm"})
    assert r.status_code == 403
    assert "only administrators and accountants may" in r.text
    assert codes(before["admin"], "accounting", "customers") == ["KH1", "KH2"]


def test_CON_9_running_with_nothing_ticked_says_what_to_choose(before, client):
    csrf = signed_in(client)
    r = post(client, "/ui/sync/run", csrf, mode="manual", kind="customers", **{"from": "accounting"})
    assert r.status_code == 422
    assert "Hãy chọn bản ghi (ids) hoặc lấy tất cả (all: true)." in r.text


def test_CON_9_another_users_run_is_not_found(before, client):
    _jobs["x" * 32] = {"id": "x" * 32, "tenant": "other", "user": "someone", "done": 0, "total": 0, "result": None, "problem": None}
    signed_in(client)
    assert client.get(f"/ui/sync/jobs/{'x' * 32}").status_code == 404


@pytest.mark.parametrize(("who", "link"), [("ha", "/ui/sync/pull?kind=customers&amp;from=crm"), ("lan", "/ui/sync/normalise")])
def test_CUS_C6_the_customer_lists_lead_to_their_pull_screen(before, client, who, link):
    signed_in(client, before[who].token)
    app = "accounting" if who == "ha" else "crm"
    assert f'href="{link}"' in client.get(f"/ui/{app}/customers").text
