"""Fixtures: a fresh suite per test (SQLite files in tmp, or PostgreSQL schemas when
LIENTHONG_TEST_DATABASE_URL is set), and an HTTP client speaking API.md."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from lienthong.bootstrap import Suite
from lienthong.web.app import create_app

ADMIN = "test-admin-token-0123456789abcdef"
PG_URL = os.environ.get("LIENTHONG_TEST_DATABASE_URL")


@contextmanager
def fresh_suite(data_dir):
    """A new suite (its own SQLite files, or its own PostgreSQL schemas), gone afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    s = Suite.open(data_dir=data_dir, url=PG_URL, admin_token=ADMIN, schema_prefix=prefix, backoff=(0.01, 0.01))
    try:
        yield s
    finally:
        s.close()
        if PG_URL:
            from sqlalchemy import create_engine, text

            engine = create_engine(PG_URL)
            with engine.begin() as conn:
                for name in s.databases:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}_{name}" CASCADE'))
            engine.dispose()


@pytest.fixture
def suite(tmp_path):
    with fresh_suite(tmp_path / "data") as s:
        yield s


class Api:
    """A client of the HTTP API acting as one user (the administrator by default)."""

    def __init__(self, client: TestClient, token: str = ADMIN, lang: str | None = None):
        self.client = client
        self.token = token
        self.lang = lang

    def headers(self, extra=None):
        h = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if self.lang:
            h["Accept-Language"] = self.lang
        return {**h, **(extra or {})}

    def get(self, path, **kw):
        return self.client.get(path, headers=self.headers(kw.pop("headers", None)), **kw)

    def post(self, path, **kw):
        return self.client.post(path, headers=self.headers(kw.pop("headers", None)), **kw)

    def patch(self, path, **kw):
        return self.client.patch(path, headers=self.headers(kw.pop("headers", None)), **kw)

    def delete(self, path, **kw):
        return self.client.delete(path, headers=self.headers(kw.pop("headers", None)), **kw)

    def as_(self, token: str | None, lang: str | None = None) -> "Api":
        return Api(self.client, token, lang)

    # -- shortcuts for scenarios ---------------------------------------------------------
    def ok(self, method: str, path: str, status: int = 200, **kw):
        r = getattr(self, method)(path, **kw)
        assert r.status_code == status, (r.status_code, r.text)
        return r.json() if r.content else None

    def drain(self):
        return self.ok("post", "/api/v1/sync/drain?timeout=30")

    def log(self, **filters):
        return self.ok("get", "/api/v1/sync/log", params={"limit": 500, **filters})["items"]

    def one(self, path: str, code: str):
        items = self.ok("get", path, params={"code": code})["items"]
        assert len(items) <= 1, items
        return items[0] if items else None


@pytest.fixture
def client(suite):
    with TestClient(create_app(suite)) as c:
        yield c


@pytest.fixture
def api(client):
    return Api(client)


def connect(api: Api, kinds=None) -> dict:
    body = {"apps": ["accounting", "crm"]}
    if kinds is not None:
        body["kinds"] = kinds
    return api.ok("post", "/api/v1/sync/connections", 201, json=body)


def run_step(api: Api, connection_id: int, step: int) -> dict:
    import time

    api.ok("post", f"/api/v1/sync/connections/{connection_id}/steps/{step}", 202)
    for _ in range(500):
        state = api.ok("get", f"/api/v1/sync/connections/{connection_id}/steps/{step}")
        if state["state"] not in ("running", "pending"):
            return state
        time.sleep(0.02)
    raise AssertionError("step did not finish")


@pytest.fixture
def people(api):
    """Employees NV01 (Hồ Trang, tied to user trang) and NV02 (no user), synced."""
    api.ok("post", "/api/v1/system/employees", 201, json={"code": "NV01", "name": "Hồ Trang"})
    api.ok("post", "/api/v1/system/employees", 201, json={"code": "NV02", "name": "Lê Minh"})
    api.ok("post", "/api/v1/system/users", 201, json={"code": "trang", "name": "Hồ Trang", "role": "sales", "employee_code": "NV01"})
    api.drain()
    return api


@pytest.fixture
def connected(people):
    """Accounting connected with CRM (every kind), step 1 done."""
    conn = connect(people)
    assert run_step(people, conn["id"], 1)["state"] == "succeeded"
    people.connection = conn
    return people
