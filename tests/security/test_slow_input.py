"""No input can make the server slow (SPEC §7): every pattern and parser that user input
reaches gets a 100 kB adversarial value and must answer.

Each check runs in a child process with a join timeout: a regular expression holds the GIL
while it backtracks, so a thread could not be abandoned. The bound is generous; this is a
check that the call returns at all, not a benchmark.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable

import pytest

from tests.conftest import DATA
from webapp.api.inputs import IfMatch
from webapp.projects.forms import MONEY
from workflow import InvalidInput, parse_definition
from workflow.domain.fields import clean_fields
from workflow.services import accounts, organisations

SIZE = 100_000
TIMEOUT = 10.0
LAB = (DATA / "lab.yaml").read_text(encoding="utf-8")
EXTRA_FIELDS = """fields:
  - {key: count, type: integer, label: {nb: Antall, en: Count}}
  - {key: link, type: url, label: {nb: Lenke, en: Link}}
  - {key: name, type: string, label: {nb: Navn, en: Name}}
"""


def _money_form(value: str) -> None:
    re.match(MONEY, value)


def _field(key: str) -> Callable[[str], None]:
    def check(value: str) -> None:
        spec = parse_definition(LAB.replace("fields:\n", EXTRA_FIELDS, 1))
        with pytest.raises(InvalidInput):
            clean_fields(spec, {key: value})

    return check


def _if_match(value: str) -> None:
    assert IfMatch().validate({"If-Match": value})


def _pattern(pattern: re.Pattern[str]) -> Callable[[str], None]:
    def check(value: str) -> None:
        assert not pattern.match(value)

    return check


def _not_email(value: str) -> None:
    assert not accounts.is_email(value)


SPACES = "1" + " " * SIZE + "x"
DIGITS = "1" * SIZE + ",1x"
DOTS = "a@" + "a." * (SIZE // 2) + " "
CASES = [
    ("money form: spaces", _money_form, SPACES),
    ("money form: digits", _money_form, DIGITS),
    ("money form: leading spaces", _money_form, " " * SIZE + "x"),
    ("money field: spaces", _field("budget"), SPACES),
    ("money field: digits", _field("budget"), "9" * SIZE),
    ("integer field", _field("count"), SPACES),
    ("date field", _field("deadline"), "2027-01-01" + " " * SIZE + "x"),
    ("boolean field", _field("approved"), " " * SIZE + "x"),
    ("url field", _field("link"), "http://a/" + "?" * SIZE + "\n\n"),
    ("string field", _field("name"), " " * SIZE + "x"),
    ("If-Match header", _if_match, '"' + "1" * SIZE),
    ("email address", _not_email, DOTS),
    ("email address: no dot", _not_email, "a@" + "a" * SIZE + " "),
    ("user group", _pattern(accounts.GROUP), "a" * SIZE + "!"),
    ("organisation key", _pattern(organisations.ORG_KEY), "a" * SIZE + "!"),
]


@pytest.mark.parametrize(("check", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_adversarial_100_kb_value_gets_an_answer(check, value):
    child = multiprocessing.get_context("fork").Process(target=check, args=(value,))

    child.start()
    child.join(TIMEOUT)

    stuck = child.is_alive()
    child.kill()
    assert not stuck, f"no answer within {TIMEOUT} s"
    assert child.exitcode == 0, "the check itself failed (see the child's output)"


def test_the_edit_form_refuses_an_overlong_amount_before_parsing_it(wf, login, owner):
    import workflow

    pid = workflow.create_project(wf, owner, definition="lab", title="Ny idé")
    browser = login(owner)
    browser.get(f"/projects/{pid}/edit")

    response = browser.post(
        f"/projects/{pid}/edit", {"title": "Ny idé", "version": "1", "field_budget": SPACES}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "40" in page
    assert "Må være et beløp i kroner" not in page  # the pattern never ran
