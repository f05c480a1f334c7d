"""The shipped definitions after issue #16, and ``check_definitions`` over current and
superseded versions (``samspill definitions check``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflow import DefinitionError, check_definitions
from workflow.definitions import load_definition_file

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "definitions"
MINE = ("ipo", "innovative_procurement", "innovation_partnership")
LAB = (ROOT / "tests" / "data" / "lab.yaml").read_text(encoding="utf-8")


def shipped(key: str):
    return load_definition_file(SHIPPED / f"{key}.yaml")


def test_check_takes_every_current_and_superseded_version():
    checked = {(d.key, d.version) for d in check_definitions([SHIPPED])}

    assert {("ipo", 1), ("ipo", 2), ("ipo", 3)} <= checked
    assert {("innovative_procurement", 1), ("innovative_procurement", 2)} <= checked
    assert {("innovation_partnership", 1), ("innovation_partnership", 2)} <= checked


def test_the_superseded_versions_are_the_files_as_they_were():
    assert shipped("ipo").version == 3
    assert load_definition_file(SHIPPED / "versions" / "ipo.v2.yaml").version == 2
    for key in ("innovative_procurement", "innovation_partnership"):
        assert shipped(key).version == 2
        assert load_definition_file(SHIPPED / "versions" / f"{key}.v1.yaml").version == 1


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "versions").mkdir()
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_version_in_two_files_is_a_problem(tmp_path):
    folder = _folder(tmp_path, {"lab.yaml": LAB, "versions/lab.v1.yaml": LAB})

    with pytest.raises(DefinitionError) as caught:
        check_definitions([folder])

    assert caught.value.problems == ["lab.v1.yaml: version: 'lab' v1 is also in lab.yaml"]


def test_a_superseded_file_is_named_for_its_key_and_version_and_is_older(tmp_path):
    v2 = LAB.replace("version: 1", "version: 2")
    v3 = LAB.replace("version: 1", "version: 3")
    folder = _folder(
        tmp_path,
        {"lab.yaml": v2, "versions/lab.v9.yaml": LAB, "versions/lab.v3.yaml": v3},
    )

    with pytest.raises(DefinitionError) as caught:
        check_definitions([folder])

    assert caught.value.problems == [
        "lab.v3.yaml: version: v3 is not older than the current 'lab' (v2)",
        "lab.v9.yaml: key: the file holds 'lab' v1; a superseded version is named "
        "<key>.v<version>.yaml",
    ]


def test_the_check_passes_an_older_version_beside_the_current(tmp_path):
    folder = _folder(
        tmp_path, {"lab.yaml": LAB.replace("version: 1", "version: 2"), "versions/lab.v1.yaml": LAB}
    )

    assert [(d.key, d.version) for d in check_definitions([folder])] == [("lab", 2), ("lab", 1)]


@pytest.mark.parametrize("key", MINE)
def test_every_gate_has_its_decision_point_label(key):
    labels = [g.decision_point.nb for g in shipped(key).gates if g.decision_point]
    unlabelled = [g.key for g in shipped(key).gates if g.decision_point is None]

    assert labels
    assert all(re.fullmatch(r"BP\d+", label) for label in labels)
    assert unlabelled in ([], ["application_rejected"])  # a rejection is no local BP


@pytest.mark.parametrize("key", MINE)
def test_roles_are_users_not_free_text_fields(key):
    d = shipped(key)
    free_text_roles = {
        "administrative_contact",
        "research_partner_contact",
        "benefit_owner",
        "procurement_officer",
        "partner_supplier",
    }

    assert not free_text_roles & {f.key for f in d.fields}
    assert {"benefit_owner"} <= {r.key for r in d.project_roles}
    asked = {role for g in d.gates for role in g.requires.roles}
    assert "benefit_owner" in asked


@pytest.mark.parametrize("key", MINE)
def test_benefits_before_execution_measurements_and_a_lesson_at_the_last_gate(key):
    d = shipped(key)
    last = next(g for g in d.gates if d.stage(g.to).final and g.to == "completed")

    assert any(g.requires.benefits and g.requires.benefits.baseline for g in d.gates)
    assert last.requires.measurements is not None
    assert last.requires.lesson is True
    assert last.requires.follow_ups_closed is True


def test_the_award_and_the_purchase_are_the_contracting_authoritys():
    procurement, partnership = shipped("innovative_procurement"), shipped("innovation_partnership")

    assert procurement.gate("contract_awarded").quorum == {"oppdragsgiver": 1}
    assert partnership.gate("partnership_established").quorum == {"oppdragsgiver": 1}
    assert partnership.gate("purchase_approved").quorum == {"oppdragsgiver": 1}


def test_maksimumskostnad_is_the_term_throughout():
    text = (SHIPPED / "innovation_partnership.yaml").read_text(encoding="utf-8")

    assert "maksimal kostnad" not in text.lower()
    assert (
        shipped("innovation_partnership")
        .field("maximum_cost")
        .label.nb.startswith("Maksimumskostnad")
    )


def _paragraphs(text: str) -> set[str]:
    """Each paragraph of a definition's guidance and help texts, whitespace-normalised."""
    found: set[str] = set()
    for block in re.split(r"\n\s*\n", text):
        words = " ".join(block.split())
        if len(words) > 80 and not words.startswith(("- {key", "- key", "key:")):
            found.add(words)
    for line in text.splitlines():  # one-line help texts and descriptions
        said = re.fullmatch(r'\s*(?:nb|en): "(.{60,})"', line)
        if said:
            found.add(said[1])
    return found


def test_the_paragraph_check_finds_what_the_old_versions_shared():
    old = (SHIPPED / "versions" / "ipo.v2.yaml").read_text(encoding="utf-8")
    older = (SHIPPED / "versions" / "innovative_procurement.v1.yaml").read_text(encoding="utf-8")

    assert _paragraphs(old) & _paragraphs(older)  # e.g. the benefit owner's help text


def test_no_paragraph_is_copied_between_definitions():
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SHIPPED.glob("*.yaml"))}
    mine = {key: _paragraphs(texts[key]) for key in MINE}

    for key in MINE:
        for other, text in texts.items():
            if other == key:
                continue
            copied = mine[key] & _paragraphs(text)
            assert not copied, f"{key}.yaml and {other}.yaml share: {sorted(copied)[0][:120]}"
