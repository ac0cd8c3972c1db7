"""Vietnamese text and data quality (issue 6, items 12 and 20): NFC, hidden characters,
search without case or diacritics, LIKE wildcards, tax codes, phones, codes without case."""

from __future__ import annotations

import unicodedata

import pytest

from lienthong.kernel import text

ACC = "/api/v1/accounting/customers"
CRM = "/api/v1/crm/customers"
PROBLEM = "application/problem+json"


def _codes(api, path: str, **params) -> list[str]:
    return [c["code"] for c in api.ok("get", path, params=params)["items"]]


def _error(r, field: str) -> dict:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    return next(e for e in r.json()["errors"] if e["field"] == field)


@pytest.mark.parametrize("path", [ACC, CRM])
@pytest.mark.parametrize("q", ["duc", "Đức", "ĐỨC", "đuc", "van duc", unicodedata.normalize("NFD", "Đức")])
def test_search_ignores_case_and_diacritics(api, path, q):
    """Item 12: users type without diacritics; SQLite's lower() is ASCII only."""
    api.ok("post", path, 201, json={"code": "KH1", "name": "Nguyễn Văn Đức"})
    api.ok("post", path, 201, json={"code": "KH2", "name": "Trần Thị Dung"})
    assert _codes(api, path, q=q) == ["KH1"]


def test_search_finds_tax_codes_phones_and_emails(api):
    api.ok("post", ACC, 201, json={"code": "KH1", "name": "An", "tax_code": "0101234567", "phone": "0912 345 678", "email": "an@example.vn"})
    api.ok("post", ACC, 201, json={"code": "KH2", "name": "Bình"})
    assert _codes(api, ACC, q="01012345") == ["KH1"]
    assert _codes(api, ACC, q="345 678") == ["KH1"]
    assert _codes(api, ACC, q="AN@EXAMPLE") == ["KH1"]


@pytest.mark.parametrize("q", ["%", "_", "\\", "K_1", "%1"])
def test_like_wildcards_in_q_are_plain_characters(api, q):
    """Item 12: ?q=% and ?q=_ matched everything."""
    api.ok("post", ACC, 201, json={"code": "KH1", "name": "An"})
    api.ok("post", ACC, 201, json={"code": "KH2", "name": "Giảm 50%_x\\y"})
    expected = ["KH2"] if q in ("%", "_", "\\") else []
    assert _codes(api, ACC, q=q) == expected


def test_search_works_for_every_searchable_list(api):
    api.ok("post", "/api/v1/system/employees", 201, json={"code": "NV1", "name": "Lê Đức Thọ"})
    api.ok("post", "/api/v1/crm/contacts", 201, json={"code": "LH1", "name": "Phạm Đức"})
    api.ok("post", "/api/v1/accounting/customer-groups", 201, json={"code": "G1", "name": "Đại lý"})
    assert _codes(api, "/api/v1/system/employees", q="duc") == ["NV1"]
    assert _codes(api, "/api/v1/crm/contacts", q="DUC") == ["LH1"]
    assert _codes(api, "/api/v1/accounting/customer-groups", q="dai ly") == ["G1"]


def test_nfc_and_nfd_spellings_are_one_code(api):
    """Item 12: NFC and NFD spellings of KHỒ1 were two different customers."""
    nfd = unicodedata.normalize("NFD", "KHỒ1")
    made = api.ok("post", ACC, 201, json={"code": nfd, "name": unicodedata.normalize("NFD", "Nguyễn Văn Đức")})
    assert made["code"] == unicodedata.normalize("NFC", "KHỒ1")
    assert made["name"] == unicodedata.normalize("NFC", "Nguyễn Văn Đức")
    r = api.post(ACC, json={"code": unicodedata.normalize("NFC", "KHỒ1"), "name": "B"})
    assert r.status_code == 409


