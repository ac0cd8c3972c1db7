"""The rulebook as declared: every rule ID once in the code, with both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lienthong.cli import app
from lienthong.crm.rules import RULES as CRM_RULES
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
    declared = {r.id for r in RULEBOOK} | {r.id for r in CRM_RULES}  # the connector's rules, and those CRM keeps itself
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}
    assert set(seen) <= declared | {"SYS-1"}
    assert len(declared) == len(RULEBOOK) + len(CRM_RULES)


@pytest.mark.parametrize("rule", RULEBOOK, ids=[r.id for r in RULEBOOK])
def test_every_rule_speaks_vietnamese_and_english(rule):
    assert rule.vi.strip()
    assert rule.en.strip()
    assert rule.vi != rule.en


def table_rows(output: str) -> dict[str, str]:
    """A rules table as {rule id: its text column}, wrapped lines joined."""
    rows: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0]:
            current = cells[0]
            rows[current] = cells[-1]
        elif current:
            rows[current] = f"{rows[current]} {cells[-1]}".strip()
    return rows


def test_lienthong_rules_prints_the_rulebook_as_a_table():
    result = CliRunner().invoke(app, ["rules", "--lang", "en"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert table_rows(result.stdout) == {rule.id: rule.en for rule in RULEBOOK}


def test_lienthong_rules_of_one_family_in_vietnamese():
    only = CliRunner().invoke(app, ["rules", "EMP"], env={"COLUMNS": "250", "LIENTHONG_LANG": "vi"})
    assert only.exit_code == 0
    assert table_rows(only.stdout) == {rule.id: rule.vi for rule in RULEBOOK if rule.family == "EMP"}


def test_docs_rulebook_is_generated_from_the_declarations():
    from lienthong.sync.rules.document import rulebook_markdown

    path = SRC.parents[1] / "docs" / "rulebook.md"
    assert path.read_text(encoding="utf-8") == rulebook_markdown(), "run: lienthong rules --markdown > docs/rulebook.md"
