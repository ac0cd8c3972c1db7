"""CRM owner tools (issue 9, item 4; seed 000): the "owner is empty" filter (CUS-H2),
handover (CUS-H1), export in the source layout (CUS-X1), import back with the owner
from the file or one user (CUS-X2, CUS-X3), and merge (CUS-C5)."""

from __future__ import annotations

from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from lienthong.crm.tables import Outbox
from lienthong.kernel.i18n import t
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.web.app import create_app
from lienthong.web.limits import BodyLimits
from tests.acceptance.test_crm_sharing import CONTACTS, CUSTOMERS, codes, crm  # noqa: F401 - the fixture
from tests.conftest import Api

HEADER = ["Mã khách hàng", "Tên khách hàng", "Mã số thuế", "Địa chỉ", "Điện thoại", "Email", "Nhóm khách hàng", "Chủ sở hữu"]


def owners(client: Api, path: str = CUSTOMERS) -> dict[str, str | None]:
    return {c["code"]: c["owner_code"] for c in client.ok("get", path)["items"]}


def crm_events(suite, type_: str) -> list:
    """CRM's events of a type, oldest first: (record_code, changed, data)."""
    with UnitOfWork(suite.databases["crm"]) as uow:
        return uow.session.execute(select(Outbox.record_code, Outbox.changed, Outbox.data).where(Outbox.type == type_).order_by(Outbox.id)).all()


# -- CUS-H2 ------------------------------------------------------------------------------------


def test_CUS_H2_the_owner_is_empty_filter_lists_the_customers_with_no_owner(crm):
    assert codes(crm["lan"], owner_empty="true") == {"KH3"}
    assert codes(crm["lan"], owner_empty="false") == {"KH1", "KH2", "KH3"}


def test_CUS_H2_an_owner_empty_filter_that_is_not_true_or_false_is_a_422_naming_it(crm):
    r = crm["lan"].as_(crm["lan"].token, lang="en").get(CUSTOMERS, params={"owner_empty": "maybe"})
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("owner_empty", "bool_parsing")]


# -- CUS-H1 ------------------------------------------------------------------------------------


def handover(client: Api, ids: list[int], assignee: str, kinds=("customers", "contacts")):
    return client.post(f"{CUSTOMERS}/handover", json={"customer_ids": ids, "assignee_code": assignee, "kinds": list(kinds)})


def test_CUS_H1_handover_gives_the_customers_and_their_contacts_to_the_assignee(crm):
    ids = crm["ids"]
    r = handover(crm["lan"], [ids["KH1"], ids["KH3"]], "hoa")
    assert r.status_code == 200
    assert [(c["code"], c["owner_code"]) for c in r.json()["customers"]] == [("KH1", "hoa"), ("KH3", "hoa")]
    assert [(c["code"], c["owner_code"]) for c in r.json()["contacts"]] == [("LH1", "hoa"), ("LH3", "hoa")]
    assert owners(crm["admin"]) == {"KH1": "hoa", "KH2": "hoa", "KH3": "hoa"}
    assert codes(crm["minh"]) == set()  # minh no longer sees what he handed over


def test_CUS_H1_handing_over_only_the_customers_leaves_their_contacts(crm):
    handover(crm["lan"], [crm["ids"]["KH1"]], "hoa", kinds=["customers"])
    assert owners(crm["admin"], CONTACTS)["LH1"] == "minh"


def test_CUS_H1_the_log_says_who_handed_what_to_whom(crm):
    handover(crm["lan"], [crm["ids"]["KH1"]], "hoa")
    log = crm["admin"].ok("get", "/api/v1/crm/owner-changes", params={"kind": "customers", "record_id": crm["ids"]["KH1"]})["items"]
    assert [(e["kind"], e["record_code"], e["from_owner_code"], e["to_owner_code"], e["by_user_code"], e["via"]) for e in log] == [
        ("customers", "KH1", "minh", "hoa", "lan", "handover")
    ]


def test_CUS_H1_each_changed_customer_has_its_update_event_with_the_former_owner(crm, suite):
    handover(crm["lan"], [crm["ids"]["KH1"]], "hoa", kinds=["customers"])
    (event,) = [e for e in crm_events(suite, "CustomerUpdated") if e.record_code == "KH1"]
    assert event.changed["owner_code"] == "minh"
    assert event.data["owner_code"] == "hoa"


def test_CUS_H1_a_sales_user_hands_over_their_own_customer(crm):
    assert handover(crm["minh"], [crm["ids"]["KH1"]], "hoa").status_code == 200
    assert codes(crm["hoa"]) == {"KH1", "KH2"}


def test_CUS_H1_a_sales_user_cannot_hand_over_someone_elses_customer(crm):
    assert handover(crm["minh"], [crm["ids"]["KH1"], crm["ids"]["KH2"]], "minh").status_code == 404
    assert owners(crm["admin"]) == {"KH1": "minh", "KH2": "hoa", "KH3": None}