@pytest.mark.parametrize("code", ["KH\u200b1", "KH\u200f1", "KH\u202e1", "KH\x001", "KH\ufeff1", "KH\x1b1"])
def test_codes_refuse_hidden_and_control_characters(api, code):
    """Item 12: zero-width spaces, right-to-left marks and NUL were accepted inside codes."""
    r = api.as_(api.token, "en").post(ACC, json={"code": code, "name": "A"})
    assert _error(r, "code")["message"].startswith("Wrong code format: letters (Vietnamese too), digits and ASCII symbols only")
    assert api.ok("get", ACC)["items"] == []


@pytest.mark.parametrize("code", ["KH\u20281", "KH\u20291", "KH\u00a01", "KH 1", "KH\u4e001", "KH\U0001f6001"])
def test_codes_refuse_spaces_separators_and_other_scripts(api, code):
    r = api.as_(api.token, "en").post(ACC, json={"code": code, "name": "A"})
    assert _error(r, "code")["message"].startswith("Wrong code format")


@pytest.mark.parametrize("code", ["KHỒ1", "KH-HN/01", "NV_01.A", "ĐẠI-LÝ#1"])
def test_codes_take_vietnamese_letters_and_ascii_symbols(api, code):
    assert api.ok("post", ACC, 201, json={"code": code, "name": "A"})["code"] == code


@pytest.mark.parametrize("field", ["name", "address", "email", "phone"])
def test_any_text_field_refuses_control_characters(api, field):
    r = api.as_(api.token, "en").post(ACC, json={"code": "KH1", "name": "A", field: "ab\x00c"})
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]
    assert api.ok("get", ACC)["items"] == []


def test_a_name_refuses_nul_with_a_message_in_vietnamese(api):
    r = api.post(ACC, json={"code": "KH1", "name": "An\x00"})
    assert _error(r, "name")["message"] == "Không được chứa ký tự điều khiển (như NUL)."


def test_free_text_keeps_its_line_breaks(api):
    made = api.ok("post", ACC, 201, json={"code": "KH1", "name": "A", "address": "Số 1\nHà Nội"})
    assert made["address"] == "Số 1\nHà Nội"


# -- item 20: data quality -------------------------------------------------------------------


@pytest.mark.parametrize("tax_code", ["0101234567", "0101234567-001", "001085012345"])
def test_valid_tax_codes_are_accepted(api, tax_code):
    """A company (10 digits), its branch (-3 digits), a person's 12-digit id (since 2025)."""
    assert api.ok("post", ACC, 201, json={"code": "KH1", "name": "A", "tax_code": tax_code})["tax_code"] == tax_code


@pytest.mark.parametrize("tax_code", ["123", "01012345678", "0101234567-01", "0101234567001", "ABC1234567", "0101 234 567"])
def test_bad_tax_codes_are_refused(api, tax_code):
    """Item 20: tax code 123 was accepted."""
    r = api.as_(api.token, "en").post(ACC, json={"code": "KH1", "name": "A", "tax_code": tax_code})
    assert _error(r, "tax_code")["message"].startswith("A tax code is 10 digits")
    assert api.ok("get", ACC)["items"] == []


@pytest.mark.parametrize("phone", ["0912345678", "0912 345 678", "091.234.5678", "+84 912-345-678", "(028) 3822 1234", "19001234"])
def test_vietnamese_phone_numbers_are_accepted(api, phone):
    assert api.ok("post", CRM, 201, json={"code": "KH1", "name": "A", "phone": phone})["phone"] == phone


@pytest.mark.parametrize("phone", ["gọi anh Tuấn", "0912", "0912abc678", "84+912345678", "+84 9123 4567 8901 234"])
def test_bad_phone_numbers_are_refused(api, phone):
    """Item 20: phone 'gọi anh Tuấn' was accepted."""
    r = api.as_(api.token, "en").post(CRM, json={"code": "KH1", "name": "A", "phone": phone})
    assert _error(r, "phone")["message"].startswith("A phone number has 8 to 15 digits")


def test_an_empty_tax_code_or_phone_clears_it(api):
    made = api.ok("post", ACC, 201, json={"code": "KH1", "name": "A", "tax_code": "0101234567", "phone": "0912345678"})
    cleared = api.ok("patch", f"{ACC}/{made['id']}", json={"tax_code": "", "phone": ""})
    assert (cleared["tax_code"], cleared["phone"]) == (None, None)


