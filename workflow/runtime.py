"""What every use case runs in: who acts (Actor), the workflow it acts in (Workflow), and the
settings read from ``SAMSPILL_*`` environment variables (SPEC §2), read once and validated."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from workflow.errors import InvalidInput, Problem
from workflow.store.audit_keys import MIN_KEY_LENGTH, Keyring, load_keyring
from workflow.store.catalog import Catalog
from workflow.store.db import DEFAULT_DATABASE_URL, Database, missing_directory
from workflow.store.files import FileStore
from workflow.store.tables import utcnow

ROLES = ("owner", "gatekeeper", "coordinator", "admin")
LANGUAGES = ("nb", "en")


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a use case runs.

    Every role may propose and own projects; gatekeepers also decide at gates for their
    group; coordinators also manage organisations and see the portfolio; admins also
    manage users and definitions.
    """

    id: int
    email: str
    name: str
    role: str
    group: str | None = None
    language: str = "nb"

    @property
    def is_gatekeeper(self) -> bool:
        """Whether the actor may vote at gates (for their group)."""
        return self.role == "gatekeeper"

    @property
    def is_coordinator(self) -> bool:
        """Whether the actor may manage organisations and see portfolio reports."""
        return self.role in ("coordinator", "admin")

    @property
    def is_admin(self) -> bool:
        """Whether the actor may manage users and definitions."""
        return self.role == "admin"


class Workflow:
    """A database, its registered definitions and the settings the use cases need."""

    def __init__(
        self,
        db: Database,
        *,
        base_url: str = "http://127.0.0.1:5000",
        clock: Callable[[], datetime] = utcnow,
        zone: str = "Europe/Oslo",
    ) -> None:
        self.db = db
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.zone = ZoneInfo(zone)
        self.catalog = Catalog()

    def today(self, now: datetime | None = None) -> date:
        """The calendar day of ``now`` (default: the clock's) where the users are."""
        return (now or self.clock()).astimezone(self.zone).date()

    def reload_definitions(self) -> Catalog:
        """Re-read the registered definition versions from the database."""
        with self.db.read() as conn:
            return self.catalog.load(conn)

    def project_url(self, project_id: int) -> str:
        """The web address of a project's page, for links in mail."""
        return f"{self.base_url}/projects/{project_id}"


_CHECK_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _integer(env: Mapping[str, str], name: str, default: int) -> int:
    """An integer variable; 0 (refused by ``validate``) when it is not a number."""
    value = env.get(name)
    if not value:
        return default
    return int(value) if value.strip().isdigit() else 0


def _default_uploads(env: Mapping[str, str]) -> str:
    return env.get("SAMSPILL_UPLOADS") or "instance/uploads"


