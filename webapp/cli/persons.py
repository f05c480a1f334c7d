"""``samspill person export|erase EMAIL``: everything held about a person, and its erasure
(SPEC §3)."""

from __future__ import annotations

import click

from webapp.cli.common import opened, user_errors
from workflow import erase_person, export_person


@click.group()
def person() -> None:
    """Export or erase a person's data (GDPR)."""


@person.command("export")
@click.argument("email")
@user_errors
def person_export(email: str) -> None:
    """Print everything held about the person with EMAIL, as JSON."""
    with opened() as wf:
        for chunk in export_person(wf, email):
            click.echo(chunk, nl=False)


@person.command("erase")
@click.argument("email")
@user_errors
def person_erase(email: str) -> None:
    """Anonymise the person with EMAIL everywhere; the audit trail still verifies."""
    with opened() as wf:
        done = erase_person(wf, None, email)
    click.echo(
        f"erased: user {done.user_id} is now {done.email}; {done.events} audit event(s) in "
        f"{done.projects} project(s) redacted and re-signed, {done.rows} other row(s) anonymised"
    )
