"""The read side (``workflow/queries/``) stands on tables and pure rules, not on the write side."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

QUERIES = Path(__file__).parents[2] / "workflow" / "queries"
WRITE_SIDE = ("workflow.services", "workflow.store.pipeline")


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.py")), ids=lambda p: p.name)
def test_a_query_module_imports_nothing_of_the_write_side(path: Path) -> None:
    offending = {
        name
        for name in _imported_modules(path)
        if any(name == w or name.startswith(w + ".") for w in WRITE_SIDE)
    }
    assert not offending, f"{path.name} imports {sorted(offending)}"
