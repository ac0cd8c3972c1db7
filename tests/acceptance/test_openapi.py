"""The API description matches the answers (issue 6, items 13 and 22): a schemathesis run
over /openapi.json with every check, timestamps with a time zone, offline /docs, bearer auth."""

from __future__ import annotations

import re

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from lienthong.web.app import create_app
from tests.conftest import ADMIN, fresh_suite

UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    """One installation for the whole schemathesis run (a suite per example would be slow)."""
    with fresh_suite(tmp_path_factory.mktemp("fuzz") / "data") as suite:
        app = create_app(suite)
        # Built once here, so that schemathesis' 10 s read timeout on /openapi.json never
        # measures the building of the schema on a loaded machine.
        app.openapi()
        yield app


MAX_EXAMPLES = 5
AUTH = {"Authorization": f"Bearer {ADMIN}"}
# References by code in a body ("salesperson_code": "NV404") are checked against the data:
# a code of no record is a 422 (API.md, ENG-7), which no schema can express. So are the
# groups and items of a price policy (products by code, of those groups) and the ids of
# the records a merge takes.
REFERENCES = {"group_code", "salesperson_code", "owner_code", "employee_code", "product_group_code", "product_group_codes", "items", "merged_ids"}


def _data_dependent(operation) -> bool:
    """Whether a request valid by the schema may still be refused for what the data holds:
    a reference by code, an uploaded workbook that must be a real .xlsx, the pairs of apps
    that can be connected, a manual sync (connected apps, ids of records). For these the "positive data accepted" check is left out (and
    only that check): a 422 there is the documented answer, not a drift."""
    body = operation.definition.raw.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in body or operation.path == "/api/v1/sync/connections":
        return True
    if operation.path in ("/api/v1/sync/push", "/api/v1/sync/pull"):  # the apps must be connected, the ids records of the tenant
        return True
    schema = body.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = operation.schema.raw_schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return bool(REFERENCES & set(schema.get("properties", {})))


def test_every_operation_answers_as_described(fuzzed_app):
    """Every check schemathesis has (server errors, status codes, content types, headers,
    response schemas, negative data rejected, positive data accepted, ...) over every
    operation, as the administrator, in-process against the ASGI app, with a few examples
    each (well under a minute in all). The schemathesis pytest plugin's lazy loader does not
    work with pytest 9, so the operations are walked here with Hypothesis directly."""
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    failures = []
    for result in api.get_all_operations():
        operation = result.ok()
        excluded = [positive_data_acceptance] if _data_dependent(operation) else []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
            def check(case):
                case.call_and_validate(headers=AUTH, excluded_checks=excluded)

            try:
                check()
            except (AssertionError, BaseExceptionGroup) as exc:  # collect every failure, then fail once
                # A group (Hypothesis' "flaky" failure among them) says what failed only in its parts.
                parts = "; ".join(str(e) for e in exc.exceptions) if isinstance(exc, BaseExceptionGroup) else ""
                failures.append(f"{mode.value} {operation.label}: {exc} {parts}")
    assert failures == [], "\n\n".join(failures)


def test_get_and_patch_write_timestamps_with_a_time_zone(api):
    """Item 13: GET and PATCH returned created_at/updated_at without a time zone."""
    made = api.ok("post", "/api/v1/accounting/customers", 201, json={"code": "KH1", "name": "A"})
    read = api.ok("get", f"/api/v1/accounting/customers/{made['id']}")
    changed = api.ok("patch", f"/api/v1/accounting/customers/{made['id']}", json={"name": "B"})
    listed = api.ok("get", "/api/v1/accounting/customers")["items"][0]
    for body in (made, read, changed, listed):
        assert UTC.match(body["created_at"]), body
        assert UTC.match(body["updated_at"]), body


def test_connections_and_the_log_write_timestamps_with_a_time_zone(connected):
    api = connected
    assert UTC.match(api.connection["created_at"])
    step = api.ok("get", f"/api/v1/sync/connections/{api.connection['id']}/steps/1")
    assert UTC.match(step["started_at"])
    assert UTC.match(step["finished_at"])
    assert UTC.match(api.log()[0]["at"])


def test_the_step_endpoint_documents_202(client):
    """Item 13: the step endpoints answer 202 but documented 200."""
    responses = client.get("/openapi.json").json()["paths"]["/api/v1/sync/connections/{connection_id}/steps/{step}"]["post"]["responses"]
    assert "202" in responses
    assert "200" in responses  # the preview


def test_every_operation_documents_the_400_for_an_unreadable_body(client):
    """Item 13: a 400 for invalid UTF-8 was not described."""
    for path, item in client.get("/openapi.json").json()["paths"].items():
        for method, op in item.items():
            if "requestBody" in op:
                assert "400" in op["responses"], (method, path)


def test_docs_use_only_local_assets_and_they_load(client):
    """Item 22: /docs was blank without internet (Swagger UI from a CDN)."""
    html = client.get("/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 2
    for url in assets:
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
    assert "SwaggerUIBundle" in html
    assert re.findall(r'"validatorUrl": ([^,]+),', html) == ["null"]  # Swagger UI asks no outside validator


# Signing in and out, and setting a password from a one-time link, come before any token.
PUBLIC = [("post", "/api/v1/system/password"), ("post", "/api/v1/system/sign-in"), ("post", "/api/v1/system/sign-out")]


def test_openapi_declares_bearer_auth_and_operations_require_it(client):
    """Item 22: "Authorize" works in /docs."""
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert [(s["type"], s["scheme"]) for s in schemes.values()] == [("http", "bearer")]
    name = next(iter(schemes))
    unsecured = [(m, p) for p, item in spec["paths"].items() for m, op in item.items() if {name: []} not in op.get("security", [])]
    assert unsecured == PUBLIC


def test_a_non_bearer_authorization_is_our_own_401(client):
    r = client.get("/api/v1/accounting/customers", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_the_docs_page_renders_offline(suite):
    """The Swagger UI bundle is the installed one (no network needed at any point)."""
    with TestClient(create_app(suite)) as client:
        js = client.get("/docs-static/swagger-ui-bundle.js")
    assert js.status_code == 200
    assert len(js.content) > 500_000
