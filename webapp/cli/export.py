"""``samspill export``: the portfolio as CSV or XLSX, streamed so any size fits in memory."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from workflow import ProjectFilter, portfolio_rows


def _write_csv(rows: Iterable[list[Any]], output: Path | None) -> None:
    handle = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    finally:
        if output:
            handle.close()


def _write_xlsx(rows: Iterable[list[Any]], output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Portefølje")

    def cell(value: Any) -> Any:
        if hasattr(value, "tzinfo"):
            return value.replace(tzinfo=None)
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"  # openpyxl makes any text starting with "=" a formula
        return text

    for row in rows:
        sheet.append([cell(v) for v in row])
    book.save(output)


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default for csv: standard output).",
)
@click.option("--definition", help="Only projects of this definition.")
@click.option("--status", help="Only projects with this status.")
@click.option("--language", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
def export(
    fmt: str, output: Path | None, definition: str | None, status: str | None, language: str
) -> None:
    """Export the portfolio as a spreadsheet (one row per project)."""
    from webapp.cli.common import fail, opened

    if fmt == "xlsx" and output is None:
        fail("--format xlsx needs --output FILE")
    with opened() as wf:
        known = wf.catalog.keys()
        if definition and definition not in known:
            fail(f"unknown definition '{definition}'; known: {', '.join(known)}")
        rows = portfolio_rows(
            wf, ProjectFilter(definition=definition, status=status), language=language
        )
        if fmt == "csv":
            _write_csv(rows, output)
        else:
            assert output is not None
            _write_xlsx(rows, output)
    if output:
        click.echo(f"portfolio written to {output}", err=True)
