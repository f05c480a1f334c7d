"""Every code the engine can report, and every key of its vocabularies, is worded in both
catalogues; the codes come from the engine's own table, not from a list kept here."""

from __future__ import annotations

import ast
import re
from functools import cache

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tests.webtools import TRANSLATIONS
from webapp import i18n
from workflow import Problem
from workflow.errors import MESSAGES

ENGINE_CODES = sorted(MESSAGES)
PLACEHOLDER = re.compile(r"%\((\w+)\)")


@cache
def catalogue(locale: str) -> Catalog:
    """The ``messages.po`` of ``locale``."""
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def msgid(lazy: object) -> str:
    """The message id a lazy string translates."""
    return str(lazy._args[0])  # type: ignore[attr-defined]  # LazyString(gettext, msgid)


def test_the_webapp_words_exactly_the_codes_the_engine_has():
    assert sorted(i18n.CODES) == ENGINE_CODES


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("code", ENGINE_CODES)
def test_each_engine_code_is_translated(code, locale):
    english = msgid(i18n.CODES[code])

    message = catalogue(locale).get(english)

    assert message is not None, f"{code}: '{english}' is not in the {locale} catalogue"
    assert message.string.strip(), f"{code}: no {locale} msgstr"
    assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(english))
    if locale == "nb":
        assert message.string != english, f"{code}: the bokmål is the English"


@pytest.mark.parametrize("name", sorted(i18n.VOCABULARIES))
def test_each_engine_vocabulary_key_is_worded_in_both_catalogues(name):
    assert set(i18n.WORDS[name]) == set(i18n.VOCABULARIES[name])
    for key, words in i18n.WORDS[name].items():
        for locale in ("nb", "en"):
            message = catalogue(locale).get(msgid(words))
            assert message is not None, f"{name}.{key} is not in the {locale} catalogue"
            assert message.string.strip(), f"{name}.{key}: no {locale} msgstr"


def worded_in(app, language: str, problem: Problem) -> str:
    """``problem`` worded on a page in ``language``."""
    with app.test_request_context():
        from flask import session

        session["language"] = language
        return i18n.word(problem)


def test_a_problem_is_worded_in_the_page_language(app):
    problem = Problem("too_long", {"max": 200})

    assert worded_in(app, "en", problem) == "Must be at most 200 characters."
    assert worded_in(app, "nb", problem) == "Kan ha høyst 200 tegn."


def test_a_status_parameter_is_worded_too(app):
    problem = Problem("status_forbids", {"trigger": "edit", "status": "in_review", "project": 1})

    assert worded_in(app, "nb", problem) == (
        "Det er ikke mulig med prosjektets nåværende status (Til vurdering)."
    )


def webapp_imports(module: str) -> set[str]:
    """The ``webapp`` modules ``module`` imports anywhere in its file, at the top or lazily."""
    path = TRANSLATIONS.parent / f"{module.removeprefix('webapp.').replace('.', '/')}.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("webapp"):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("webapp"))
    return found


def test_the_wording_modules_do_not_import_the_jinja_helpers():
    assert webapp_imports("webapp.i18n") == set()
    assert webapp_imports("webapp.labels") == {"webapp.i18n"}
    assert "webapp.labels" not in webapp_imports("webapp.templating")


def _recorded_actions() -> set[str]:
    """Every audit action the engine records: the literal first argument of each
    ``record(…)`` call in workflow/, the decisions' actions and the stall check's."""
    from tests.conftest import ROOT
    from workflow.services.decisions import _ACTIONS

    found = set(_ACTIONS.values()) | {"stalled", "escalated", "checklist_unticked"}
    for path in (ROOT / "workflow").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and node.args
            ):
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                elif isinstance(first, ast.IfExp):
                    found |= {
                        n.value for n in (first.body, first.orelse) if isinstance(n, ast.Constant)
                    }
    return found


def test_every_action_the_engine_records_has_words_on_the_timeline(app):
    from tests.conftest import SHIPPED
    from webapp.labels import describe_event
    from workflow import load_definitions

    spec = next(d for d, _ in load_definitions([SHIPPED]) if d.key == "ipo")
    actions = _recorded_actions()
    assert {"roles_set", "attachment_added", "application_decided"} <= actions
    raw = []
    for action in sorted(actions):
        event = {"action": action, "payload": {}, "from_stage": None, "to_stage": None}
        with app.test_request_context("/", headers={"Accept-Language": "nb"}):
            text = describe_event(event, spec)
        if text == action.replace("_", " "):
            raw.append(action)
    assert raw == []
