"""Case-insensitive ``contains`` for every letter, on both databases (SPEC §7, Search).

SQLite's ``LIKE`` and ``lower()`` fold ASCII only, so ``LÆRING`` would not find
``læring``: each SQLite connection gets a ``samspill_fold`` function (Python's
``str.casefold``) instead. PostgreSQL's ``lower()`` folds every letter under a UTF-8
locale. Both sides of the comparison go through the same fold, so they always agree. An
ASCII search keeps the databases' own (faster) case-insensitive ``LIKE``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FOLD = "samspill_fold"


def casefold(text: str | None) -> str | None:
    """``text`` case-folded (the SQLite function; ``None`` stays ``None``)."""
    return None if text is None else text.casefold()


class Fold(FunctionElement[str]):
    """``x`` with every letter case-folded, in SQL: ``Fold(column)``."""

    type = String()
    name = "fold"
    inherit_cache = True


@compiles(Fold)
def _lower(element: Fold, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(Fold, "sqlite")
def _sqlite_fold(element: Fold, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


def contains(column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    """Whether ``column`` contains ``text``, ignoring case for every letter."""
    escaped = text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    pattern = f"%{escaped}%"
    if text.isascii():
        # the databases' own folding suffices for ASCII, and a Python call per row costs
        # SQLite ~6x the scan (100,000 projects: 500 ms against 85 ms)
        return column.ilike(pattern, escape="\\")
    return Fold(column).like(Fold(literal(pattern)), escape="\\")
