"""Small checks of input values that several use cases share."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow.domain.text import has_control
from workflow.errors import Problem


def line_problem(value: Any, most: int, *, required: bool) -> Problem | None:
    """What is wrong with a one-line text of at most ``most`` characters, or None."""
    if not isinstance(value, str) or len(value) > most or (required and not value.strip()):
        return Problem("length_between", {"min": 1 if required else 0, "max": most})
    if has_control(value):
        return Problem("not_one_line")
    return None


def as_day(value: Any) -> date | None:
    """A date, or an ISO ``YYYY-MM-DD`` text as one; None for anything else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
