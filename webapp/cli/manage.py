"""Commands that set up and look after an installation: init, definitions, users, tokens,
the stalled list and the audit check."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

import workflow
from webapp.cli.common import as_of_option, fail, moment, opened, settings, user_errors
from workflow import (
    Workflow,
    initialise,
)


@click.command()
@click.option("--demo", is_flag=True, help="Also load demo organisations, users and projects.")
@user_errors
def init(demo: bool) -> None:
    """Migrate the database and register the definitions (idempotent)."""
    config = settings()
    wf = Workflow(config.database(), base_url=config.base_url, zone=config.timezone)
    try:
        for reg in initialise(wf, config):
            click.echo(f"definition {reg.key} v{reg.version}: {reg.outcome}")
        if demo:
            from workflow.demo import load_demo

            logins = load_demo(
                wf, store=config.file_store(), versions=config.definitions / "versions"
            )
            click.echo("demo data loaded; log in with one of:")
            for line in logins:
                click.echo(f"  {line}")
        click.echo(f"database ready: {wf.db.engine.url.render_as_string(hide_password=True)}")
    finally:
        wf.db.dispose()


@click.group()
def definitions() -> None:
    """Validate, list and draw workflow definitions."""


@definitions.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@user_errors
def definitions_check(paths: tuple[Path, ...]) -> None:
    """Validate definition files (default: SAMSPILL_DEFINITIONS and its versions/ folder)."""
    for definition in workflow.check_definitions(paths or (settings().definitions,)):
        click.echo(f"{definition.key} v{definition.version}: ok")


@definitions.command("list")
@user_errors
def definitions_list() -> None:
    """List the definitions in SAMSPILL_DEFINITIONS."""
    for d, _ in workflow.load_definitions([settings().definitions]):
        click.echo(f"{d.key}\tv{d.version}\t{len(d.stages)} stages\t{d.title.nb} / {d.title.en}")


@definitions.command("show")
@click.argument("key")
@click.option(
    "--format", "fmt", type=click.Choice(workflow.FORMATS), default="mermaid", show_default=True
)
@click.option("--highlight", metavar="STAGE", help="Mark this stage.")
@click.option("--language", type=click.Choice(workflow.LANGUAGES), default="nb", show_default=True)
@user_errors
def definitions_show(key: str, fmt: str, highlight: str | None, language: str) -> None:
    """Draw the definition KEY as a diagram."""
    found = {d.key: d for d, _ in workflow.load_definitions([settings().definitions])}
    if key not in found:
        fail(f"unknown definition '{key}'; known: {', '.join(sorted(found))}")
    d = found[key]
    if highlight and highlight not in {s.key for s in d.stages}:
        fail(f"definition '{key}' has no stage '{highlight}'")
    click.echo(workflow.draw(d, fmt, language=language, highlight=highlight), nl=False)


@click.group()
def user() -> None:
    """Manage users."""


@user.command("add")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(workflow.ROLES))
@click.option("--group", help="Gatekeeper group, e.g. kommune or ntnu.")
@click.option("--org", "org", help="Key of the user's organisation.")
@click.option("--language", type=click.Choice(workflow.LANGUAGES), default="nb")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@user_errors
def user_add(
    email: str,
    name: str,
    role: str,
    group: str | None,
    org: str | None,
    language: str,
    password_stdin: bool,
) -> None:
    """Create a user; the password comes from stdin or a prompt."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with opened() as wf:
        user_id = workflow.add_user(
            wf,
            email=email,
            name=name,
            role=role,
            password=password,
            group=group,
            organisation_key=org,
            language=language,
        )
    click.echo(f"user {user_id} created: {email} ({role})")


@click.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("email")
@click.option(
    "--expires-in",
    "days",
    type=int,
    default=workflow.TOKEN_DAYS,
    show_default=True,
    metavar="DAYS",
    help="Days until the token stops working (1 to 3650).",
)
@user_errors
def token_create(email: str, days: int) -> None:
    """Print a new API token for the user EMAIL."""
    with opened() as wf:
        click.echo(workflow.create_token(wf, email, days=days))


@token.command("revoke")
@click.argument("token_or_prefix")
@user_errors
def token_revoke(token_or_prefix: str) -> None:
    """Revoke a token, given whole or by its first 12 characters."""
    with opened() as wf:
        count = workflow.revoke_token(wf, token_or_prefix)
    click.echo(f"revoked {count} token(s)")


@click.command()
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@user_errors
def stalled(as_of: datetime | None, as_json: bool) -> None:
    """List stalled projects: id, title, stage, days idle, owner."""
    with opened() as wf:
        when = moment(wf, as_of)
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            result = workflow.stalled_projects(wf, as_of=when, page=page, per_page=100)
            items.extend(result.items)
            if page >= result.pages:
                break
            page += 1
    rows = [
        {
            "id": i["id"],
            "title": i["title"],
            "definition": i["definition_key"],
            "stage": i["stage"],
            "days_idle": i["days_idle"],
            "owner": i["owner_email"],
        }
        for i in items
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['id']}\t{r['title']}\t{r['definition']}/{r['stage']}\t"
            f"{r['days_idle']} days\t{r['owner']}"
        )
    click.echo(f"{len(rows)} stalled project(s)", err=True)


@click.group()
def audit() -> None:
    """Inspect the audit trail."""


@audit.command("verify")
@user_errors
def audit_verify() -> None:
    """Verify every chain with the audit key, each project's state and votes, and the ledger;
    exit 1 naming each fault."""
    with opened() as wf, wf.db.read() as conn:
        faults = list(workflow.verify_chains(conn))
    if faults:
        for fault in faults:
            click.echo(f"audit chain broken: {fault}", err=True)
        sys.exit(1)
    click.echo(
        "audit trail verified: every chain is intact and signed, and every project's "
        "stage, status and votes agree with its events"
    )


@audit.command("rekey")
@user_errors
def audit_rekey() -> None:
    """Re-sign the whole trail with the current SAMSPILL_AUDIT_KEY (after an upgrade or a
    key rotation); refuses, changing nothing, unless the trail verifies first."""
    with opened() as wf, wf.db.write() as conn:
        outcome = workflow.rekey_chains(conn, wf.db.audit_keys)
    if isinstance(outcome, list):
        for fault in outcome:
            click.echo(f"audit chain broken: {fault}", err=True)
        fail("nothing re-signed: the trail does not verify with the keys it was signed with")
    click.echo(f"re-signed {outcome} audit event(s) with the current audit key")
