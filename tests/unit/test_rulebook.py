"""The rulebook as declared: every rule ID once in the code, with both languages."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from lienthong.cli import app
from lienthong.sync.rules import RULEBOOK

SRC = Path(__file__).resolve().parents[2] / "src" / "lienthong"
SPEC_ID = re.compile(r"\b(?:CON|EMP|CUS|CGR|PRD|PGR|PRC|QUO|ORD|CTR|INV|STK|BAL|PUR|ENG)-(?:[A-Z]+-)?[A-Z]?\d+\b")


def test_every_rule_id_appears_in_the_code_exactly_once_where_it_is_declared():
    seen: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for rule_id in SPEC_ID.findall(path.read_text(encoding="utf-8")):
            seen.setdefault(rule_id, []).append(path.name)
    declared = {r.id for r in RULEBOOK}
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}
    assert set(seen) <= declared | {"SYS-1"}
    assert len(declared) == len(RULEBOOK)


def test_every_rule_speaks_vietnamese_and_english():
    for rule in RULEBOOK:
        assert rule.vi and rule.en and rule.vi != rule.en, rule.id


def test_lienthong_rules_prints_the_rulebook_as_a_table():
    result = CliRunner().invoke(app, ["rules", "--lang", "en"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    for rule in RULEBOOK:
        assert rule.id in result.output
    assert "Editing" in result.output and "Sửa" not in result.output
    only = CliRunner().invoke(app, ["rules", "EMP"], env={"COLUMNS": "250"})
    assert "EMP-1" in only.output and "CUS-A1" not in only.output


def test_docs_rulebook_is_generated_from_the_declarations():
    from lienthong.sync.rules.document import rulebook_markdown

    path = SRC.parents[1] / "docs" / "rulebook.md"
    assert path.read_text(encoding="utf-8") == rulebook_markdown(), "run: lienthong rules --markdown > docs/rulebook.md"
