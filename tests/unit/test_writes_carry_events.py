"""ENG-1 (issue 6, item 17): an app changes its records only through its use cases,
which write each change with its event; a bare UPDATE/DELETE/INSERT statement in an
app would change rows that no copy ever hears of."""

from __future__ import annotations

import ast
from pathlib import Path

APPS = Path(__file__).parents[2] / "src" / "lienthong"
BARE = {"update", "delete", "insert"}


def test_no_app_module_writes_rows_with_a_bare_statement():
    found = []
    for app in ("system", "accounting", "crm", "process"):
        for path in sorted((APPS / app).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                    found += [f"{app}/{path.name}: {a.name}" for a in node.names if a.name in BARE]
    assert found == []
