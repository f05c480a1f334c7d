"""``samspill export``: the portfolio as CSV or XLSX, streamed so any size fits in memory."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from webapp.cli.common import fail, opened
from workflow import STATUSES, ProjectFilter, portfolio_rows


def write_csv(rows: Iterable[list[Any]], handle: IO[str]) -> None:
    writer = csv.writer(handle)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])


def write_xlsx(rows: Iterable[list[Any]], handle: IO[Any]) -> None:
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
    book.save(handle)


def _open_output(output: Path, binary: bool) -> IO[Any]:
    """``output`` opened for writing, or exit 1 naming the option and why it cannot be."""
    try:
        return output.open("wb") if binary else output.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        fail(f"--output: cannot write {output}: {exc.strerror or exc}")
        raise  # unreachable: fail exits


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
    if fmt == "xlsx" and output is None:
        fail("--format xlsx needs --output FILE")
    if status and status not in STATUSES:
        fail(f"--status: must be one of {', '.join(STATUSES)}")
    with opened() as wf:
        known = wf.catalog.keys()
        if definition and definition not in known:
            fail(f"unknown definition '{definition}'; known: {', '.join(known)}")
        rows = portfolio_rows(
            wf, ProjectFilter(definition=definition, status=status), language=language
        )
        # the file is opened only once every option is known good, so a mistake never
        # empties an existing file
        if output is None:
            write_csv(rows, sys.stdout)
        elif fmt == "csv":
            with _open_output(output, binary=False) as handle:
                write_csv(rows, handle)
        else:
            with _open_output(output, binary=True) as handle:
                write_xlsx(rows, handle)
    if output:
        click.echo(f"portfolio written to {output}", err=True)
