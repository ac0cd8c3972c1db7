"""Sign in as a person (issue 9, item 1): a password set by the administrator or from a
one-time link, kept as an argon2id hash; sign-in gives a session cookie that
authenticates the API and the pages; sign-out, a new password, deactivating or
deleting the user end it at once; five wrong passwords in a row slow the account down."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lienthong.kernel.i18n import t
from lienthong.kernel.tables import utcnow
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.system.tables import Session, User
from tests.conftest import Api

PASSWORD = "mật-khẩu-đủ-dài"
SIGN_IN = "/api/v1/system/sign-in"


@pytest.fixture
def minh(api: Api) -> dict:
    return api.ok("post", "/api/v1/system/users", 201, json={"code": "minh", "name": "Minh", "role": "sales", "password": PASSWORD})


def sign_in(client, code="minh", password=PASSWORD, **kw):
    return client.post(SIGN_IN, json={"code": code, "password": password}, **kw)


def csrf(response) -> dict:
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def _stored(suite, code: str) -> User:
    with UnitOfWork(suite.databases["system"]) as uow:
        user = uow.session.scalar(select(User).where(User.code == code))
        uow.session.expunge(user)
        return user


def _lock_passed(suite, code: str) -> None:
    """As if the account's pause were over (no test waits 30 s)."""
    with UnitOfWork(suite.databases["system"]) as uow:
        uow.session.execute(update(User).where(User.code == code).values(locked_until=utcnow() - timedelta(seconds=1)))
        uow.commit()


def test_the_user_signs_in_with_code_and_password_and_the_cookie_authenticates_the_api(client, minh):
    r = sign_in(client)
    assert r.status_code == 200
    assert r.json()["user"] == {"id": minh["id"], "code": "minh", "name": "Minh", "role": "sales"}
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("lt_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert client.get("/api/v1/system/me").json()["code"] == "minh"


def test_the_password_is_kept_as_an_argon2id_hash_and_never_shown(api, suite, minh):
    assert _stored(suite, "minh").password_hash.startswith("$argon2id$")
    assert minh["has_password"] is True
    assert PASSWORD not in api.get(f"/api/v1/system/users/{minh['id']}").text


def test_the_session_secret_is_stored_only_as_a_hash(client, suite, minh):
    secret = sign_in(client).cookies["lt_session"]
    with UnitOfWork(suite.databases["system"]) as uow:
        stored = uow.session.scalars(select(Session.secret_hash)).all()
    assert len(stored) == 1
    assert secret not in stored[0]


@pytest.mark.parametrize("code, password", [("minh", "sai-mat-khau"), ("khong-co", PASSWORD)], ids=["wrong password", "unknown code"])
def test_a_wrong_password_or_code_is_a_401_that_does_not_tell_which(client, minh, code, password):
    r = sign_in(client, code, password, headers={"Accept-Language": "en"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "Wrong user code or password."
    assert "set-cookie" not in r.headers


def test_an_inactive_user_cannot_sign_in(api, client, minh):
    api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"active": False})
    assert sign_in(client).status_code == 401


def test_five_wrong_passwords_in_a_row_slow_the_account_down_more_each_time(client, suite, minh):
    assert [sign_in(client, password="sai-mat-khau").status_code for _ in range(5)] == [401] * 5
    paused = sign_in(client, headers={"Accept-Language": "en"})  # even the right password waits
    assert paused.status_code == 429
    assert paused.headers["Retry-After"] == "30"
    assert paused.json()["detail"] == t("sign_in.slowed_down", "en", retry=30)
    _lock_passed(suite, "minh")
    assert sign_in(client, password="sai-mat-khau").status_code == 401
    assert sign_in(client).headers["Retry-After"] == "60"


def test_the_right_password_after_the_pause_resets_the_count(client, suite, minh):
    for _ in range(5):
        sign_in(client, password="sai-mat-khau")
    _lock_passed(suite, "minh")
    assert sign_in(client).status_code == 200
    assert _stored(suite, "minh").failed_sign_ins == 0
    assert [sign_in(client, password="sai-mat-khau").status_code for _ in range(4)] == [401] * 4
    assert sign_in(client).status_code == 200


def test_four_wrong_passwords_do_not_slow_the_account_down(client, minh):
    for _ in range(4):
        sign_in(client, password="sai-mat-khau")
    assert sign_in(client).status_code == 200


def test_a_change_made_with_the_cookie_needs_the_csrf_token(client, api, minh):
    api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"role": "manager"})
    r = sign_in(client)
    refused = client.post("/api/v1/crm/customers", json={"code": "KH01", "name": "An"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == t("forbidden.csrf", "vi")
    assert api.ok("get", "/api/v1/crm/customers")["items"] == []
    assert client.post("/api/v1/crm/customers", json={"code": "KH01", "name": "An"}, headers=csrf(r)).status_code == 201


def test_a_change_made_with_the_cookie_from_another_site_is_refused(client, api, minh):
    api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"role": "manager"})
    r = sign_in(client)
    refused = client.post("/api/v1/crm/customers", json={"code": "KH01", "name": "An"}, headers={**csrf(r), "Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert api.ok("get", "/api/v1/crm/customers")["items"] == []


def test_sign_out_ends_the_session(client, minh):
    r = sign_in(client)
    secret = r.cookies["lt_session"]
    assert client.post("/api/v1/system/sign-out", headers=csrf(r)).status_code == 204
    client.cookies.set("lt_session", secret)  # a copy kept by someone
    assert client.get("/api/v1/system/me").status_code == 401


def test_sign_out_without_the_csrf_token_is_refused_and_the_session_lives(client, minh):
    sign_in(client)
    assert client.post("/api/v1/system/sign-out").status_code == 403
    assert client.get("/api/v1/system/me").status_code == 200


@pytest.mark.parametrize("change", ["deactivate", "delete", "new password"])
def test_the_sessions_of_a_deactivated_or_deleted_user_or_of_a_new_password_die_at_once(api, client, minh, change):
    sign_in(client)
    if change == "deactivate":
        api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"active": False})
    elif change == "delete":
        api.ok("delete", f"/api/v1/system/users/{minh['id']}", 204)
    else:
        api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"password": "mot-mat-khau-moi"})
    assert client.get("/api/v1/system/me").status_code == 401


