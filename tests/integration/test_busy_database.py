"""A busy database never answers 500 (issue 6, item 5): a write waits for the lock, in
turn; one still locked out after the busy timeout is a 503 problem+json with
Retry-After; and one tenant's big import does not stop another tenant's writes."""

from __future__ import annotations

import sqlite3
import itertools
import threading
import uuid
from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, select, text

from lienthong.accounting.tables import Outbox
from lienthong.kernel import importing
from tests.conftest import ADMIN, PG_URL


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Writes give up after 1 s of waiting for the write lock (set before the suite opens)."""
    monkeypatch.setenv("LIENTHONG_BUSY_TIMEOUT", "1")


@pytest.fixture
def locked(suite):
    """Another connection holds accounting's write lock (PostgreSQL: the outbox lock
    every writer of the app's schema takes)."""
    db = suite.databases["accounting"]
    if PG_URL:
        engine = create_engine(PG_URL)
        conn = engine.connect()
        conn.execute(text(f"SELECT pg_advisory_lock(hashtext('{db.schema}'))"))
        yield
        conn.execute(text(f"SELECT pg_advisory_unlock(hashtext('{db.schema}'))"))
        conn.close()
        engine.dispose()
    else:
        conn = sqlite3.connect(db.engine.url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
        conn.close()


def test_a_write_locked_out_past_the_busy_timeout_is_a_503_problem_with_retry_after(short_busy_timeout, api, locked):
    r = api.post("/api/v1/accounting/customers", json={"code": "KHBUSY", "name": "Bận"})
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["retry-after"] == "1"
    assert r.json()["detail"] == "Cơ sở dữ liệu đang bận với một thao tác khác; vui lòng thử lại sau 1 giây."


def test_the_busy_problem_reads_in_english(short_busy_timeout, api, locked):
    r = api.as_(api.token, lang="en").post("/api/v1/accounting/customers", json={"code": "KHBUSY", "name": "Busy"})
    assert r.status_code == 503
    assert r.json()["title"] == "Database busy"
    assert r.json()["detail"] == "The database is busy with another operation; please try again after 1 s."


def test_a_request_refused_as_busy_changed_nothing(short_busy_timeout, suite, api):
    db = suite.databases["accounting"]
    if PG_URL:
        pytest.skip("the SQLite lock is held by a second connection; PostgreSQL is covered above")
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert api.post("/api/v1/accounting/customers", json={"code": "KHBUSY", "name": "Bận"}).status_code == 503
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert api.one("/api/v1/accounting/customers", "KHBUSY") is None


def workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Mã khách hàng", "Tên khách hàng", "Địa chỉ"])
    for i in range(rows):
        sheet.append([f"KH{i:05d}", f"Công ty {i}", f"{i} Lê Lợi, Hà Nội"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_another_tenants_create_succeeds_between_the_chunks_of_a_big_import(short_busy_timeout, suite, api, monkeypatch):
    """Before: the import held the write lock from its first row to its commit, so a
    create of another tenant waiting more than the busy timeout answered 500. The import
    is held at a gate before its second chunk (its first is written): the other tenant's
    create, which gives up after 1 s, must get the lock there."""
    _, other_token = suite.new_tenant("Công ty B")
    other = api.as_(other_token)
    between, gate = threading.Event(), threading.Event()
    entered = itertools.count()

    class Gated(importing.UnitOfWork):
        def __enter__(self):
            if next(entered) == 1:  # the first chunk is committed; the second is not begun
                between.set()
                gate.wait(timeout=60)
            return super().__enter__()

    monkeypatch.setattr(importing, "FIRST_CHUNK", 1000)
    monkeypatch.setattr(importing, "MAX_CHUNK", 1000)
    monkeypatch.setattr(importing, "UnitOfWork", Gated)
    answers: dict = {}
    importer = threading.Thread(target=lambda: answers.update(r=api.post("/api/v1/accounting/customers/import", files={"file": ("kh.xlsx", workbook(6000))})))
    importer.start()
    assert between.wait(timeout=120)
    created = other.post("/api/v1/accounting/customers", json={"code": "B0001", "name": "Khách B"}).status_code
    gate.set()
    importer.join()
    assert (created, answers["r"].status_code, answers["r"].json()["created"]) == (201, 200, 6000)


def test_another_tenants_creates_are_written_between_the_chunks_of_a_big_import(suite, api):
    """Before: the import's 6,000 rows and events were one transaction, so no other
    write could land between its first and its last event."""
    other_tenant, other_token = suite.new_tenant("Công ty B")
    other = api.as_(other_token)
    data = workbook(6000)
    importer = threading.Thread(target=lambda: api.post("/api/v1/accounting/customers/import", files={"file": ("kh.xlsx", data)}))
    importer.start()
    while importer.is_alive():
        other.post("/api/v1/accounting/customers", json={"code": f"B{uuid.uuid4().hex[:8]}", "name": "Khách B"})
    importer.join()
    with suite.databases["accounting"].reader() as session:
        tenants = list(session.scalars(select(Outbox.tenant_id).order_by(Outbox.id)))
    importer_tenant = suite.authenticate(ADMIN).tenant_id
    first, last = tenants.index(importer_tenant), len(tenants) - 1 - tenants[::-1].index(importer_tenant)
    assert other_tenant in tenants[first:last]
