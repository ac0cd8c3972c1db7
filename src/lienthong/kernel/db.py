"""Engines and session factories, one per app database.

Nothing here runs at import time: :func:`open_database` is called by
``bootstrap`` with the URL chosen at start-up. On SQLite every app has its own
file (WAL mode); on PostgreSQL every app has its own schema in one database.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from lienthong.kernel.jsontext import json_text
from lienthong.kernel.private import private_dir, private_file
from lienthong.kernel.settings import settings


@dataclass
class Database:
    """One app's database: its engine, its session factory and its outbox tables."""

    name: str
    engine: Engine
    sessions: sessionmaker
    base: type[DeclarativeBase]
    schema: str | None = None
    reads: sessionmaker | None = None  # read-only sessions that take no write lock (SQLite)
    guards: Any = None  # who answers this app's guards across apps (see kernel.guards); set by bootstrap
    _listeners: list[Callable[[], None]] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every commit (the embedded connector's wake-up)."""
        self._listeners.append(listener)

    def committed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def create_all(self) -> None:
        self.base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.reads is not None and self.reads.kw["bind"] is not self.engine:
            self.reads.kw["bind"].dispose()

    def reader(self):
        """A session for reading only: on SQLite it neither takes nor waits for the write lock."""
        return (self.reads or self.sessions)()


def database_url(data_dir: Path | str | None, app: str, url: str | None = None) -> tuple[str, str | None]:
    """The SQLAlchemy URL and schema of ``app``: an SQLite file, or a PostgreSQL schema."""
    if url:
        return url, f"lt_{app}"
    assert data_dir is not None
    path = Path(data_dir) / f"{app}.sqlite3"
    return f"sqlite:///{path}", None


def open_database(app: str, base: type[DeclarativeBase], *, data_dir=None, url: str | None = None, schema_prefix: str = "lt") -> Database:
    raw_url, schema = database_url(data_dir, app, url)
    if raw_url.startswith("sqlite"):
        if data_dir is not None:
            _private_sqlite(Path(data_dir), app)
        engine = _sqlite_engine(raw_url, immediate=True)
        reads = sessionmaker(_sqlite_engine(raw_url, immediate=False), expire_on_commit=False)
        schema = None
    else:
        schema = f"{schema_prefix}_{app}"
        engine = create_engine(
            raw_url,
            pool_size=5,
            max_overflow=10,
            pool_pre_ping=True,
            json_serializer=json_text,
            connect_args={"options": f"-csearch_path={schema} -clock_timeout={int(busy_timeout() * 1000)}"},
        )
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        reads = None
    factory = sessionmaker(engine, expire_on_commit=False)
    return Database(name=app, engine=engine, sessions=factory, base=base, schema=schema, reads=reads)


def _private_sqlite(data_dir: Path, app: str) -> None:
    """The data folder 0700, the app's database file (and any -wal/-shm left) 0600."""
    private_dir(data_dir)
    db_file = data_dir / f"{app}.sqlite3"
    private_file(db_file)
    for extra in ("-wal", "-shm"):
        side = db_file.with_name(db_file.name + extra)
        if side.exists():
            private_file(side)


def busy_timeout() -> float:
    """Seconds a write waits for the database's write lock before it gives up (and the
    request answers 503): ``LIENTHONG_BUSY_TIMEOUT``, 30 by default."""
    return settings().busy_timeout


class WriteTurns:
    """Turns at one SQLite file's write lock for this process's threads, first come,
    first served.

    SQLite's own busy handler polls, sleeping up to 100 ms between tries, so a writer
    that commits and begins again at once (a big import's chunks) can keep the lock
    while another thread's write waits for seconds. Queued here, that write goes next:
    it waits for one transaction, not for luck. A second transaction of a thread that
    holds the turn, and a write still queued after the busy timeout, go on to SQLite's
    own wait (the lock itself); writers in other processes meet only that wait.
    """

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._cond = threading.Condition()
        self._queue: deque[int] = deque()
        self._holder: int | None = None  # the connection holding the turn
        self._thread: int | None = None

    def take(self, key: int) -> None:
        me = threading.get_ident()
        with self._cond:
            if self._thread == me:
                return
            self._queue.append(key)
            self._cond.wait_for(lambda: self._holder is None and self._queue[0] == key, self.timeout)
            # After the busy timeout the turn passes on anyway, so a turn whose commit or
            # rollback was never seen (an invalidated connection) cannot stop every write.
            self._holder, self._thread = key, me
            self._queue.remove(key)
            self._cond.notify_all()

    def give_back(self, key: int) -> None:
        with self._cond:
            if self._holder == key:
                self._holder = self._thread = None
                self._cond.notify_all()


def _sqlite_engine(raw_url: str, *, immediate: bool) -> Engine:
    timeout = busy_timeout()
    engine = create_engine(
        raw_url, connect_args={"check_same_thread": False, "timeout": timeout}, pool_size=8, max_overflow=16, json_serializer=json_text
    )
    turns = WriteTurns(timeout)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        # Checkpoint the WAL into the database file every 64 MB instead of every 4 MB: a
        # bulk write (an import, a first sync) rewrites the same pages many times over,
        # and each checkpoint copies them again (5% of a 100,000-row import).
        cur.execute("PRAGMA wal_autocheckpoint=16384")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cur.close()
        # SQLAlchemy, not the driver, opens transactions (so SAVEPOINTs work) ...
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):  # pragma: no cover - exercised by every test
        # ... and a writing session takes the write lock up front, in turn: a deferred
        # transaction that reads and then writes could fail at once with "database is
        # locked". Reading sessions begin deferred and never wait for writers (WAL).
        if not immediate:
            conn.exec_driver_sql("BEGIN")
            return
        turns.take(id(conn))
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turns.give_back(id(conn))
            raise

    if immediate:
        event.listen(engine, "commit", lambda conn: turns.give_back(id(conn)))
        event.listen(engine, "rollback", lambda conn: turns.give_back(id(conn)))
    return engine
