"""Small helpers the UI blueprints share: login and permission checks, safe redirects, forms.

Rules about who may do what live in ``workflow``; these only ask it (or read the role on
the :class:`~workflow.Actor`) to decide which page or button to show. The engine checks
again on every change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlparse

from flask import Blueprint, abort, request, url_for
from flask_login import current_user
from wtforms import Form

# wtforms 3.3 has SelectChoice; types-WTForms 3.2 does not know it yet
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

import workflow
from webapp.extensions import current_actor, current_workflow, login_manager
from webapp.i18n import word
from workflow import Actor, Definition, InvalidInput, ProjectView


def ui_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of the web UI: every page needs a logged-in user.

    ``enable_openapi = False`` keeps APIFlask from documenting these pages (and from
    looking for an attribute plain blueprints lack when it builds the spec).
    """
    bp = Blueprint(name, import_name)
    bp.enable_openapi = False  # type: ignore[attr-defined]
    bp.before_request(require_login)
    return bp


def require_login() -> Any:
    """Send anonymous visitors to the login page (before each UI request)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def actor() -> Actor:
    """The logged-in actor (pages of :func:`ui_blueprint` always have one)."""
    found = current_actor()
    if found is None:  # pragma: no cover - require_login ran first
        abort(401)
    return found


def require(allowed: bool) -> None:
    """Abort with the 403 page unless ``allowed``."""
    if not allowed:
        abort(403)


def spec_of(view: ProjectView) -> Definition:
    """The definition version a project runs on."""
    return current_workflow().catalog.of(view.project)


def is_owner(view: ProjectView) -> bool:
    """Whether the logged-in user owns the project."""
    return bool(view.project["owner_id"] == actor().id)


def may_decide(view: ProjectView) -> bool:
    """Whether the user may vote at (or resume) the gate the project waits at.

    The engine's :func:`workflow.may_vote` says who is in the gate's quorum; an owner
    never decides on their own project.
    """
    gate = view.project["pending_gate"]
    if not gate or is_owner(view):
        return False
    me, spec_gate = actor(), spec_of(view).gate(gate)
    if workflow.may_vote(me, spec_gate):
        return True
    # a named substitute votes in the groups they stand in for (the engine checks again)
    return any(
        workflow.may_vote(replace(me, role="gatekeeper", group=group), spec_gate)
        for group in workflow.substitute_groups(current_workflow(), me)
    )


def safe_next(target: str | None, default: str | None = None) -> str:
    """``target`` when it points into this site, else ``default`` (my projects)."""
    fallback = default or url_for("projects.mine")
    if not target or "\\" in target:
        return fallback
    host = urlparse(request.host_url)
    url = urlparse(urljoin(request.host_url, target))
    if url.scheme not in ("http", "https") or url.netloc != host.netloc:
        return fallback
    return target if target.startswith("/") and not target.startswith("//") else fallback


def field_name(engine_field: str) -> str:
    """The form field for an engine error key (``fields.need`` → ``field_need``)."""
    if engine_field.startswith("fields."):
        return "field_" + engine_field.removeprefix("fields.")
    return engine_field.replace(".", "_")


def run_form(form: Form, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the engine for a form; on :class:`InvalidInput` put each error on its field.

    Returns what ``call`` returned, or None when the engine refused the input. Errors
    without a matching field go to ``form.form_errors``, listed above the form.
    """
    try:
        return call(*args, **kwargs)
    except InvalidInput as exc:
        for key, message in exc.fields.items():
            target = getattr(form, field_name(key), None)
            text = word(message)
            if target is not None and hasattr(target, "errors"):
                target.errors = [*target.errors, text]
            else:
                form.form_errors.append(text)
        return None


def page_arg() -> int:
    """The ``page`` query argument as a number from 1 (bad values count as 1)."""
    return max(1, min(request.args.get("page", 1, type=int) or 1, 1_000_000))


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Choices of a select or radio field from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
