"""Bad input never answers 500 or plain text; big bodies are refused early and never stall the server."""

from __future__ import annotations

import base64
import json
import threading

import pytest
from fastapi.testclient import TestClient

from lienthong.kernel import routing
from lienthong.web.app import create_app
from lienthong.web.limits import BodyLimits
from tests.conftest import ADMIN, Api

PROBLEM = "application/problem+json"
BAD_INTEGERS = ["9223372036854775808", "99999999999999999999999999", "-1", "0", "abc", "1.5", "1e3"]
INTEGER_QUERY_BOUNDS = {"limit": "500"}  # the largest valid value where it is not 2^63-1


def _operations(client):
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield path, method, op


def _id_paths(client):
    for path, method, op in _operations(client):
        for param in op.get("parameters", []):
            if param["in"] == "path" and param["schema"].get("type") == "integer":
                yield path, method, param["name"], [p["name"] for p in op["parameters"] if p["in"] == "path"]


def _integer_queries(client):
    for path, method, op in _operations(client):
        for param in op.get("parameters", []):
            schema = param["schema"]
            types = [schema.get("type")] + [s.get("type") for s in schema.get("anyOf", [])]
            if param["in"] == "query" and "integer" in types:
                yield path, method, param["name"]


def _call(api: Api, method: str, url: str):
    kwargs = {"json": {}} if method in ("post", "patch") else {}
    return getattr(api.client, method)(url, headers=api.headers(), **kwargs)


def test_every_integer_path_parameter_refuses_bad_values_with_a_422_naming_it(api):
    """Issue 6, item 10: every route, every {id}: out of range, negative, zero, malformed."""
    walked = 0
    for path, method, name, names in _id_paths(api.client):
        for bad in BAD_INTEGERS:
            url = path
            for other in names:
                url = url.replace("{" + other + "}", bad if other == name else "1")
            r = _call(api, method, url)
            assert r.status_code == 422, (method, url, r.status_code, r.text)
            assert r.headers["content-type"].startswith(PROBLEM), (method, url)
            assert name in [e["field"] for e in r.json()["errors"]], (method, url, r.json())
            walked += 1
    assert walked >= 18 * len(BAD_INTEGERS)


def test_every_integer_query_parameter_refuses_bad_values_with_a_422_naming_it(api):
    """Issue 6, item 10: ?record_id=, ?limit=, ... on every route that takes them."""
    walked = 0
    for path, method, name in _integer_queries(api.client):
        url = path.replace("{connection_id}", "1").replace("{step}", "1")
        for bad in BAD_INTEGERS:
            if name in INTEGER_QUERY_BOUNDS and bad in ("1e3",):
                bad = str(int(INTEGER_QUERY_BOUNDS[name]) + 1)
            r = _call(api, method, f"{url}?{name}={bad}")
            assert r.status_code == 422, (method, url, name, bad, r.status_code, r.text)
            assert r.headers["content-type"].startswith(PROBLEM), (method, url, name, bad)
            assert name in [e["field"] for e in r.json()["errors"]], (method, url, name, r.json())
            walked += 1
    assert walked >= 8 * len(BAD_INTEGERS)


@pytest.mark.parametrize("raw", [str(2**63), "-5", "abc", "99999999999999999999999999999"])
def test_every_cursor_refuses_what_this_api_did_not_make(api, raw):
    """Issue 6, item 10: ?cursor= on every list route."""
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    lists = [path for path, method, op in _operations(api.client) if method == "get" and any(p["name"] == "cursor" for p in op.get("parameters", []))]
    assert len(lists) >= 8
    for path in lists:
        r = api.get(path, params={"cursor": cursor})
        assert r.status_code == 422, (path, r.status_code, r.text)
        assert r.headers["content-type"].startswith(PROBLEM), path
        assert [e["field"] for e in r.json()["errors"]] == ["cursor"], path


def test_an_unexpected_error_is_a_problem_json_500(suite, monkeypatch):
    """Issue 6, item 10: the last resort is problem+json, never plain text."""
    from lienthong.accounting import customers

    def broken(**_):
        raise RuntimeError("boom")

    monkeypatch.setattr(customers.CUSTOMERS, "get", lambda *a, **k: broken())
    with TestClient(create_app(suite), raise_server_exceptions=False) as client:
        r = client.get("/api/v1/accounting/customers/1", headers={"Authorization": f"Bearer {ADMIN}", "Accept-Language": "en"})
    assert r.status_code == 500
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["detail"] == "The server met an unexpected error."


