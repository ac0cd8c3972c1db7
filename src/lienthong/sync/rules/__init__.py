"""The rulebook: every rule the connector follows, as declarations (one per rule ID)."""

from __future__ import annotations

from lienthong.sync.rules import connection, customers, people
from lienthong.sync.rules.base import Action, Note, Rule

RULEBOOK: list[Rule] = [*connection.RULES, *people.RULES, *customers.RULES]
EVENT_RULES: list[Rule] = [r for r in RULEBOOK if r.source]


_BY_ID: dict[str, Rule] = {r.id: r for r in RULEBOOK}


def by_id(rule_id: str) -> Rule:
    return _BY_ID[rule_id]


def find(rule_id: str) -> Rule | None:
    """The rule with this ID, or None (an ID an older version of the rulebook had)."""
    return _BY_ID.get(rule_id)


__all__ = ["RULEBOOK", "EVENT_RULES", "Rule", "Action", "Note", "by_id", "find"]
