"""The rulebook as implemented, written out as ``docs/rulebook.md`` (``lienthong rules --markdown``)."""

from __future__ import annotations

from lienthong.sync.rules import RULEBOOK
from lienthong.sync.rules.base import Rule

HEADER = """# The rulebook as implemented

Generated from the rule declarations in `src/lienthong/sync/rules/` by
`lienthong rules --markdown > docs/rulebook.md` (a test keeps it current).
Each rule: what it says, which events it answers, and the reasons the decision
log gives (Vietnamese first, English second). `{code}` and the like are filled in
with the record's values.

"""


def _source(rule: Rule) -> str:
    return "/".join(rule.source) if isinstance(rule.source, tuple) else (rule.source or "")


def _rule(rule: Rule) -> str:
    lines = [f"## {rule.id}", "", rule.vi, "", f"*{rule.en}*", ""]
    if rule.source:
        verbs = ", ".join(rule.verbs)
        target = rule.target or "the other app of the connection"
        needs = "" if rule.needs_connection else " (always on: no connection needed)"
        lines += [f"- answers: `{_source(rule)}` {', '.join(rule.kinds)} — {verbs} → `{target}`{needs}"]
        lines += [f"- does: {'applies a change' if rule.then else 'skips'}{' when its condition holds' if rule.when else ''}"]
    if rule.applied_vi:
        lines += [f"- reason when applied: {rule.applied_vi} / {rule.applied_en}"]
    if rule.skipped_vi:
        lines += [f"- reason when skipped: {rule.skipped_vi} / {rule.skipped_en}"]
    for name, (vi, en) in rule.reasons.items():
        lines += [f"- reason when {name}: {vi} / {en}"]
    return "\n".join(lines).rstrip() + "\n"


def rulebook_markdown() -> str:
    return HEADER + "\n".join(_rule(r) for r in RULEBOOK)
