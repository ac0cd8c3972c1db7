"""What the rulebook asks of each app, checked against the apps' contracts when the
connector starts: every command it may send, query it may ask and event it answers
must be declared by that app (:mod:`lienthong.kernel.contracts`), so a typo in a rule
fails at start-up, not at the first change that reaches it. An app in another server
is asked for its names over HTTP (its port's ``/contract``); one that cannot be asked
yet is marked unreachable with the reason and is checked before the connector first
reads from it or sends to it."""

from __future__ import annotations

from collections import defaultdict

from lienthong.kernel.contracts import check_names
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.rules.base import EVENT_VERBS, NOUNS, Bulk, Rule

ACTION_COMMANDS = {"create": ("create_{}",), "update": ("update_{}",), "keep": ("create_{}", "update_{}"), "keep_parts": ("upsert_{}_part", "deactivate_{}_part"), "link": ("update_{}",), "delete": ("delete_{}",), "set_status": ("set_{}_status",)}


def needs(rules: list[Rule], passes: list[Bulk]) -> dict[str, dict[str, set]]:
    """{app: {"commands": names, "queries": names, "events": {(kind, verb)}}}."""
    out: dict[str, dict[str, set]] = defaultdict(lambda: {"commands": set(), "queries": set(), "events": set()})
    for rule in rules:
        if rule.on is None:
            continue
        for app in rule.on.apps:
            out[app]["events"] |= {(kind, verb) for kind in rule.on.kinds for verb in rule.on.verbs}
        if rule.target is None:
            continue
        target = out[rule.target]
        nouns = [NOUNS[k] for k in (rule.into.kinds if rule.into else ())]
        if any(g.finds for g in (*rule.when, *rule.skip_when, *rule.link_when)):
            target["queries"] |= {f"find_{n}" for n in nouns}
        if rule.action == "skip":
            continue
        templates = ("upsert_{}",) if rule.or_create else ACTION_COMMANDS[rule.action]
        target["commands"] |= {t.format(n) for t in templates for n in nouns}
        if rule.action == "link" or rule.link_when:
            target["queries"] |= {f"{n}_by_id" for n in nouns}
        _field_map_needs(rule.fields, target)
    for p in passes:
        out[p.source]["queries"].add(p.kind.replace("-", "_"))
        target = out[p.target]
        for kind in p.into.kinds:
            noun = NOUNS[kind]
            target["queries"].add(kind.replace("-", "_"))
            target["commands"] |= {f"upsert_{noun}"} if p.copies else {f"create_{noun}", f"create_{noun}_many"} | ({f"update_{noun}"} if p.update else set())
        _field_map_needs(p.fields, target)
    return out


def _field_map_needs(fields, target: dict) -> None:
    if fields is None:
        return
    for ref in fields.along:
        target["commands"].add(f"create_{NOUNS[ref.kind]}")
        target["queries"].add(ref.query)
    target["queries"] |= {lookup.query for lookup in fields.lookups}


def check(peers: dict, rules: list[Rule], passes: list[Bulk]) -> dict[str, str]:
    """Check every app's contract against what the rulebook asks of it: raise
    :class:`~lienthong.kernel.contracts.ContractError` if an app lacks a name the
    rulebook uses (an app in another server is asked for its names over HTTP). Returns
    ``{app: reason}`` for the apps that could not be asked: they are checked again
    before the connector reads from them or sends to them (:func:`check_one`)."""
    wanted = needs(rules, passes)
    unchecked: dict[str, str] = {}
    for app, peer in peers.items():
        try:
            check_one(app, peer, wanted)
        except PeerUnavailable as exc:
            unchecked[app] = exc.detail
    return unchecked


def check_one(app: str, peer, wanted: dict) -> None:
    """Ask ``peer`` for its names and compare them with what the rulebook needs of it."""
    if app not in wanted or not hasattr(peer, "contract"):
        return
    declared = peer.contract()
    events = {(e["kind"], verb) for e in declared["events"] for verb in EVENT_VERBS if e["name"].endswith(verb)}
    need = wanted[app]
    check_names(
        app,
        declared_commands={c["name"] for c in declared["commands"]},
        declared_queries={q["name"] for q in declared["queries"]},
        declared_events=events,
        commands=need["commands"],
        queries=need["queries"],
        events=need["events"],
    )