def test_a_reactivated_user_signs_in_again_rather_than_reviving_the_old_session(api, client, minh):
    sign_in(client)
    api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"active": False})
    api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"active": True})
    assert client.get("/api/v1/system/me").status_code == 401


def test_a_too_short_password_is_refused_naming_the_field_and_creates_nobody(api):
    r = api.as_(api.token, lang="en").post("/api/v1/system/users", json={"code": "lan", "name": "Lan", "password": "short"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "password", "code": "too_short", "message": "A password needs at least 8 characters."}]
    assert api.ok("get", "/api/v1/system/users", params={"code": "lan"})["items"] == []


def test_the_user_sets_their_password_from_a_one_time_link(api, client):
    lan = api.ok("post", "/api/v1/system/users", 201, json={"code": "lan", "name": "Lan", "role": "manager"})
    assert lan["has_password"] is False
    link = api.ok("post", f"/api/v1/system/users/{lan['id']}/password-link", 201)
    assert link["url"] == f"/password?token={link['token']}"
    assert client.post("/api/v1/system/password", json={"token": link["token"], "password": PASSWORD}).status_code == 204
    assert sign_in(client, "lan").status_code == 200


def test_a_password_link_works_once(api, client):
    lan = api.ok("post", "/api/v1/system/users", 201, json={"code": "lan", "name": "Lan"})
    token = api.ok("post", f"/api/v1/system/users/{lan['id']}/password-link", 201)["token"]
    client.post("/api/v1/system/password", json={"token": token, "password": PASSWORD})
    again = client.post("/api/v1/system/password", json={"token": token, "password": "another-password"}, headers={"Accept-Language": "en"})
    assert again.status_code == 404
    assert again.json()["errors"][0]["field"] == "token"
    assert sign_in(client, "lan", "another-password").status_code == 401


def test_a_newer_password_link_replaces_the_older(api, client):
    lan = api.ok("post", "/api/v1/system/users", 201, json={"code": "lan", "name": "Lan"})
    old = api.ok("post", f"/api/v1/system/users/{lan['id']}/password-link", 201)["token"]
    api.ok("post", f"/api/v1/system/users/{lan['id']}/password-link", 201)
    assert client.post("/api/v1/system/password", json={"token": old, "password": PASSWORD}).status_code == 404


