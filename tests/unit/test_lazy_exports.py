"""``workflow`` exports its public names lazily, and every name still resolves."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import workflow

INIT = Path(workflow.__file__)


def test_importing_workflow_loads_none_of_its_modules():
    code = "import sys, workflow; print([m for m in sys.modules if m.startswith('workflow.')])"

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "[]"


def test_every_public_name_resolves_to_the_object_of_its_module():
    for module, names in workflow._MODULES.items():
        for name in names:
            assert getattr(workflow, name) is getattr(importlib.import_module(module), name)


def test_the_typed_imports_the_lazy_table_and_all_name_the_same_things():
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    guarded = next(n for n in tree.body if isinstance(n, ast.If))  # if TYPE_CHECKING:
    typed = {
        (node.module, alias.name)
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    lazy = {(module, name) for module, names in workflow._MODULES.items() for name in names}

    assert typed == lazy
    assert sorted(name for _, name in lazy) == sorted(workflow.__all__)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        workflow.no_such_name  # noqa: B018
