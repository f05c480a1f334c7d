"""Settings from ``SAMSPILL_*`` environment variables (SPEC §2), read once and validated."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workflow.db import DEFAULT_DATABASE_URL
from workflow.errors import InvalidInput


@dataclass(frozen=True)
class Settings:
    """Where the database, definitions and mail server are, and how links and times look."""

    database_url: str = DEFAULT_DATABASE_URL
    definitions: Path = Path("definitions")
    smtp_url: str | None = None
    base_url: str = "http://127.0.0.1:5000"
    timezone: str = "Europe/Oslo"
    env: str = "development"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read the settings from the environment; raise InvalidInput naming a bad variable."""
        env = os.environ if environ is None else environ
        settings = cls(
            database_url=env.get("SAMSPILL_DATABASE_URL") or DEFAULT_DATABASE_URL,
            definitions=Path(env.get("SAMSPILL_DEFINITIONS") or "definitions"),
            smtp_url=env.get("SAMSPILL_SMTP_URL") or None,
            base_url=env.get("SAMSPILL_BASE_URL") or "http://127.0.0.1:5000",
            timezone=env.get("SAMSPILL_TIMEZONE") or "Europe/Oslo",
            env=env.get("SAMSPILL_ENV") or "development",
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise InvalidInput naming each variable whose value is unusable."""
        errors = {}
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors["SAMSPILL_TIMEZONE"] = f"unknown time zone '{self.timezone}'"
        if urlparse(self.base_url).scheme not in ("http", "https"):
            errors["SAMSPILL_BASE_URL"] = "must start with http:// or https://"
        if self.smtp_url and urlparse(self.smtp_url).scheme not in ("smtp", "smtps"):
            errors["SAMSPILL_SMTP_URL"] = "must look like smtp://host:port"
        if errors:
            raise InvalidInput(errors)

    @property
    def zone(self) -> ZoneInfo:
        """The time zone for display and for reading ``--as-of`` dates."""
        return ZoneInfo(self.timezone)
