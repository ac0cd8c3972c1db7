"""The rulebook: every rule the connector follows, as declarations (one per rule ID).

Which rule wins is declared: when two rules can answer the same event in the same
target app, one of them names the other in ``after`` (directly or through a
chain): it is tried only when the other does not answer. :data:`EVENT_RULES` is the rulebook in that order; :func:`undeclared` lists
the pairs that could answer the same event with no precedence between them (a test
keeps it empty).
"""

from __future__ import annotations

from graphlib import TopologicalSorter
from itertools import combinations

from lienthong.sync.rules import connection, customers, manual, people, price_policies, products
from lienthong.sync.rules.base import Action, Note, Rule

RULEBOOK: list[Rule] = [*connection.RULES, *people.RULES, *customers.RULES, *products.RULES, *price_policies.RULES, *manual.RULES]
_BY_ID: dict[str, Rule] = {r.id: r for r in RULEBOOK}


def by_id(rule_id: str) -> Rule:
    return _BY_ID[rule_id]


def find(rule_id: str) -> Rule | None:
    """The rule with this ID, or None (an ID an older version of the rulebook had)."""
    return _BY_ID.get(rule_id)


def in_precedence(rules: list[Rule]) -> list[Rule]:
    """Rules that answer events, each after the rules that precede it (declaration order
    otherwise)."""
    answering = [r for r in rules if r.on is not None]
    graph = TopologicalSorter({r.id: [first.id for first in r.after] for r in answering})
    graph.prepare()
    order: list[str] = []
    while graph.is_active():
        ready = sorted(graph.get_ready(), key=[r.id for r in answering].index)
        order.extend(ready)
        graph.done(*ready)
    by = {r.id: r for r in answering}
    return [by[i] for i in order]


def overlap(a: Rule, b: Rule) -> bool:
    """Could ``a`` and ``b`` both answer one event in one target app?"""
    if a.on is None or b.on is None or (a.target and b.target and a.target != b.target):
        return False
    return bool(set(a.on.apps) & set(b.on.apps) and set(a.on.kinds) & set(b.on.kinds) and set(a.on.verbs) & set(b.on.verbs))


def _wins(a: Rule, b: Rule) -> bool:
    """Is ``a`` tried before ``b`` by a declared chain of ``after``?"""
    return any(first.id == a.id or _wins(a, first) for first in b.after)


def undeclared(rules: list[Rule]) -> list[tuple[str, str]]:
    """Pairs of rules that could answer the same event with no declared precedence."""
    return [(a.id, b.id) for a, b in combinations(rules, 2) if overlap(a, b) and not (_wins(a, b) or _wins(b, a))]


EVENT_RULES: list[Rule] = in_precedence(RULEBOOK)

__all__ = ["RULEBOOK", "EVENT_RULES", "Rule", "Action", "Note", "by_id", "find", "in_precedence", "undeclared"]
