"""Each app's own Alembic environment, run programmatically at start-up.

An app keeps its migrations in ``<app>/migrations`` with a two-line ``env.py``
that calls :func:`run_env`. :func:`upgrade` brings one app database to head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Integer

from lienthong.kernel.db import Database


def config_for(db: Database, package_dir: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir / "migrations"))
    cfg.set_main_option("sqlalchemy.url", db.engine.url.render_as_string(hide_password=False))
    cfg.attributes["db"] = db
    return cfg


def upgrade(db: Database, package_dir: Path) -> None:
    """Bring ``db`` to the newest migration of the app living in ``package_dir``."""
    run(db, package_dir, command.upgrade, "head")


def run(db: Database, package_dir: Path, alembic_command, revision: str) -> None:
    """Run an Alembic command (upgrade/downgrade to ``revision``) on ``db``.

    On SQLite, foreign keys are off meanwhile: batch mode rebuilds a table by
    dropping it, and a drop with foreign keys on would null or delete the rows that
    refer to it (ON DELETE SET NULL / CASCADE). They are checked afterwards."""
    cfg = config_for(db, package_dir)
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection
        if sqlite:  # before any transaction: the pragma does nothing inside one
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            cfg.attributes["connection"] = connection
            alembic_command(cfg, revision)
            if sqlite and alembic_command is command.upgrade:
                _keep_autoincrement(connection, db.base.metadata)
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"{db.name}: rows refer to missing rows after migrating: {broken}")
            connection.commit()
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def _keep_autoincrement(connection, metadata) -> None:
    """Rebuild any table that lost AUTOINCREMENT on SQLite (ids never reused, see
    ``kernel.tables.IdsNeverReused``): Alembic's batch mode does not reflect it, so a
    later migration that rebuilds a table drops it unless told."""
    ops = Operations(MigrationContext.configure(connection))
    for table in metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if not table.dialect_options["sqlite"]["autoincrement"] or len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)).scalar()
        if sql is not None and "AUTOINCREMENT" not in sql.upper():
            with ops.batch_alter_table(table.name, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
                pass


def run_env(target_metadata) -> None:
    """The body of every app's ``migrations/env.py``."""
    connection = context.config.attributes.get("connection")
    if connection is None:  # offline or plain `alembic` CLI use: open our own
        from sqlalchemy import create_engine

        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.connect() as connection:
            _run(connection, target_metadata)
            connection.commit()
        return
    _run(connection, target_metadata)


def _run(connection, target_metadata) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def add_code_and_search_keys(tables: dict[str, tuple[str, tuple[str, ...]]]) -> None:
    """A migration step (issue 6): give each table ``{name: (unique index, search fields)}``
    the ``code_key`` and ``search_key`` columns of :class:`~lienthong.kernel.tables.Keyed`,
    fill them from the rows, and make ``(tenant_id, code_key)`` unique.

    Columns are added in place (no table rebuild on SQLite, whose rebuild would fire the
    foreign keys of referencing rows). Codes that already differ only by case keep their
    rows: the first keeps its key, a later one gets ``<key>#<id>`` until it is renamed.
    """
    import sqlalchemy as sa
    from alembic import op

    from lienthong.kernel.text import code_key, search_key

    bind = op.get_bind()
    for name, (index, fields) in tables.items():
        op.add_column(name, sa.Column("code_key", sa.String(200), nullable=True))
        op.add_column(name, sa.Column("search_key", sa.Text(), nullable=True))
        columns = ("code", *[f for f in fields if f != "code"])
        table = sa.table(name, sa.column("id"), sa.column("tenant_id"), sa.column("code_key"), sa.column("search_key"), *[sa.column(c) for c in columns])
        seen: set = set()
        updates = []
        for row in bind.execute(sa.select(table.c.id, table.c.tenant_id, *[table.c[c] for c in columns]).order_by(table.c.id)).mappings():
            key = code_key(row["code"])
            if (row["tenant_id"], key) in seen:
                key = f"{key}#{row['id']}"
            seen.add((row["tenant_id"], key))
            updates.append({"row_id": row["id"], "ck": key, "sk": search_key(row[f] for f in fields)})
        if updates:
            stmt = table.update().where(table.c.id == sa.bindparam("row_id")).values(code_key=sa.bindparam("ck"), search_key=sa.bindparam("sk"))
            bind.execute(stmt, updates)
        op.create_index(index, name, ["tenant_id", "code_key"], unique=True)


def drop_code_and_search_keys(tables: dict[str, tuple[str, tuple[str, ...]]]) -> None:
    """The downgrade of :func:`add_code_and_search_keys`."""
    from alembic import op

    for name, (index, _) in tables.items():
        op.drop_index(index, table_name=name)
        with op.batch_alter_table(name) as batch:
            batch.drop_column("search_key")
            batch.drop_column("code_key")