def test_invalid_utf8_is_a_400_problem_naming_the_body(api):
    """Issue 6, item 13: the 400 for a body that is not UTF-8 is a documented problem."""
    r = api.post("/api/v1/accounting/customers", content=b'{"code": "\xff", "name": "A"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["errors"][0]["field"] == "body"


# -- item 11: body sizes ------------------------------------------------------------------


def _unknown_keys(n: int) -> bytes:
    return json.dumps({"code": "KH1", "name": "A", **{f"k{i}": 1 for i in range(n)}}).encode()


@pytest.fixture
def roomy(suite):
    """A server whose JSON limit lets a 5 MB body in (the default refuses it)."""
    with TestClient(create_app(suite, BodyLimits(json=8 * 1024 * 1024))) as client:
        yield Api(client)


def test_a_json_body_over_the_limit_is_a_413_naming_the_limit(suite):
    with TestClient(create_app(suite, BodyLimits(json=1000))) as client:
        api = Api(client, lang="en")
        r = api.post("/api/v1/accounting/customers", json={"code": "KH1", "name": "A" * 2000})
        assert r.status_code == 413
        assert r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["detail"] == "The request body is larger than the limit of 1000 bytes."
        assert api.ok("get", "/api/v1/accounting/customers")["items"] == []


def test_a_body_sent_without_a_length_is_counted_and_refused(suite):
    def chunks():
        for _ in range(20):
            yield b" " * 100
        yield b'{"code": "KH1", "name": "A"}'

    with TestClient(create_app(suite, BodyLimits(json=1000))) as client:
        r = Api(client).post("/api/v1/accounting/customers", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        assert r.headers["content-type"].startswith(PROBLEM)


def test_uploads_have_their_own_limit(suite):
    with TestClient(create_app(suite, BodyLimits(json=1000, upload=100_000))) as client:
        api = Api(client)
        small = api.post("/api/v1/accounting/customers/import", files={"file": ("kh.xlsx", b"x" * 5000, "application/octet-stream")})
        big = api.post("/api/v1/accounting/customers/import", files={"file": ("kh.xlsx", b"x" * 200_000, "application/octet-stream")})
    assert small.status_code == 422  # read (not a workbook), not refused for its size
    assert big.status_code == 413


def test_the_default_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LIENTHONG_MAX_JSON_BYTES", "2048")
    monkeypatch.setenv("LIENTHONG_MAX_UPLOAD_BYTES", "4096")
    limits = BodyLimits.from_env()
    assert (limits.json, limits.upload) == (2048, 4096)


def test_400000_unknown_keys_give_a_short_422(roomy):
    """Issue 6, item 11: 4.7 MB of unknown keys under the limit: at most 50 errors, a small body."""
    r = roomy.as_(ADMIN, "en").post("/api/v1/accounting/customers", content=_unknown_keys(400_000), headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert len(r.json()["errors"]) == 50
    assert r.json()["detail"] == "Invalid input (400000 errors; the first 50 are listed)."
    assert len(r.content) < 20_000


def test_a_small_body_with_many_errors_lists_only_the_first_50(api):
    r = api.as_(ADMIN, "en").post("/api/v1/accounting/customers", json={"code": "KH1", "name": "A", **{f"k{i}": 1 for i in range(120)}})
    assert r.status_code == 422
    assert len(r.json()["errors"]) == 50
    assert r.json()["detail"] == "Invalid input (120 errors; the first 50 are listed)."


def test_healthz_answers_while_a_big_body_is_handled(roomy, monkeypatch):
    """Issue 6, item 11: parsing and checking a big body does not hold the event loop.

    The check of the big body is held at a gate until ``/healthz`` has answered: had the
    check run on the event loop, ``/healthz`` could only answer after the gate opened by
    itself (after 30 s), so the answer would come after the check went on."""
    checking, gate, went_on = threading.Event(), threading.Event(), threading.Event()
    parse_and_check = routing._parse_and_check

    def held(*args):
        checking.set()
        gate.wait(timeout=30)
        went_on.set()
        return parse_and_check(*args)

    monkeypatch.setattr(routing, "_parse_and_check", held)
    statuses = []
    worker = threading.Thread(target=lambda: statuses.append(roomy.post("/api/v1/accounting/customers", content=_unknown_keys(400_000), headers={"Content-Type": "application/json"}).status_code))
    worker.start()
    assert checking.wait(timeout=60)
    health = roomy.client.get("/healthz").status_code
    answered_while_held = not went_on.is_set()
    gate.set()
    worker.join()
    assert (health, answered_while_held, statuses) == (200, True, [422])


# -- query strings ---------------------------------------------------------------------------


@pytest.mark.parametrize("path, name", [("/api/v1/accounting/customers", "q"), ("/api/v1/accounting/customers", "code"), ("/api/v1/system/users", "role"), ("/api/v1/sync/log", "code")])
def test_a_control_character_in_a_query_is_a_422_naming_it(api, path, name):
    """NUL in ?code= was a 500 on PostgreSQL."""
    r = api.as_(ADMIN, "en").get(path, params={name: "a\x00b"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": name, "code": "control_chars", "message": "Must not contain control characters (such as NUL)."}]


def test_an_unknown_query_parameter_is_a_422_naming_it(api):
    r = api.get("/api/v1/accounting/customers", params={"colour": "red"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["colour"]


def test_a_query_parameter_given_twice_is_a_422_naming_it(api):
    r = api.as_(ADMIN, "en").get("/api/v1/accounting/customers?code=KH1&code=KH2")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "code", "code": "repeated", "message": "This parameter may be given only once."}]


@pytest.mark.parametrize("depth", [20_000, 100_000])  # under and over the size parsed off the event loop
def test_json_nested_deeper_than_the_parser_goes_is_a_malformed_body_not_a_500(api, depth):
    r = api.as_(ADMIN, "en").post("/api/v1/accounting/customers", content="[" * depth + "]" * depth, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "body", "code": "malformed", "message": "The request body is not valid JSON."}]


def test_a_name_of_only_invisible_characters_is_blank(api):
    r = api.as_(ADMIN, "en").post("/api/v1/accounting/customers", json={"code": "KH-ZW", "name": "\u200b\u200e"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "name", "code": "string_too_short", "message": "Must not be empty."}]