def test_CUS_H1_an_accountant_may_not_hand_over(crm):
    assert handover(crm["ha"], [crm["ids"]["KH3"]], "hoa").status_code == 403
    assert owners(crm["admin"])["KH3"] is None


def test_CUS_H1_an_unknown_assignee_is_a_422_naming_it_and_changes_nothing(crm):
    r = handover(crm["lan"].as_(crm["lan"].token, lang="en"), [crm["ids"]["KH3"]], "nobody")
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["assignee_code"]
    assert owners(crm["admin"])["KH3"] is None


def test_CUS_H1_an_inactive_assignee_is_a_422_naming_them_and_changes_nothing(crm):
    hoa = crm["admin"].ok("get", "/api/v1/system/users", params={"code": "hoa"})["items"][0]
    crm["admin"].ok("patch", f"/api/v1/system/users/{hoa['id']}", json={"active": False})
    crm["admin"].drain()
    r = handover(crm["lan"].as_(crm["lan"].token, lang="en"), [crm["ids"]["KH3"]], "hoa")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "assignee_code", "code": "inactive", "message": "User hoa is inactive: nothing can be handed over to them."}]
    assert owners(crm["admin"])["KH3"] is None


def test_CUS_H1_an_unknown_kind_of_work_is_a_422_naming_kinds(crm):
    r = crm["lan"].post(f"{CUSTOMERS}/handover", json={"customer_ids": [crm["ids"]["KH3"]], "assignee_code": "hoa", "kinds": ["orders"]})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["kinds.0"]


def test_CUS_H1_another_tenants_customers_are_not_found(crm, suite):
    _, token = suite.new_tenant("Công ty B")
    assert handover(crm["admin"].as_(token), [crm["ids"]["KH3"]], "hoa").status_code == 404
    assert owners(crm["admin"])["KH3"] is None


# -- CUS-X1 ------------------------------------------------------------------------------------


def export(client: Api, body: dict) -> list[tuple]:
    r = client.post(f"{CUSTOMERS}/export", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))


def test_CUS_X1_the_export_has_two_title_rows_then_the_source_header_row(crm):
    rows = export(crm["lan"], {"ids": [crm["ids"]["KH1"]]})
    assert rows[0][0] == "DANH SÁCH KHÁCH HÀNG"
    assert rows[1][0].startswith("Ngày xuất: ")
    assert list(rows[2]) == HEADER
    assert list(rows[3]) == ["KH1", "An Phát", None, None, None, None, None, "minh"]


def test_CUS_X1_the_export_of_a_filter_has_only_its_customers(crm):
    assert [r[0] for r in export(crm["lan"], {"filter": {"owner_empty": True}})[3:]] == ["KH3"]
    assert [r[0] for r in export(crm["lan"], {"filter": {"q": "binh"}})[3:]] == ["KH2"]


def test_CUS_X1_ids_and_a_filter_together_export_the_ticked_customers_the_filter_keeps(crm):
    ids = crm["ids"]
    assert [r[0] for r in export(crm["lan"], {"ids": [ids["KH1"], ids["KH3"]], "filter": {"owner_empty": True}})[3:]] == ["KH3"]


# -- CUS-X2, CUS-X3 ----------------------------------------------------------------------------


def workbook(rows: list[list], titles=("DANH SÁCH KHÁCH HÀNG", "Ngày xuất: 23/11/2026"), header=HEADER) -> bytes:
    wb = Workbook()
    for title in titles:
        wb.active.append([title])
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client: Api, data: bytes, lang: str | None = None, **options):
    return client.as_(client.token, lang=lang).post(f"{CUSTOMERS}/import", files={"file": ("kh.xlsx", data)}, data=options)


def test_CUS_X2_CUS_X3_the_exported_file_with_owners_filled_imports_back_with_its_title_rows(crm):
    """The seed's way 2: filter "owner is empty", export, fill Chủ sở hữu, import with mode
    "Cả hai" and the owner from the file, without deleting the two title rows."""
    r = crm["lan"].post(f"{CUSTOMERS}/export", json={"filter": {"owner_empty": True}})
    wb = load_workbook(BytesIO(r.content))
    wb.active.cell(row=4, column=8, value="hoa")
    out = BytesIO()
    wb.save(out)
    result = upload(crm["lan"], out.getvalue(), mode="upsert", owner_from="file")
    assert result.status_code == 200, result.text
    assert (result.json()["created"], result.json()["updated"]) == (0, 1)
    assert owners(crm["admin"]) == {"KH1": "minh", "KH2": "hoa", "KH3": "hoa"}


