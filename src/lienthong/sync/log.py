"""The decision log: every applied, skipped or parked decision, searchable.

An entry stores its rule's ID, which of the rule's reasons applies (``applied``,
``skipped`` or one of its named reasons) and that reason's parameters; the text is
rendered when the entry is read, in the reader's language (:func:`render`). A
parameter is a plain value, a :class:`~lienthong.kernel.i18n.Term` (stored as
``{"t": key}``) or a text the connector was given in both languages, such as a
target's refusal (stored as ``{"vi": ..., "en": ...}``). Entries written before
reasons were rendered on reading keep their text: ``reason`` is empty and the two
texts are the parameters ``vi`` and ``en``.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lienthong.kernel.bulk import Same, insert_columns, insert_rows
from lienthong.kernel.i18n import MESSAGES, Term, term
from lienthong.kernel.records import decode_cursor, encode_cursor
from lienthong.sync.rules import find
from lienthong.sync.rules.base import Rule
from lienthong.sync.tables import LogEntry

OUTCOMES = ("applied", "skipped", "parked")


def in_both(vi: str | None, en: str | None) -> dict:
    """A parameter the connector holds in both languages (a target app's refusal)."""
    return {"vi": vi, "en": en}


def _read(value, lang: str):
    if isinstance(value, dict):
        if "t" in value:  # a field without words of its own is shown by its name
            return term(value["t"]) if value["t"] in MESSAGES else value["t"].rsplit(".", 1)[-1]
        return value.get(lang)
    return value


def entry(rule: Rule, outcome: str, *, tenant_id: str, params: dict, source: tuple | None = None, target: tuple | None = None, change_id: int | None = None, event_type: str | None = None, named: str | None = None) -> dict:
    """A log row as a dict (written in bulk by :func:`write`). ``source``/``target`` are
    ``(app, kind, id, code)``; the reason is the rule's ``named`` one if given, else its
    applied or skipped one, kept as its name and parameters."""
    s = source or (None, None, None, None)
    t = target or (None, None, None, None)
    return {
        "tenant_id": tenant_id,
        "rule": rule.id,
        "outcome": outcome,
        "reason": _reason(outcome, named),
        "params": stored(params),
        "source_app": s[0],
        "source_kind": s[1],
        "source_id": s[2],
        "source_code": s[3],
        "target_app": t[0],
        "target_kind": t[1],
        "target_id": t[2],
        "target_code": t[3],
        "change_id": change_id,
        "event_type": event_type,
    }


def _reason(outcome: str, named: str | None) -> str:
    """Which of its rule's reasons an entry gives: the named one, else its outcome's (a
    parked change's is its skipped text)."""
    return named or ("skipped" if outcome == "parked" else outcome)


def stored(params: dict) -> dict:
    """Parameters as stored: a :class:`~lienthong.kernel.i18n.Term` as ``{"t": key}``."""
    return {k: {"t": str(v)} if type(v) is Term else v for k, v in params.items()}


class Columns:
    """Many entries of one rule, outcome and reason, kept column by column and written in
    one statement (:func:`write_columns`): the first sync logs a decision per record, and
    a dict per entry cost more than its row. ``add`` takes parameters as stored
    (:func:`stored`), without the record's code: :func:`render` reads it from the
    entry's source code. Entries given the same parameters (one dict) store them once
    encoded."""

    __slots__ = ("fixed", "params", "sources", "targets")

    def __init__(self, rule: Rule, outcome: str, *, tenant_id: str, named: str | None = None):
        self.fixed = {"tenant_id": Same(tenant_id), "rule": Same(rule.id), "outcome": Same(outcome), "reason": Same(_reason(outcome, named)), "change_id": Same(None), "event_type": Same(None)}
        self.params: list[dict] = []
        self.sources: list[tuple] = []  # (app, kind, id, code)
        self.targets: list[tuple] = []

    def add(self, params: dict, source: tuple, target: tuple) -> None:
        self.params.append(params)
        self.sources.append(source)
        self.targets.append(target)

    def __len__(self) -> int:
        return len(self.params)

    def columns(self) -> dict:
        source_app, source_kind, source_id, source_code = zip(*self.sources)
        target_app, target_kind, target_id, target_code = zip(*self.targets)
        return {
            **self.fixed, "params": self.params,
            "source_app": source_app, "source_kind": source_kind, "source_id": source_id, "source_code": source_code,
            "target_app": target_app, "target_kind": target_kind, "target_id": target_id, "target_code": target_code,
        }


def write_columns(session: Session, groups: list[Columns]) -> None:
    for group in groups:
        if len(group):
            insert_columns(session, LogEntry.__table__, len(group), group.columns())


def render(row: LogEntry, lang: str) -> str:
    """The entry's reason in ``lang`` ("vi" or "en")."""
    params = row.params or {}
    rule = find(row.rule)
    if not row.reason or rule is None:  # written before reasons were rendered on reading
        return _read(params, lang) or ""
    if "code" not in params:  # a first-sync entry: its record's code is its source code
        params = {"code": row.source_code, **params}
    named = row.reason if row.reason in rule.reasons else None
    outcome = row.reason if named is None else row.outcome
    vi, en = rule.reason(outcome, named, **{k: _read(v, lang) for k, v in params.items()})
    return en if lang == "en" else vi


def write(session: Session, rows: list[dict]) -> None:
    if rows:
        insert_rows(session, LogEntry.__table__, rows)


def search(session: Session, tenant_id: str, *, filters: dict, limit: int, cursor: str | None, where: tuple = ()):
    """Newest first; filters: app, kind, code, record_id, rule, outcome; ``where``: what
    the reader may see (see :mod:`lienthong.sync.visibility`)."""
    stmt = select(LogEntry).where(LogEntry.tenant_id == tenant_id, *where)
    if filters.get("app"):
        stmt = stmt.where(or_(LogEntry.source_app == filters["app"], LogEntry.target_app == filters["app"]))
    if filters.get("kind"):
        stmt = stmt.where(or_(LogEntry.source_kind == filters["kind"], LogEntry.target_kind == filters["kind"]))
    if filters.get("code"):
        stmt = stmt.where(or_(LogEntry.source_code == filters["code"], LogEntry.target_code == filters["code"]))
    if filters.get("record_id") is not None:
        stmt = stmt.where(or_(LogEntry.source_id == filters["record_id"], LogEntry.target_id == filters["record_id"]))
    for name in ("rule", "outcome"):
        if filters.get(name):
            stmt = stmt.where(getattr(LogEntry, name) == filters[name])
    before = decode_cursor(cursor)
    if before:
        stmt = stmt.where(LogEntry.id < before)
    rows = list(session.scalars(stmt.order_by(LogEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].id) if more and rows else None)
