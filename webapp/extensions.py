"""Flask extensions, each set up by ``init_app``; and access to the app's workflow."""

from __future__ import annotations

from flask import Flask, current_app, g, session
from flask_babel import Babel
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

import workflow
from workflow import Actor, Workflow

csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = None  # the login page explains itself


class WebUser(UserMixin):
    """The logged-in user for Flask-Login, wrapping the engine's :class:`Actor`.

    Its id in the session cookie is ``user id.session generation``: logging out raises the
    generation, and every cookie carrying the old one stops signing anyone in.
    """

    def __init__(self, actor: Actor, session: int) -> None:
        self.actor = actor
        self.session = session

    def get_id(self) -> str:
        return f"{self.actor.id}.{self.session}"

    def __getattr__(self, name: str) -> object:
        return getattr(self.actor, name)


def current_workflow() -> Workflow:
    """The workflow of the running app."""
    return current_app.extensions["samspill"]  # type: ignore[no-any-return]


def current_actor() -> Actor | None:
    """The actor of the request: the logged-in user, or the API token's user."""
    api_actor = g.get("api_actor")
    if api_actor is not None:
        return api_actor  # type: ignore[no-any-return]
    if current_user.is_authenticated:
        return current_user.actor  # type: ignore[no-any-return]
    return None


@login_manager.user_loader
def load_user(session_id: str) -> WebUser | None:
    """Flask-Login's loader: the active user of this session id, or None (logged out)."""
    user_id, _, generation = session_id.partition(".")
    if not (
        user_id.isascii() and user_id.isdigit() and generation.isascii() and generation.isdigit()
    ):
        return None
    actor = workflow.actor_for_session(current_workflow(), int(user_id), int(generation))
    return WebUser(actor, int(generation)) if actor else None


def select_locale() -> str:
    """The page language: the user's saved choice, the session's, else bokmål."""
    actor = current_actor()
    if actor is not None:
        return actor.language
    chosen = session.get("language")
    if chosen in workflow.LANGUAGES:
        return str(chosen)
    return "nb"


def init_app(app: Flask, wf: Workflow) -> None:
    """Attach the workflow and set up CSRF, Babel and Flask-Login."""
    app.extensions["samspill"] = wf
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    login_manager.init_app(app)
