"""A change's decision as stored with it (JSON) and read back."""

from __future__ import annotations

from dataclasses import fields

from lienthong.sync.rules import Action, Note, Rule, find


def _plain(d) -> dict:
    item = {f.name: getattr(d, f.name) for f in fields(d)}
    item["rule"] = d.rule.id
    return item


def dump(decision: list) -> list[dict]:
    out = []
    for d in decision:
        item = _plain(d)
        item["type"] = "action" if isinstance(d, Action) else "note"
        if isinstance(d, Action):
            item["notes"] = [_plain(n) for n in d.notes]
        out.append(item)
    return out


def load(items: list[dict], rules: dict[str, Rule]) -> list:
    """A stored decision, its rules found by ID (the connector's own rules first)."""

    def by_id(rule_id: str) -> Rule:
        return rules.get(rule_id) or find(rule_id)

    out = []
    for item in items:
        item = dict(item)
        kind = item.pop("type")
        item["rule"] = by_id(item["rule"])
        if kind == "action":
            item["notes"] = [Note(**{**n, "rule": by_id(n["rule"]), "link_source": tuple(n["link_source"]) if n.get("link_source") else None}) for n in item["notes"]]
            item["link_source"] = tuple(item["link_source"]) if item.get("link_source") else None
            out.append(Action(**item))
        else:
            item["link_source"] = tuple(item["link_source"]) if item.get("link_source") else None
            out.append(Note(**item))
    return out
