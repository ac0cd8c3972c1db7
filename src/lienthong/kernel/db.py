"""Engines and session factories, one per app database.

Nothing here runs at import time: :func:`open_database` is called by
``bootstrap`` with the URL chosen at start-up. On SQLite every app has its own
file (WAL mode); on PostgreSQL every app has its own schema in one database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from lienthong.kernel.private import private_dir, private_file


@dataclass
class Database:
    """One app's database: its engine, its session factory and its outbox tables."""

    name: str
    engine: Engine
    sessions: sessionmaker
    base: type[DeclarativeBase]
    schema: str | None = None
    reads: sessionmaker | None = None  # read-only sessions that take no write lock (SQLite)
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
            connect_args={"options": f"-csearch_path={schema}"},
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


def _sqlite_engine(raw_url: str, *, immediate: bool) -> Engine:
    engine = create_engine(raw_url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8, max_overflow=16)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()
        # SQLAlchemy, not the driver, opens transactions (so SAVEPOINTs work) ...
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):  # pragma: no cover - exercised by every test
        # ... and a writing session takes the write lock up front: a deferred transaction
        # that reads and then writes could fail at once with "database is locked".
        # Reading sessions begin deferred and never wait for writers (WAL).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