@dataclass(frozen=True)
class Settings:
    """Where the database, definitions and mail server are, and how links and times look."""

    database_url: str = DEFAULT_DATABASE_URL
    definitions: Path = Path("definitions")
    smtp_url: str | None = None
    base_url: str = "http://127.0.0.1:5000"
    timezone: str = "Europe/Oslo"
    env: str = "development"
    #: sender address of outgoing mail
    mail_from: str = "samspill@localhost"
    #: local time (HH:MM, in ``timezone``) of the daily stall, deadline and digest checks
    check_time: str = "06:00"
    #: gatekeepers get a digest of reviews waiting longer than this many days for their vote
    review_reminder_days: int = 3
    #: the secret that keys the audit trail; unset: ``instance/audit.key`` (not in production)
    audit_key: str | None = None
    #: earlier audit keys: events they signed still verify (key rotation)
    audit_old_keys: tuple[str, ...] = ()
    #: where attachments are stored: a folder or an fsspec URL (``s3://bucket/prefix``);
    #: unset, ``SAMSPILL_UPLOADS`` or ``instance/uploads`` (the daily sweep deletes files
    #: there that this database does not refer to, so a test never falls back on a real one)
    uploads: str = field(default_factory=lambda: _default_uploads(os.environ))
    #: the largest attachment accepted, in megabytes
    max_upload_mb: int = 25
    # --- single sign-on (OpenID Connect) ---
    #: the OpenID provider's issuer URL; unset: local passwords only
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    #: the client secret (``client_secret_basic``/``_post``), or …
    oidc_client_secret: str | None = None
    #: … a PEM private key file for ``private_key_jwt`` (ID-porten)
    oidc_private_key: str | None = None
    #: how the client authenticates at the token endpoint
    oidc_auth_method: str | None = None
    #: the provider's name on the login button ("Logg inn med …")
    oidc_name: str = "OpenID"
    #: claim values → role and gatekeeper group (``groups:x=gatekeeper/kommune;…``)
    oidc_role_map: str = ""
    #: local password login: ``on`` or ``off`` (only single sign-on; API tokens still work)
    local_login: str = "on"

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
            mail_from=env.get("SAMSPILL_MAIL_FROM") or "samspill@localhost",
            check_time=env.get("SAMSPILL_CHECK_TIME") or "06:00",
            review_reminder_days=_integer(env, "SAMSPILL_REVIEW_REMINDER_DAYS", 3),
            audit_key=env.get("SAMSPILL_AUDIT_KEY") or None,
            uploads=_default_uploads(env),
            max_upload_mb=_integer(env, "SAMSPILL_MAX_UPLOAD_MB", 25),
            oidc_issuer=env.get("SAMSPILL_OIDC_ISSUER") or None,
            oidc_client_id=env.get("SAMSPILL_OIDC_CLIENT_ID") or None,
            oidc_client_secret=env.get("SAMSPILL_OIDC_CLIENT_SECRET") or None,
            oidc_private_key=env.get("SAMSPILL_OIDC_PRIVATE_KEY") or None,
            oidc_auth_method=env.get("SAMSPILL_OIDC_AUTH_METHOD") or None,
            oidc_name=env.get("SAMSPILL_OIDC_NAME") or "OpenID",
            oidc_role_map=env.get("SAMSPILL_OIDC_ROLE_MAP") or "",
            local_login=(env.get("SAMSPILL_LOCAL_LOGIN") or "on").strip().lower(),
            audit_old_keys=tuple(
                k.strip()
                for k in (env.get("SAMSPILL_AUDIT_OLD_KEYS") or "").split(",")
                if k.strip()
            ),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise InvalidInput naming each variable whose value is unusable."""
        errors = {}
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors["SAMSPILL_TIMEZONE"] = Problem("unknown_time_zone", {"zone": self.timezone})
        if urlparse(self.base_url).scheme not in ("http", "https"):
            errors["SAMSPILL_BASE_URL"] = Problem("not_http_url")
        try:
            backend = make_url(self.database_url).get_backend_name()
        except ArgumentError:
            backend = None
        if backend not in ("sqlite", "postgresql"):
            errors["SAMSPILL_DATABASE_URL"] = Problem("not_database_url")
        elif (missing := missing_directory(self.database_url)) is not None:
            errors["SAMSPILL_DATABASE_URL"] = Problem("no_directory", {"directory": str(missing)})
        if self.smtp_url and urlparse(self.smtp_url).scheme not in ("smtp", "smtps"):
            errors["SAMSPILL_SMTP_URL"] = Problem("not_smtp_url")
        if not _CHECK_TIME.fullmatch(self.check_time):
            errors["SAMSPILL_CHECK_TIME"] = Problem("not_time_of_day")
        if self.review_reminder_days < 1:
            errors["SAMSPILL_REVIEW_REMINDER_DAYS"] = Problem("not_day_count")
        if not 1 <= self.max_upload_mb <= 10_000:
            errors["SAMSPILL_MAX_UPLOAD_MB"] = Problem("number_between", {"min": 1, "max": 10_000})
        errors.update(self._audit_key_errors())
        errors.update(self._oidc_errors())
        if errors:
            raise InvalidInput(errors)

    def _audit_key_errors(self) -> dict[str, Problem]:
        errors = {}
        if self.audit_key is None and self.env == "production":
            errors["SAMSPILL_AUDIT_KEY"] = Problem("required_in_production")
        elif self.audit_key is not None and len(self.audit_key) < MIN_KEY_LENGTH:
            errors["SAMSPILL_AUDIT_KEY"] = Problem("too_short", {"min": MIN_KEY_LENGTH})
        if any(len(k) < MIN_KEY_LENGTH for k in self.audit_old_keys):
            errors["SAMSPILL_AUDIT_OLD_KEYS"] = Problem("keys_too_short", {"min": MIN_KEY_LENGTH})
        return errors

    def _oidc_errors(self) -> dict[str, Problem]:
        from workflow.domain.sso import AUTH_METHODS, parse_role_map

        errors: dict[str, Problem] = {}
        if self.local_login not in ("on", "off"):
            errors["SAMSPILL_LOCAL_LOGIN"] = Problem("not_one_of", {"choices": ["on", "off"]})
        try:
            parse_role_map(self.oidc_role_map)
        except InvalidInput as bad:
            errors.update(bad.fields)
        if self.oidc_issuer is None:
            if self.local_login == "off":
                errors["SAMSPILL_LOCAL_LOGIN"] = Problem("needs_oidc")
            return errors
        if urlparse(self.oidc_issuer).scheme not in ("http", "https"):
            errors["SAMSPILL_OIDC_ISSUER"] = Problem("not_http_url")
        if not self.oidc_client_id:
            errors["SAMSPILL_OIDC_CLIENT_ID"] = Problem("required")
        if self.oidc_auth_method is not None and self.oidc_auth_method not in AUTH_METHODS:
            errors["SAMSPILL_OIDC_AUTH_METHOD"] = Problem(
                "not_one_of", {"choices": list(AUTH_METHODS)}
            )
        if self.oidc_private_key:
            if not Path(self.oidc_private_key).is_file():
                errors["SAMSPILL_OIDC_PRIVATE_KEY"] = Problem("no_file")
        elif not self.oidc_client_secret:
            errors["SAMSPILL_OIDC_CLIENT_SECRET"] = Problem("secret_or_key")
        return errors

    @property
    def oidc_method(self) -> str:
        """How the client authenticates at the token endpoint."""
        if self.oidc_auth_method:
            return self.oidc_auth_method
        return "private_key_jwt" if self.oidc_private_key else "client_secret_basic"

    def audit_keyring(self, instance: Path = Path("instance")) -> Keyring:
        """The audit keys: ``audit_key`` (else ``instance/audit.key``) and the old ones."""
        return load_keyring(self.audit_key, self.audit_old_keys, instance)

    def file_store(self) -> FileStore:
        """The attachment store of ``uploads``."""
        return FileStore(self.uploads)

    def database(self) -> Database:
        """The configured database, signing its audit trail with the configured key."""
        return Database.from_url(self.database_url, audit_keys=self.audit_keyring())

    @property
    def check_hour_minute(self) -> tuple[int, int]:
        """The hour and minute of ``check_time``."""
        hour, minute = self.check_time.split(":")
        return int(hour), int(minute)

    @property
    def zone(self) -> ZoneInfo:
        """The time zone for display and for reading ``--as-of`` dates."""
        return ZoneInfo(self.timezone)