@pytest.mark.parametrize(
    "path, body",
    [
        (ACC, {"name": "B"}),
        (CRM, {"name": "B"}),
        ("/api/v1/crm/contacts", {"name": "B"}),
        ("/api/v1/accounting/customer-groups", {"name": "B"}),
        ("/api/v1/crm/customer-groups", {"name": "B"}),
        ("/api/v1/system/employees", {"name": "B"}),
        ("/api/v1/system/users", {"name": "B"}),
    ],
)
def test_codes_are_unique_without_case_in_every_app(api, path, body):
    """Item 20: ' kh00003 ' was accepted beside KH00003."""
    api.ok("post", path, 201, json={"code": "KH00003", **body})
    r = api.post(path, json={"code": " kh00003 ", **body})
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "code"


def test_a_code_may_change_its_own_case(api):
    made = api.ok("post", ACC, 201, json={"code": "kh1", "name": "A"})
    assert api.ok("patch", f"{ACC}/{made['id']}", json={"code": "KH1"})["code"] == "KH1"


def test_the_code_filter_ignores_case(api):
    api.ok("post", ACC, 201, json={"code": "KH00003", "name": "A"})
    assert _codes(api, ACC, code="kh00003") == ["KH00003"]


def test_a_case_variant_is_not_synced_as_another_customer(connected):
    """Item 20: KH00003 in CRM, then kh00003 made in accounting, became two CRM customers."""
    api = connected
    api.ok("post", CRM, 201, json={"code": "KH00003", "name": "Của CRM"})
    r = api.post(ACC, json={"code": "KH00003", "name": "Của kế toán"})
    assert r.status_code == 201
    api.ok("post", ACC, 409, json={"code": " kh00003 ", "name": "Bản sao"})
    api.drain()
    assert len(api.ok("get", CRM, params={"code": "KH00003"})["items"]) == 1


def test_fold_and_code_key():
    assert text.fold("Nguyễn Văn ĐỨC") == "nguyen van duc"
    assert text.code_key(" Kh00003 ") == "kh00003"
    assert text.code_key(unicodedata.normalize("NFD", "KHỒ1")) == text.code_key("khồ1")


# -- e-mail addresses, checked by email-validator since issue 7 (item 6) ------------------------


@pytest.mark.parametrize("email", ["an@example.vn", "user+tag@gmail.com", "nguyễn@công-ty.vn", "AN@EXAMPLE.VN"])
def test_valid_emails_are_kept_as_typed(api, email):
    assert api.ok("post", ACC, 201, json={"code": "KH1", "name": "A", "email": f" {email} "})["email"] == email


@pytest.mark.parametrize("email", ["a..b@example.vn", "an@-example.vn", "an@example.test", "an@example.vn.", "an@example.123", ".an@example.vn"])
def test_emails_the_former_pattern_let_through_are_refused_naming_the_field(api, email):
    """The hand-written pattern only asked for something@something.something."""
    r = api.post(ACC, json={"code": "KH1", "name": "A", "email": email})
    assert r.status_code == 422
    assert _error(r, "email")["message"] == "Email không hợp lệ."
    assert api.ok("get", ACC)["items"] == []


def test_a_refused_email_reads_in_english_on_request(api):
    r = api.as_(api.token, "en").patch(f"{ACC}/{api.ok('post', ACC, 201, json={'code': 'KH1', 'name': 'A'})['id']}", json={"email": "a..b@example.vn"})
    assert r.status_code == 422
    assert _error(r, "email")["message"] == "Not a valid email address."
    assert api.ok("get", ACC)["items"][0]["email"] is None


def test_a_blank_email_clears_it(api):
    made = api.ok("post", ACC, 201, json={"code": "KH1", "name": "A", "email": "an@example.vn"})
    assert api.ok("patch", f"{ACC}/{made['id']}", json={"email": "  "})["email"] is None
