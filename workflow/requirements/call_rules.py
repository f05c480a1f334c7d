"""``requires: call_rules: true``: the project's current application meets its call's rules
(SPEC §2c; the rules are :mod:`workflow.domain.call_rules`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import StrictBool

from workflow.errors import MESSAGES as _ALL
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    code: _ALL[code] for code in ("application_missing", "call_rules_met", "call_rules_broken")
}


def check(_d: Definition, _gate: Gate, _where: str) -> Iterator[tuple[str, str]]:
    """The shape says it all."""
    return iter(())


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """One criterion when asked for: the current application breaks none of its call's rules."""
    if not gate.requires.call_rules:
        return
    app = facts.application
    if app is None:
        yield Criterion("call_rules", "application", False, "application_missing")
    elif app.call_rules_unmet:
        rules = list(app.call_rules_unmet)
        yield Criterion("call_rules", "application", False, "call_rules_broken", {"rules": rules})
    else:
        yield Criterion("call_rules", "application", True, "call_rules_met")


KIND = RequirementKind("call_rules", StrictBool, False, check, evaluate, MESSAGES)
