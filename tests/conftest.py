"""Fixtures: a fresh suite per test (SQLite files in tmp, or PostgreSQL schemas when
LIENTHONG_TEST_DATABASE_URL is set), and an HTTP client speaking API.md."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from lienthong.bootstrap import Suite
from lienthong.web.app import create_app

ADMIN = "test-admin-token-0123456789abcdef"
PG_URL = os.environ.get("LIENTHONG_TEST_DATABASE_URL")


@contextmanager
def fresh_suite(data_dir):
    """A new suite (its own SQLite files, or its own PostgreSQL schemas), gone afterwards.

    Migrating five databases costs far more than most tests: a new data folder is a
    copy of one migrated once per test process (the suite opened on it then finds its
    first tenant), and PostgreSQL schemas are migrated once and emptied for each test
    (:class:`SchemaPool`). A data folder that already exists is opened as it is."""
    if PG_URL:
        prefix, migrated = POOL.take()
        try:
            s = Suite.open(url=PG_URL, admin_token=ADMIN, schema_prefix=prefix, backoff=(0.01, 0.01), migrate=not migrated)
        except BaseException:
            POOL.drop(prefix)
            raise
        try:
            yield s
        finally:
            s.close()
            POOL.give_back(prefix, {db.schema: set(db.base.metadata.tables) for db in s.databases.values()})
        return
    data_dir = Path(data_dir)
    copied = not data_dir.exists()
    if copied:
        shutil.copytree(_template(), data_dir)
    s = Suite.open(data_dir=data_dir, admin_token=ADMIN, backoff=(0.01, 0.01), migrate=not copied)
    try:
        yield s
    finally:
        s.close()


_TEMPLATE: list[Path] = []


@pytest.fixture(autouse=True)
def _release_apps():
    """Let each test's app, and the suite its routes close over, go when the test ends.

    FastAPI keeps what it learnt about each endpoint function in module-level LRU
    caches of 4,096 entries (``fastapi.dependencies.models``): with a new app per test,
    they held the last few dozen suites and every route closure, and a test process
    grew to 5 GB. A server makes its app once, so only the tests need this."""
    yield
    import fastapi.dependencies.models as models

    for name in ("_is_gen_callable_cached", "_is_async_gen_callable_cached", "_is_coroutine_callable_cached"):
        cached = getattr(models, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


def _template() -> Path:
    """A data folder migrated once in this test process, with its first tenant."""
    if not _TEMPLATE:
        home = Path(tempfile.mkdtemp(prefix="lt-test-template-"))
        atexit.register(shutil.rmtree, home, True)
        Suite.open(data_dir=home / "data", admin_token=ADMIN).close()
        _TEMPLATE.append(home / "data")
    return _TEMPLATE[0]


class SchemaPool:
    """PostgreSQL schema sets of this test process, migrated once and emptied (every
    table but Alembic's, identities restarted) before a test takes one again. A set
    that cannot be emptied at once (a test left a lock) or holds other tables than its
    apps' (a test made one) is dropped and another made."""

    def __init__(self, url: str | None):
        self.url = url
        self.free: list[tuple[str, dict]] = []  # (prefix, {schema: its apps' tables})
        self.made: set[str] = set()
        self._engine = None

    @property
    def engine(self):
        if self._engine is None:
            from sqlalchemy import create_engine

            self._engine = create_engine(self.url, poolclass=NullPool)
        return self._engine

    def take(self) -> tuple[str, bool]:
        """A prefix and whether its schemas are migrated (and now empty)."""
        while self.free:
            prefix, tables = self.free.pop()
            try:
                self._empty(prefix, tables)
                return prefix, True
            except Exception:  # noqa: BLE001 - a set a test left locked is not reused
                self.drop(prefix)
        prefix = f"t{uuid.uuid4().hex[:10]}"
        self.made.add(prefix)
        return prefix, False

    def give_back(self, prefix: str, tables: dict[str, set[str]]) -> None:
        self.free.append((prefix, tables))

    def _schemas(self, conn, prefix: str) -> list[str]:
        rows = conn.execute(text("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :p"), {"p": f"{prefix}\\_%"})
        return [r[0] for r in rows]

    def _empty(self, prefix: str, expected: dict[str, set[str]]) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '2s'"))
            found = {
                schema: {name for (name,) in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s AND tablename <> 'alembic_version'"), {"s": schema})}
                for schema in self._schemas(conn, prefix)
            }
            if found != expected:
                raise LookupError(f"{prefix}: not its apps' tables")
            tables = [f'"{schema}"."{name}"' for schema, names in found.items() for name in names]
            if tables:
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))

    def drop(self, prefix: str) -> None:
        self.made.discard(prefix)
        with self.engine.begin() as conn:
            for schema in self._schemas(conn, prefix):
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    def close(self) -> None:
        for prefix in list(self.made):
            self.drop(prefix)
        if self._engine is not None:
            self._engine.dispose()


POOL = SchemaPool(PG_URL)
if PG_URL:
    atexit.register(POOL.close)


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
        return self.ok("post", "/api/v1/sync/drain?timeout=120")  # a wait, not a measure: a loaded CI machine is slow

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
