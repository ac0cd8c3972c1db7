"""The web UI against cross-site request forgery (issue 6, item 9): every POST of the UI
carries the session's CSRF token and, when the browser says where it comes from, comes
from this server. The real forms keep working (tests/browser/test_ui.py)."""

from __future__ import annotations

import re

import pytest

from lienthong.kernel.i18n import t
from tests.conftest import ADMIN

SAME = "http://testserver"
FOREIGN = "https://evil.example"


@pytest.fixture
def browser(client):
    """The TestClient as a signed-in browser: its cookie jar holds the session."""
    r = client.post("/", data={"token": ADMIN}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def token_of(client, page: str = "/ui/accounting/customers") -> str:
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(page).text).group(1)


def customer_codes(api) -> list[str]:
    return [c["code"] for c in api.ok("get", "/api/v1/accounting/customers")["items"]]


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    cookie = client.post("/", data={"token": ADMIN}, follow_redirects=False).headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()


@pytest.mark.parametrize("token", [None, "", "0" * 64], ids=["no token", "empty", "wrong"])
def test_a_post_with_the_cookie_but_without_the_right_token_is_refused_and_creates_nothing(browser, api, token):
    data = {"code": "CSRF01", "name": "Giả mạo"}
    if token is not None:
        data["csrf_token"] = token
    r = browser.post("/ui/accounting/customers", data=data, headers={"Accept-Language": "en"}, follow_redirects=False)
    assert r.status_code == 403
    assert r.json()["detail"] == t("forbidden.csrf", "en")
    assert customer_codes(api) == []


@pytest.mark.parametrize("header", ["origin", "referer"])
def test_a_post_from_a_foreign_origin_is_refused_even_with_the_token(browser, api, header):
    data = {"code": "CSRF01", "name": "Giả mạo", "csrf_token": token_of(browser)}
    r = browser.post("/ui/accounting/customers", data=data, headers={header: f"{FOREIGN}/form", "Accept-Language": "en"}, follow_redirects=False)
    assert r.status_code == 403
    assert r.json()["detail"] == t("forbidden.origin", "en", origin=f"{FOREIGN}/form")
    assert customer_codes(api) == []


def test_the_form_with_its_token_from_this_origin_creates_the_customer(browser, api):
    data = {"code": "KH01", "name": "Thật", "csrf_token": token_of(browser)}
    r = browser.post("/ui/accounting/customers", data=data, headers={"origin": SAME}, follow_redirects=False)
    assert r.status_code == 303
    assert customer_codes(api) == ["KH01"]


def test_htmx_sends_the_token_as_a_header(browser):
    r = browser.post("/ui/connections/1/steps/1", headers={"HX-Request": "true", "X-CSRF-Token": token_of(browser)})
    assert r.status_code == 200


@pytest.mark.parametrize("path", ["/ui/connections", "/ui/connections/1/steps/1", "/ui/connections/1/steps/2?preview=true", "/sign-out"])
def test_every_state_changing_ui_route_checks_the_token(browser, api, path):
    r = browser.post(path, data={"kinds": ["customers"]}, follow_redirects=False)
    assert r.status_code == 403
    assert api.ok("get", "/api/v1/sync/connections")["items"] == []


def test_signing_in_from_a_foreign_origin_is_refused(client):
    r = client.post("/", data={"token": ADMIN}, headers={"origin": FOREIGN}, follow_redirects=False)
    assert r.status_code == 403
    assert "set-cookie" not in r.headers


def test_signing_out_is_a_post_with_the_token(browser):
    r = browser.post("/sign-out", data={"csrf_token": token_of(browser)}, follow_redirects=False)
    assert r.status_code == 303
    assert browser.get("/ui/accounting/customers", follow_redirects=False).headers["location"] == "/?next=%2Fui%2Faccounting%2Fcustomers"


def test_no_page_may_be_framed_by_another_site(client):
    r = client.get("/")
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
