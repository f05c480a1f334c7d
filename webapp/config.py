"""Flask configuration: defaults, then ``SAMSPILL_*`` variables, then overrides (tests)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from workflow import InvalidInput, Problem, Settings


def secret_key(settings: Settings, instance_path: Path) -> str:
    """``SAMSPILL_SECRET_KEY``; in development one generated once into ``instance/``."""
    configured = os.environ.get("SAMSPILL_SECRET_KEY")
    if configured:
        return configured
    if settings.env == "production":
        raise InvalidInput({"SAMSPILL_SECRET_KEY": Problem("required_in_production")})
    path = instance_path / "secret_key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def build_config(settings: Settings, instance_path: Path) -> dict[str, Any]:
    """The Flask configuration for ``settings``."""
    production = settings.env == "production"
    return {
        "SECRET_KEY": secret_key(settings, instance_path),
        "SAMSPILL_SETTINGS": settings,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_DEFAULT_TIMEZONE": settings.timezone,
        "WTF_CSRF_TIME_LIMIT": None,
        "SAMSPILL_RUN_SCHEDULER": False,
    }
