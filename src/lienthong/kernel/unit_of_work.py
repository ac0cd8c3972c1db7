"""One transaction owner: the unit of work rolls back unless the use case commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lienthong.kernel.db import Database


class UnitOfWork:
    """``with UnitOfWork(db) as uow: ...; uow.commit()``. Nothing below it commits."""

    def __init__(self, db: Database):
        self.db = db
        self.session: Session | None = None
        self._committed = False
        # True while applying a batch on the fast path: checks that the database's own
        # unique constraints also make are skipped; a violation sends the batch to the
        # careful path, where every check runs (see kernel.port.apply_commands).
        self.trust_constraints = False

    def __enter__(self) -> "UnitOfWork":
        self.session = self.db.sessions()
        self._committed = False
        return self

    def __exit__(self, *exc) -> None:
        assert self.session is not None
        if not self._committed:
            self.session.rollback()
        self.session.close()
        if self._committed:
            self.db.committed()

    def commit(self) -> None:
        assert self.session is not None
        self.session.commit()
        self._committed = True

    def flush(self) -> None:
        assert self.session is not None
        self.session.flush()
