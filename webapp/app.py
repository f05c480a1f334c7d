"""The application factory: configuration, extensions, error handlers and blueprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apiflask import APIFlask

from webapp import errors, extensions, guards, headers, templating
from webapp.config import build_config
from workflow import Settings, Workflow, open_workflow


def create_app(
    overrides: dict[str, Any] | None = None,
    *,
    settings: Settings | None = None,
    wf: Workflow | None = None,
) -> APIFlask:
    """Build the app: defaults, then ``SAMSPILL_*`` variables, then ``overrides``.

    Args:
        overrides: Flask config values that win over everything (tests).
        settings: the settings to use instead of reading the environment.
        wf: an open workflow to use instead of opening the configured database.
    """
    settings = settings or Settings.from_env()
    app = APIFlask(
        __name__,
        title="Samspill API",
        version="1",
        spec_path="/api/v1/openapi.json",
        docs_path=None,
        instance_path=str(Path("instance").resolve()),
    )
    app.config.update(build_config(settings, Path(app.instance_path)))
    app.config.update(overrides or {})
    extensions.init_app(app, wf or open_workflow(settings))
    errors.init_app(app)
    guards.init_app(app)
    templating.init_app(app)
    headers.init_app(app)
    _register_blueprints(app)
    from webapp.auth import sso

    sso.init_app(app, settings)
    if app.config["SAMSPILL_RUN_SCHEDULER"]:  # `samspill serve` without --no-scheduler
        from webapp.scheduler import start_in_app

        start_in_app(app)
    return app


def _register_blueprints(app: APIFlask) -> None:
    from webapp.admin import bp as admin_bp
    from webapp.api import bp as api_bp
    from webapp.auth import bp as auth_bp
    from webapp.calls import bp as calls_bp
    from webapp.definitions import bp as definitions_bp
    from webapp.gates import bp as gates_bp
    from webapp.organisations import bp as organisations_bp
    from webapp.portfolio import bp as portfolio_bp
    from webapp.projects import bp as projects_bp
    from webapp.tasks import bp as tasks_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(gates_bp)
    app.register_blueprint(portfolio_bp)
    app.register_blueprint(definitions_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(admin_bp)
    # --- open data (issue #17) ---
    from webapp.open import bp as open_bp

    app.register_blueprint(open_bp)
    # --- search and lessons learned (issue 13) ---
    from webapp.search import bp as search_bp

    app.register_blueprint(search_bp)
    # governance: My tasks
    app.register_blueprint(tasks_bp)