def test_only_the_administrator_makes_password_links(api, client, minh):
    api.ok("patch", f"/api/v1/system/users/{minh['id']}", json={"role": "manager"})
    r = sign_in(client)
    refused = client.post(f"/api/v1/system/users/{minh['id']}/password-link", headers={**csrf(r), "Accept-Language": "en"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == t("forbidden.password_link", "en", role=t("role.manager", "en"))


def test_another_tenants_administrator_cannot_make_a_link_for_our_user(api, suite, minh):
    _, other = suite.new_tenant("Công ty B")
    assert api.as_(other).post(f"/api/v1/system/users/{minh['id']}/password-link").status_code == 404


def test_the_same_code_in_two_tenants_signs_in_to_the_tenant_whose_password_matches(api, suite, client, minh):
    tenant_b, other = suite.new_tenant("Công ty B")
    api.as_(other).ok("post", "/api/v1/system/users", 201, json={"code": "minh", "name": "Minh B", "role": "sales", "password": "mat-khau-cong-ty-b"})
    r = sign_in(client, password="mat-khau-cong-ty-b")
    assert (r.json()["tenant_id"], r.json()["user"]["name"]) == (tenant_b, "Minh B")
    assert client.get("/api/v1/system/me").json()["tenant_id"] == tenant_b


def test_api_tokens_still_work_for_scripts(api, minh):
    token = api.ok("post", f"/api/v1/system/users/{minh['id']}/tokens", 201)["token"]
    assert api.as_(token).ok("get", "/api/v1/system/me")["code"] == "minh"


# -- the web pages ---------------------------------------------------------------------------


def test_the_sign_in_page_signs_in_with_code_and_password(client, minh):
    r = client.post("/", data={"code": "minh", "password": PASSWORD, "next": "/ui/crm/customers"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/ui/crm/customers")
    assert client.get("/ui/crm/customers", follow_redirects=False).status_code == 200


def test_the_sign_in_page_shows_a_wrong_password_and_sets_no_cookie(client, minh):
    r = client.post("/?lang=en", data={"code": "minh", "password": "sai-mat-khau"}, follow_redirects=False)
    assert r.status_code == 401
    assert "Wrong user code or password." in r.text
    assert "lt_session" not in r.headers.get("set-cookie", "")


def test_the_sign_in_page_says_when_the_account_is_slowed_down(client, minh):
    for _ in range(5):
        client.post("/", data={"code": "minh", "password": "sai-mat-khau"})
    r = client.post("/?lang=en", data={"code": "minh", "password": PASSWORD}, follow_redirects=False)
    assert (r.status_code, r.headers["Retry-After"]) == (429, "30")
    assert t("sign_in.slowed_down", "en", retry=30) in r.text


def test_the_password_page_sets_the_password_from_the_link(api, client):
    lan = api.ok("post", "/api/v1/system/users", 201, json={"code": "lan", "name": "Lan"})
    token = api.ok("post", f"/api/v1/system/users/{lan['id']}/password-link", 201)["token"]
    assert 'name="token" value="%s"' % token in client.get(f"/password?token={token}").text
    r = client.post("/password", data={"token": token, "password": PASSWORD}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/?password_set=1")
    assert sign_in(client, "lan").status_code == 200


def test_the_password_page_shows_a_too_short_password_next_to_the_field(api, client):
    lan = api.ok("post", "/api/v1/system/users", 201, json={"code": "lan", "name": "Lan"})
    token = api.ok("post", f"/api/v1/system/users/{lan['id']}/password-link", 201)["token"]
    r = client.post("/password?lang=en", data={"token": token, "password": "short"})
    assert r.status_code == 422
    assert "A password needs at least 8 characters." in r.text


def test_signing_out_on_the_page_ends_the_session(client, minh):
    client.post("/", data={"code": "minh", "password": PASSWORD})
    secret = client.cookies["lt_session"]
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/ui/crm/customers").text).group(1)
    assert client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    client.cookies.set("lt_session", secret)
    assert client.get("/api/v1/system/me").status_code == 401


@pytest.mark.parametrize("role, landing", [("admin", "/ui/connections"), ("accountant", "/ui/accounting/customers"), ("manager", "/ui/crm/customers"), ("sales", "/ui/crm/customers")])
def test_after_sign_in_each_role_lands_on_its_own_first_page(api, client, role, landing):
    """Before: everybody landed on the connections, a page only the administrator may open."""
    api.ok("post", "/api/v1/system/users", 201, json={"code": "lan", "name": "Lan", "role": role, "password": PASSWORD})
    r = client.post("/", data={"code": "lan", "password": PASSWORD}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, landing)
    assert client.get(landing, follow_redirects=False).status_code == 200


def test_a_next_page_outside_the_screens_is_not_followed(client, minh):
    r = client.post("/", data={"code": "minh", "password": PASSWORD, "next": "//evil.example/ui/"}, follow_redirects=False)
    assert r.headers["location"] == "/ui/crm/customers"