def test_CUS_X2_an_owner_set_by_import_is_in_the_owner_log(crm):
    upload(crm["lan"], workbook([["KH3", "Cửu Long", None, None, None, None, None, "hoa"]]), mode="upsert")
    log = crm["admin"].ok("get", "/api/v1/crm/owner-changes", params={"kind": "customers"})["items"]
    assert [(e["record_code"], e["from_owner_code"], e["to_owner_code"], e["via"]) for e in log] == [("KH3", None, "hoa", "import")]


def test_CUS_X2_the_owner_from_one_user_goes_to_every_row(crm):
    rows = [["KH3", "Cửu Long"], ["KH9", "Khách mới"]]
    r = upload(crm["lan"], workbook(rows, header=HEADER[:2]), mode="upsert", owner_from="user", owner_code="minh")
    assert (r.json()["created"], r.json()["updated"]) == (1, 1)
    assert {k: v for k, v in owners(crm["admin"]).items() if k in ("KH3", "KH9")} == {"KH3": "minh", "KH9": "minh"}


def test_CUS_X2_insert_mode_adds_and_update_mode_changes(crm):
    assert upload(crm["lan"], workbook([["KH9", "Khách mới", None, None, None, None, None, "hoa"]]), mode="insert").json()["created"] == 1
    assert upload(crm["lan"], workbook([["KH9", "Khách đổi tên"]], header=HEADER[:2]), mode="update").json()["updated"] == 1
    assert crm["admin"].one(CUSTOMERS, "KH9")["name"] == "Khách đổi tên"
    assert crm["admin"].one(CUSTOMERS, "KH9")["owner_code"] == "hoa"


def test_CUS_X2_a_new_customer_with_a_blank_owner_belongs_to_the_importer(crm):
    upload(crm["minh"], workbook([["KH9", "Khách mới"]], header=HEADER[:2]), mode="insert")
    assert codes(crm["minh"]) == {"KH1", "KH9"}


def test_CUS_X3_a_bad_row_is_reported_with_its_row_column_and_reason_and_the_file_changes_nothing(crm):
    rows = [["KH3", "Cửu Long", None, None, None, None, None, "hoa"], ["KH8", "Khách tám", None, None, None, None, None, "khong-co"]]
    r = upload(crm["lan"], workbook(rows), lang="en", mode="upsert")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "rows[5].owner_code", "code": "unknown_code", "message": "Row 5: Owner: " + t("unknown_code", "en", what=t("kind.users", "en"), code="khong-co")}]
    assert owners(crm["admin"]) == {"KH1": "minh", "KH2": "hoa", "KH3": None}


def test_CUS_X3_a_code_twice_in_the_file_is_reported_at_its_second_row(crm):
    r = upload(crm["lan"], workbook([["KH8", "Tám"], ["kh8", "Tám lần hai"]], header=HEADER[:2]), mode="upsert")
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("rows[5].code", "duplicate")]
    assert "KH8" not in codes(crm["admin"])


def test_CUS_X3_a_file_that_is_not_xlsx_is_a_422_naming_the_file(crm):
    r = upload(crm["lan"], b"not a workbook", mode="upsert")
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["file"]


def test_CUS_X3_a_file_without_the_header_row_is_a_422_naming_the_file(crm):
    r = upload(crm["lan"], workbook([["KH8", "Tám"]], header=["Cột A", "Cột B"]), mode="upsert")
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("file", "no_header")]


def test_CUS_X2_an_unknown_fixed_owner_is_a_422_naming_owner_code(crm):
    r = upload(crm["lan"], workbook([["KH8", "Tám"]], header=HEADER[:2]), mode="upsert", owner_from="user", owner_code="khong-co")
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["owner_code"]
    assert "KH8" not in codes(crm["admin"])


@pytest.mark.parametrize("option, value", [("mode", "replace"), ("owner_from", "nowhere")])
def test_CUS_X2_an_unknown_option_is_a_422_naming_it(crm, option, value):
    r = upload(crm["lan"], workbook([["KH8", "Tám"]], header=HEADER[:2]), **{option: value})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [option]


def test_CUS_S1_an_import_may_not_change_someone_elses_customer(crm):
    r = upload(crm["minh"], workbook([["KH2", "Đổi tên"]], header=HEADER[:2]), mode="upsert")
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("rows[4].code", "not_yours")]
    assert crm["admin"].one(CUSTOMERS, "KH2")["name"] == "Bình Minh"


def test_CUS_X2_an_accountant_may_not_import_crm_customers(crm):
    assert upload(crm["ha"], workbook([["KH8", "Tám"]], header=HEADER[:2])).status_code == 403


def test_CUS_X3_an_upload_over_the_size_limit_is_a_413_and_changes_nothing(suite, crm):
    with TestClient(create_app(suite, limits=BodyLimits(upload=4096))) as small:
        r = Api(small, crm["lan"].token).post(f"{CUSTOMERS}/import", files={"file": ("kh.xlsx", b"0" * 10_000)})
    assert r.status_code == 413
    assert codes(crm["admin"]) == {"KH1", "KH2", "KH3"}


