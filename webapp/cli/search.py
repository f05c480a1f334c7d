"""``samspill search QUERY [--json]``: full-text search over projects and lessons learned."""

from __future__ import annotations

import json

import click

import workflow
from webapp.cli.common import opened, user_errors


@click.command()
@click.argument("query")
@click.option(
    "--kind", type=click.Choice(["project", "lesson"]), default=None, help="Only this kind."
)
@click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@user_errors
def search(query: str, kind: str | None, limit: int, as_json: bool) -> None:
    """Search projects and lessons learned; the best hits first."""
    with opened() as wf:
        found = workflow.search(wf, query, kind=kind, per_page=limit)
    rows = [
        {
            "kind": h["kind"],
            "project_id": h["project_id"],
            "title": h["title"],
            "status": h["status"],
            "score": h["score"],
            "snippet": h["snippet"].replace("\x02", "").replace("\x03", ""),
        }
        for h in found.items
    ]
    if as_json:
        click.echo(json.dumps({"total": found.total, "items": rows}, ensure_ascii=False, indent=2))
        return
    for r in rows:
        snippet = " ".join(r["snippet"].split())
        click.echo(f"{r['project_id']}\t{r['kind']}\t{r['title']}\t{snippet}")
    click.echo(f"{found.total} hits", err=True)
