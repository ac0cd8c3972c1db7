"""Each app's own Alembic environment, run programmatically at start-up.

An app keeps its migrations in ``<app>/migrations`` with a two-line ``env.py``
that calls :func:`run_env`. :func:`upgrade` brings one app database to head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config

from lienthong.kernel.db import Database


def config_for(db: Database, package_dir: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir / "migrations"))
    cfg.set_main_option("sqlalchemy.url", db.engine.url.render_as_string(hide_password=False))
    cfg.attributes["db"] = db
    return cfg


def upgrade(db: Database, package_dir: Path) -> None:
    """Bring ``db`` to the newest migration of the app living in ``package_dir``."""
    cfg = config_for(db, package_dir)
    with db.engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        connection.commit()


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