# -- CUS-C5 ------------------------------------------------------------------------------------


def merge(client: Api, survivor: int, merged: list[int], values: dict | None = None, lang: str | None = None):
    return client.as_(client.token, lang=lang).post(f"{CUSTOMERS}/merge", json={"survivor_id": survivor, "merged_ids": merged, "values": values or {}})


def test_CUS_C5_merge_keeps_the_survivor_with_the_chosen_values_moves_contacts_and_deletes_the_others(crm):
    ids = crm["ids"]
    r = merge(crm["lan"], ids["KH1"], [ids["KH3"]], {"name": ids["KH3"], "owner_code": ids["KH1"]})
    assert r.status_code == 200, r.text
    assert (r.json()["customer"]["code"], r.json()["customer"]["name"], r.json()["customer"]["owner_code"]) == ("KH1", "Cửu Long", "minh")
    assert [c["code"] for c in r.json()["moved_contacts"]] == ["LH3"]
    assert codes(crm["admin"]) == {"KH1", "KH2"}
    assert {c["code"]: c["customer_code"] for c in crm["admin"].ok("get", CONTACTS)["items"]} == {"LH1": "KH1", "LH2": "KH2", "LH3": "KH1"}


def test_CUS_C5_the_survivor_may_take_a_merged_customers_code(crm):
    ids = crm["ids"]
    assert merge(crm["lan"], ids["KH1"], [ids["KH3"]], {"code": ids["KH3"]}).json()["customer"]["code"] == "KH3"


def test_CUS_C5_the_merged_customers_deletion_names_the_survivor_for_the_connector(crm, suite):
    ids = crm["ids"]
    merge(crm["lan"], ids["KH1"], [ids["KH3"]])
    (deleted,) = crm_events(suite, "CustomerDeleted")
    assert (deleted.record_code, deleted.changed) == ("KH3", {"merged_into": {"id": ids["KH1"], "code": "KH1"}})


def test_CUS_C5_the_survivor_updates_its_linked_accounting_customer(connected):
    api = connected
    api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH10", "name": "Tên cũ"})
    api.drain()
    survivor = api.one(CUSTOMERS, "KH10")
    other = api.ok("post", CUSTOMERS, 201, json={"code": "KH11", "name": "Tên đúng", "phone": "0912345678"})
    assert merge(api, survivor["id"], [other["id"]], {"name": other["id"], "phone": other["id"]}).status_code == 200
    api.drain()
    assert (api.one("/api/v1/accounting/customers", "KH10")["name"], api.one("/api/v1/accounting/customers", "KH10")["phone"]) == ("Tên đúng", "0912345678")


@pytest.mark.parametrize(
    "merged, values, field",
    [([], {}, "merged_ids"), ([2, 3, 4], {}, "merged_ids"), (["KH1"], {}, "merged_ids"), (["KH2"], {"colour": "KH1"}, "values.colour"), (["KH2"], {"name": "KH3"}, "values.name")],
    ids=["nothing merged", "four customers", "survivor merged into itself", "unknown field", "value from outside the merge"],
)
def test_CUS_C5_a_bad_merge_is_a_422_naming_the_field_and_changes_nothing(crm, merged, values, field):
    ids = crm["ids"]
    as_id = lambda v: ids[v] if isinstance(v, str) else v  # noqa: E731
    r = merge(crm["lan"], ids["KH1"], [as_id(m) for m in merged], {k: as_id(v) for k, v in values.items()})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]][:1] == [field]
    assert codes(crm["admin"]) == {"KH1", "KH2", "KH3"}


def test_CUS_C5_a_sales_user_cannot_merge_someone_elses_customer(crm):
    assert merge(crm["minh"], crm["ids"]["KH1"], [crm["ids"]["KH2"]]).status_code == 404
    assert codes(crm["admin"]) == {"KH1", "KH2", "KH3"}


def test_CUS_C5_an_accountant_may_not_merge(crm):
    assert merge(crm["ha"], crm["ids"]["KH1"], [crm["ids"]["KH2"]]).status_code == 403


def test_deleting_a_customer_keeps_its_contacts_each_with_its_update_event(crm, suite):
    crm["admin"].ok("delete", f"{CUSTOMERS}/{crm['ids']['KH1']}", 204)
    assert crm["admin"].ok("get", f"{CONTACTS}/{crm['ids']['LH1']}")["customer_code"] is None
    assert [(code, changed) for code, changed, _ in crm_events(suite, "ContactUpdated")] == [("LH1", {"customer_id": crm["ids"]["KH1"], "customer_code": "KH1"})]
