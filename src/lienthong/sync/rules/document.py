"""The rulebook as implemented, written out as ``docs/rulebook.md`` (``lienthong rules --markdown``)."""

from __future__ import annotations

from lienthong.sync.rules import RULEBOOK
from lienthong.sync.rules.base import FieldMap, Rule

HEADER = """# The rulebook as implemented

Generated from the rule declarations in `src/lienthong/sync/rules/` by
`lienthong rules --markdown > docs/rulebook.md` (a test keeps it current).
Each rule: what it says, its declaration (the event it answers, the guards, the
action, the field map) and the reasons the decision log gives (Vietnamese first,
English second). `{code}` and the like are filled in
with the record's values.

"""


def _source(rule: Rule) -> str:
    return "/".join(rule.on.apps) if rule.on else ""


def _fields(fields: FieldMap) -> str:
    parts = [", ".join(f"`{f}`" for f in fields.copy)] if fields.copy else []
    parts += [f"`{a}` as `{b}`" for a, b in fields.rename.items()]
    parts += [f"`{name}` mapped {values}" for name, values in fields.value_map.items()]
    parts += [f"`{name}` converted" for name in fields.convert]
    parts += [f"`{name}` = {value!r} when creating" for name, value in fields.constants.items()]
    parts += [f"`{name}` = {value!r} when deleted" for name, value in fields.on_delete.items()]
    parts += [f"`{a.field}` along({a.kind}) from `{a.source}` ({a.rule.id})" for a in fields.along]
    parts += [f"`{k.field}` looked up by `{k.query}`({k.key}){' when creating' if k.on_create else ''} ({k.found.id})" for k in fields.lookups]
    return "; ".join(parts)


def _declaration(rule: Rule) -> list[str]:
    verbs = ", ".join(rule.on.verbs)
    target = rule.target or "the other app of the connection"
    needs = "" if rule.needs_connection else " (always on: no connection needed)"
    lines = [f"- answers: `{_source(rule)}` {', '.join(rule.on.kinds)} — {verbs} → `{target}`{needs}"]
    if rule.after:
        lines += [f"- tried after: {', '.join(r.id for r in rule.after)}"]
    if rule.when:
        lines += [f"- when: {'; '.join(g.words for g in rule.when)}"]
    action = rule.action + (" (or create the copy)" if rule.or_create else "") + (" (changed fields only)" if rule.only_changed else "")
    lines += [f"- action: `{action}`" + (f"; skips when: {'; '.join(g.words for g in rule.skip_when)}" if rule.skip_when else "")]
    if rule.into:
        into = rule.into.kind + (f" (`{rule.into.when_true}` when `{rule.into.flag}`)" if rule.into.flag else "")
        lines += [f"- into: {into}; cardinality: {rule.cardinality}" + (f" by `{rule.part_key}`" if rule.part_key else "")]
    if rule.fields and rule.action != "skip":
        lines += [f"- fields: {_fields(rule.fields)}"]
    if rule.remarks:
        lines += [f"- also logs: {', '.join(f'{r.rule.id} when {r.when.words}' for r in rule.remarks)}"]
    return lines


def _rule(rule: Rule) -> str:
    lines = [f"## {rule.id}", "", rule.vi, "", f"*{rule.en}*", ""]
    if rule.on:
        lines += _declaration(rule)
    if rule.applied_vi:
        lines += [f"- reason when applied: {rule.applied_vi} / {rule.applied_en}"]
    if rule.skipped_vi:
        lines += [f"- reason when skipped: {rule.skipped_vi} / {rule.skipped_en}"]
    for name, (vi, en) in rule.reasons.items():
        lines += [f"- reason when {name}: {vi} / {en}"]
    return "\n".join(lines).rstrip() + "\n"


def rulebook_markdown() -> str:
    return HEADER + "\n".join(_rule(r) for r in RULEBOOK)
