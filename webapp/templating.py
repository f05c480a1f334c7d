"""Jinja helpers: dates in Europe/Oslo, sanitised Markdown, diagrams, the vocabularies."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

import markdown
import nh3
from flask import Flask
from flask_babel import format_datetime
from markupsafe import Markup

import workflow
from webapp.extensions import current_actor
from webapp.i18n import (
    DAY_PATTERNS,
    VOCABULARIES,
    WORDS,
    day,
    decimal,
    gate_requirements,
    group_label,
    language,
    localized,
    money,
    number,
    percent,
)

DATE_PATTERNS = {"nb": "d. MMM y 'kl.' HH:mm", "en": "d MMM y, HH:mm"}


@lru_cache(maxsize=1024)
def render_markdown(text: str) -> Markup:
    """Markdown as HTML, sanitised by nh3 (no scripts, styles or event handlers)."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return Markup(nh3.clean(html))


def when(value: datetime | None, *, day_only: bool = False) -> str:
    """A moment as Norwegian (or English) date and time in the configured time zone."""
    if value is None:
        return ""
    patterns = DAY_PATTERNS if day_only else DATE_PATTERNS
    return format_datetime(value, patterns[language()])


#: (id of definition, language, stage) → (definition, svg); holding it keeps the id unique
_diagrams: dict[tuple[int, str, str | None], tuple[workflow.Definition, Markup]] = {}


def diagram(spec: workflow.Definition, highlight: str | None = None) -> Markup:
    """The definition's SVG diagram (drawn by the engine; it escapes every text)."""
    key = (id(spec), language(), highlight)
    cached = _diagrams.get(key)
    if cached is None:
        if len(_diagrams) > 2000:
            _diagrams.clear()
        svg = workflow.draw(spec, "svg", language=key[1], highlight=highlight)
        cached = _diagrams[key] = (spec, Markup(svg))  # the engine escapes every text
    return cached[1]


def described_by(field: Any) -> str:
    """The ids of a form field's help and error texts, for ``aria-describedby``."""
    ids = [f"{field.id}-help"] if field.description else []
    if field.errors:
        ids.append(f"{field.id}-error")
    return " ".join(ids)


def field_attrs(field: Any, class_: str = "") -> dict[str, Any]:
    """HTML attributes of a form input: its descriptions, invalid state and class."""
    attrs: dict[str, Any] = {}
    if described_by(field):
        attrs["aria-describedby"] = described_by(field)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if class_:
        attrs["class"] = class_
    return attrs


def definition(key: str, version: int | None = None) -> workflow.Definition:
    """A registered definition (a project's version, or the newest)."""
    from webapp.extensions import current_workflow

    return current_workflow().catalog.get(key, version)


def quorum_text(gate: workflow.Gate) -> str:
    """Who must vote go at a gate, e.g. “kommune 1, ntnu 1”."""
    from flask_babel import gettext as _

    return ", ".join(
        _("%(n)s from any group", n=n) if group == "any" else f"{group_label(group)} {n}"
        for group, n in gate.quorum.items()
    )


def has_endpoint(name: str) -> bool:
    """Whether the app has a view called ``name`` (pages another blueprint may add)."""
    from flask import current_app

    return name in current_app.view_functions


def gate_name(gate: workflow.Gate) -> str:
    """A gate's title in the page language, its decision point first (``BP2: Klar``)."""
    title = localized(gate.title)
    return f"{localized(gate.decision_point)}: {title}" if gate.decision_point else title


def kill_quorum_text(gate: workflow.Gate) -> str:
    """Who must vote kill at a gate with a kill quorum, e.g. “kommune 1, ntnu 1”."""
    from flask_babel import gettext as _

    return ", ".join(
        _("%(n)s from any group", n=n) if group == "any" else f"{group} {n}"
        for group, n in (gate.kill_quorum or {}).items()
    )


def task_count() -> int:
    """The number of the user's open tasks, for the menu's badge."""
    from webapp.tasks.views import task_count as count

    return count()


def _globals() -> dict[str, Any]:
    return {
        "lang": language(),
        "actor": current_actor(),
        "t": localized,
        "statuses": VOCABULARIES["status"],
        "status_label": WORDS["status"],
        "decision_label": WORDS["decision"],
        "org_type_label": WORDS["organisation_type"],
        "area_label": WORDS["thematic_area"],
        "role_label": WORDS["role"],
        "partner_status_label": WORDS["partner_status"],
        "gate_requirements": gate_requirements,
        "partner_statuses": VOCABULARIES["partner_status"],
    }


def init_app(app: Flask) -> None:
    """Register the filters and globals the templates use."""
    app.jinja_env.filters.update(markdown=render_markdown, when=when, day=day, decimal=decimal)

    app.jinja_env.filters.update(
        markdown=render_markdown, when=when, day=day, money=money, percent=percent, number=number
    )
    app.jinja_env.filters.update(group=group_label)
    app.jinja_env.globals.update(
        diagram=diagram,
        definition=definition,
        quorum_text=quorum_text,
        has_endpoint=has_endpoint,
        described_by=described_by,
        field_attrs=field_attrs,
        task_count=task_count,
        gate_name=gate_name,
        kill_quorum_text=kill_quorum_text,
    )
    app.context_processor(_globals)
