"""Access tokens: listed without their secret, revoked one at a time (issue 6, item 8)."""

from __future__ import annotations

from tests.conftest import ADMIN, Api


def _user_with_tokens(api: Api, code: str, *labels: str) -> tuple[int, list[dict]]:
    user = api.ok("post", "/api/v1/system/users", 201, json={"code": code, "name": code.title(), "role": "sales"})
    made = [api.ok("post", f"/api/v1/system/users/{user['id']}/tokens", 201, json={"label": label}) for label in labels]
    return user["id"], made


def test_a_user_lists_their_tokens_without_the_secret(api):
    user_id, made = _user_with_tokens(api, "minh", "laptop", "phone")
    minh = api.as_(made[0]["token"])
    listed = minh.ok("get", f"/api/v1/system/users/{user_id}/tokens")["items"]
    assert [(t["id"], t["label"]) for t in listed] == [(m["id"], m["label"]) for m in made]
    assert set(minh.ok("get", f"/api/v1/system/users/{user_id}/tokens")) == {"items", "next_cursor"}  # a list as every list is
    assert set(listed[0]) == {"id", "label", "created_at"}
    text = minh.get(f"/api/v1/system/users/{user_id}/tokens").text
    assert made[0]["token"] not in text
    assert made[1]["token"] not in text


def test_the_administrator_lists_their_first_start_token(api):
    me = api.ok("get", "/api/v1/system/me")
    assert [t["label"] for t in api.ok("get", f"/api/v1/system/users/{me['id']}/tokens")["items"]] == ["first start"]


def test_a_user_revokes_their_own_token_and_it_stops_working_at_once(api):
    user_id, (laptop, phone) = _user_with_tokens(api, "minh", "laptop", "phone")
    minh = api.as_(laptop["token"])
    assert minh.delete(f"/api/v1/system/users/{user_id}/tokens/{phone['id']}").status_code == 204
    assert api.as_(phone["token"]).get("/api/v1/system/me").status_code == 401
    assert minh.get("/api/v1/system/me").status_code == 200  # the other token still works
    assert [t["id"] for t in minh.ok("get", f"/api/v1/system/users/{user_id}/tokens")["items"]] == [laptop["id"]]
    again = minh.as_(laptop["token"], lang="en").delete(f"/api/v1/system/users/{user_id}/tokens/{phone['id']}")
    assert (again.status_code, again.json()["detail"]) == (404, f"This user has no token {phone['id']}.")


def test_the_administrator_revokes_anybodys_token(api):
    user_id, (laptop,) = _user_with_tokens(api, "minh", "laptop")
    assert api.delete(f"/api/v1/system/users/{user_id}/tokens/{laptop['id']}").status_code == 204
    assert api.as_(laptop["token"]).get("/api/v1/accounting/customers").status_code == 401


def test_a_token_is_revoked_only_through_its_own_user(api):
    """A token id under another user's path is not found, and stays valid."""
    minh_id, (minh_token,) = _user_with_tokens(api, "minh", "laptop")
    lan_id, _ = _user_with_tokens(api, "lan", "laptop")
    assert api.delete(f"/api/v1/system/users/{lan_id}/tokens/{minh_token['id']}").status_code == 404
    assert api.as_(minh_token["token"]).get("/api/v1/system/me").status_code == 200


def test_another_tenants_administrator_cannot_revoke_our_tokens(api, suite):
    _, other_token = suite.new_tenant("Công ty B")
    me = api.ok("get", "/api/v1/system/me")
    first = api.ok("get", f"/api/v1/system/users/{me['id']}/tokens")["items"][0]
    assert api.as_(other_token).delete(f"/api/v1/system/users/{me['id']}/tokens/{first['id']}").status_code == 404
    assert api.as_(ADMIN).get("/api/v1/system/me").status_code == 200
