"""The `samspill` command line: exit 0 on success, 1 with a one-line message on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.unit.test_definitions import BROKEN, edited
from webapp.cli import main


@pytest.fixture
def env(tmp_path):
    """Environment for a fresh SQLite database with the shipped definitions."""
    return {
        "SAMSPILL_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "SAMSPILL_DEFINITIONS": str(ROOT / "definitions"),
    }


@pytest.fixture
def samspill(env):
    """Run a samspill command in-process: ``samspill("init")`` → Result."""
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None):
        return runner.invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)

    return run


def test_definitions_check_passes_on_the_shipped_files(samspill):
    result = samspill("definitions", "check")

    assert result.exit_code == 0
    assert "ipo v2: ok" in result.output  # versions/ipo.v2.yaml, beside the current ipo v3
    for checked in ("ipo v1", "ipo v3", "innovative_procurement v1", "innovation_partnership v2"):
        assert f"{checked}: ok" in result.output


def test_definitions_check_fails_with_file_where_what(samspill, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (ROOT / "tests" / "data" / "lab.yaml").read_text().replace("to: build", "to: exec")
    )

    result = samspill("definitions", "check", str(bad))

    assert result.exit_code == 1
    assert "bad.yaml: gates[0].to: unknown stage 'exec'" in result.output


def test_definitions_show_draws_a_mermaid_diagram(samspill):
    result = samspill(
        "definitions", "show", "ipo", "--format", "mermaid", "--highlight", "execution"
    )

    assert result.exit_code == 0
    assert result.output.startswith("flowchart TD")
    assert "funding_application -->" in result.output
    assert "class execution current" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("definitions", "show", "nope"), "unknown definition 'nope'"),
        (("definitions", "show", "ipo", "--highlight", "moon"), "has no stage 'moon'"),
    ],
)
def test_definitions_show_refuses_unknown_names(samspill, args, message):
    result = samspill(*args)

    assert result.exit_code == 1
    assert message in result.output


def test_init_is_idempotent(samspill):
    first = samspill("init")
    second = samspill("init")

    assert first.exit_code == second.exit_code == 0
    assert "definition ipo v3: added" in first.output
    assert "definition ipo v3: unchanged" in second.output


def test_user_add_token_and_audit(samspill):
    samspill("init")

    added = samspill(
        "user",
        "add",
        "kari@trondheim.kommune.no",
        "--name",
        "Kari",
        "--role",
        "gatekeeper",
        "--group",
        "kommune",
        "--password-stdin",
        stdin="hemmelig-passord\n",
    )
    token = samspill("token", "create", "kari@trondheim.kommune.no")
    verified = samspill("audit", "verify")

    assert added.exit_code == 0
    assert token.output.startswith("sam_")
    assert samspill("token", "revoke", token.output.strip()).exit_code == 0
    assert verified.exit_code == 0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("user", "add", "not-an-email", "--name", "X", "--role", "owner", "--password-stdin"),
            "longpassword\n",
            "email: must be an email address",
        ),
        (
            ("user", "add", "a@b.no", "--name", "X", "--role", "gatekeeper", "--password-stdin"),
            "longpassword\n",
            "group: a gatekeeper needs a group",
        ),
        (
            ("user", "add", "a@b.no", "--name", "X", "--role", "owner", "--password-stdin"),
            "short\n",
            "password: must be at least 8 characters",
        ),
        (("token", "create", "nobody@example.no"), None, "no active user nobody@example.no"),
        (("token", "revoke", "sam_nothing"), None, "no active token matches"),
    ],
)
def test_bad_input_exits_1_with_one_line(samspill, args, stdin, message):
    samspill("init")

    result = samspill(*args, stdin=stdin)

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_command_before_init_says_what_to_do(samspill):
    result = samspill("stalled")

    assert result.exit_code == 1
    assert "samspill init" in result.output


def test_stalled_lists_json(samspill):
    samspill("init")

    result = samspill("stalled", "--json", "--as-of", "2030-01-01")

    assert result.exit_code == 0
    assert json.loads(result.output.split("\n0 stalled")[0] or "[]") == []


def test_a_bad_date_is_refused(samspill):
    result = samspill("stalled", "--as-of", "31.12.2026")

    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output or "%Y-%m-%d" in result.output


def test_the_console_script_runs_and_never_shows_a_traceback(env, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("key: [unclosed\n")

    done = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "definitions", "check", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert done.returncode == 1
    assert done.stderr.startswith("broken.yaml: line ")
    assert "Traceback" not in done.stderr


def test_the_engine_never_imports_flask():
    code = "import sys, workflow; sys.exit('flask' in sys.modules or 'webapp' in sys.modules)"

    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_export_writes_the_portfolio_as_csv_and_xlsx(samspill, env, tmp_path):
    import workflow

    samspill("init")
    wf = workflow.open_workflow(workflow.Settings(database_url=env["SAMSPILL_DATABASE_URL"]))
    workflow.add_user(
        wf, email="eier@example.no", name="Eier", role="owner", password="hemmelig-passord"
    )
    owner = workflow.get_actor(wf, email="eier@example.no")
    workflow.create_project(wf, owner, definition="mdi", title="Smartere vaktlister")
    wf.db.dispose()
    xlsx = tmp_path / "portefolje.xlsx"

    as_csv = samspill("export", "--format", "csv")
    as_xlsx = samspill("export", "--format", "xlsx", "--output", str(xlsx))

    header, row = as_csv.output.splitlines()[:2]
    assert header.startswith("id,definition,definition_version,title,stage,stage_title")
    assert row.startswith("1,mdi,2,Smartere vaktlister,idea,")
    assert as_xlsx.exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["D2"].value == "Smartere vaktlister"


def test_export_refuses_xlsx_to_the_terminal_and_unknown_definitions(samspill):
    samspill("init")

    assert "needs --output" in samspill("export", "--format", "xlsx").output
    assert "unknown definition 'nope'" in samspill("export", "--definition", "nope").output


@pytest.mark.parametrize(
    ("change", "message"), [(c, m) for _, c, m in BROKEN], ids=[name for name, _, _ in BROKEN]
)
def test_the_cli_reports_each_broken_definition_and_exits_1(change, message, tmp_path):
    path = tmp_path / "lab.yaml"
    path.write_text(edited(change), encoding="utf-8")

    result = CliRunner().invoke(main, ["definitions", "check", str(path)])

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("url", ["nonsense", "mysql://db/samspill"])
def test_an_unusable_database_url_is_named(samspill, env, url):
    env["SAMSPILL_DATABASE_URL"] = url

    result = samspill("init")

    assert result.exit_code == 1
    assert "SAMSPILL_DATABASE_URL: must be sqlite:///PATH" in result.output


def test_export_names_a_bad_status_and_leaves_the_output_file_alone(samspill, tmp_path):
    samspill("init")
    kept = tmp_path / "kept.csv"
    kept.write_text("yesterday's export\n", encoding="utf-8")

    result = samspill("export", "--status", "bogus", "--output", str(kept))

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: --status: must be one of active, in_review, on_hold, killed, completed"
    ]
    assert kept.read_text(encoding="utf-8") == "yesterday's export\n"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_names_an_output_it_cannot_write(samspill, tmp_path, fmt):
    samspill("init")
    target = tmp_path / "no" / "such" / "dir" / f"x.{fmt}"

    result = samspill("export", "--format", fmt, "--output", str(target))

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: --output: cannot write {target}: No such file or directory"
    ]


def test_check_loads_no_web_framework_and_help_still_lists_every_command(samspill, env):
    from webapp.cli import COMMANDS

    samspill("init")
    code = (
        "import sys\n"
        "from webapp.cli import main\n"
        "try:\n"
        "    main(['check'])\n"
        "except SystemExit as done:\n"
        "    web = ('flask', 'apiflask', 'flask_babel', 'werkzeug', 'jinja2', 'apscheduler',\n"
        "           'alembic', 'waitress')\n"
        "    print(sorted(m for m in web if m in sys.modules), done.code, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    listed = samspill("--help").output

    assert done.stderr.splitlines()[-1] == "[] 0"
    assert "stall check: 0 flagged" in done.stdout
    assert all(f"  {name} " in listed for name in COMMANDS), listed


# --- issue 15 item 17: a busy port, and mail links that follow the served address ----------


def test_serve_on_a_busy_port_says_so_in_one_line_with_the_make_command(samspill):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = samspill("serve", "--port", str(port), "--no-scheduler")

    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert f"127.0.0.1:{port}" in line
    assert f"make run PORT={port + 1}" in line


def test_without_a_base_url_mail_links_follow_the_served_address(monkeypatch):
    from webapp.cli.run import follow_served_address

    monkeypatch.setenv("SAMSPILL_BASE_URL", "")
    follow_served_address("0.0.0.0", 5183)
    assert workflow_settings().base_url == "http://127.0.0.1:5183"

    monkeypatch.setenv("SAMSPILL_BASE_URL", "https://samspill.example")
    follow_served_address("127.0.0.1", 5183)
    assert workflow_settings().base_url == "https://samspill.example"


def workflow_settings():
    from workflow.runtime import Settings

    return Settings.from_env()
