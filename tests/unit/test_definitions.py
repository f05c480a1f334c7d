"""Loading and validating definition files: every rule of SPEC §2a gives a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workflow.definitions import load_definitions, parse_definition
from workflow.errors import DefinitionError

ROOT = Path(__file__).resolve().parents[2]
LAB = (ROOT / "tests" / "data" / "lab.yaml").read_text(encoding="utf-8")
SHIPPED = sorted((ROOT / "definitions").glob("*.yaml"))


def problems_of(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, "lab.yaml")
    return caught.value.problems


def edited(change) -> str:
    data = yaml.safe_load(LAB)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_the_five_shipped_definitions_load():
    keys = {d.key for d, _ in load_definitions(SHIPPED)}

    assert keys == {"ipo", "innovative_procurement", "innovation_partnership", "mdi", "living_lab"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_stage_teaches_in_both_languages(path):
    ((definition, _),) = load_definitions([path])

    for stage in definition.stages:
        if stage.final:
            continue
        assert stage.sla_days
        assert stage.guidance is not None
        assert len(stage.guidance.nb) > 200
        assert len(stage.guidance.en) > 200
        assert stage.checklist


def test_ipo_requires_a_research_partner_before_the_application_gate():
    ((ipo, _),) = load_definitions([ROOT / "definitions" / "ipo.yaml"])

    into_application = [g for g in ipo.gates if g.to == "funding_application"]

    assert into_application
    assert all("research" in g.requires.partners for g in into_application)
    assert [s.key for s in ipo.stages] == [
        "idea",
        "partner_matching",
        "funding_application",
        "execution",
        "effect_followup",
        "completed",
    ]


def test_the_lab_definition_is_valid():
    definition = parse_definition(LAB, "lab.yaml")

    assert definition.gate("idea_review").quorum == {"kommune": 1, "ntnu": 1}
    assert definition.gate("finish").recycle_stage == "idea"


def test_a_gate_blocks_conflicts_of_interest_unless_it_allows_them():
    lab = parse_definition(LAB, "lab.yaml")
    allowing = parse_definition(
        edited(lambda d: d["gates"][0].update(conflict_of_interest="allow")), "lab.yaml"
    )

    assert lab.gate("idea_review").conflict_of_interest == "block"
    assert lab.gate("idea_review").blocks_conflicts
    assert allowing.gate("idea_review").conflict_of_interest == "allow"
    assert not allowing.gate("idea_review").blocks_conflicts


BROKEN = [
    ("unknown key", lambda d: d.update(colour="blue"), "lab.yaml: (top): unknown key 'colour'"),
    (
        "wrong type",
        lambda d: d.update(version="one"),
        "lab.yaml: version: input should be a valid integer",
    ),
    (
        "missing english",
        lambda d: d["title"].pop("en"),
        "lab.yaml: title.en: required key is missing",
    ),
    (
        "empty text",
        lambda d: d["stages"][0]["guidance"].update(nb=""),
        "lab.yaml: stages[0].guidance.nb: must not be empty",
    ),
    (
        "gate to unknown stage",
        lambda d: d["gates"][0].update(to="exec"),
        "lab.yaml: gates[0].to: unknown stage 'exec'",
    ),
    (
        "gate from unknown stage",
        lambda d: d["gates"][0].update({"from": "nowhere"}),
        "lab.yaml: gates[0].from: unknown stage 'nowhere'",
    ),
    (
        "requires unknown field",
        lambda d: d["gates"][0]["requires"].update(fields=["need", "x"]),
        "lab.yaml: gates[0].requires.fields[1]: unknown field 'x'",
    ),
    (
        "requires unknown checklist item",
        lambda d: d["gates"][0]["requires"].update(checklist=["milestone_met"]),
        "lab.yaml: gates[0].requires.checklist[0]: unknown checklist item 'milestone_met' "
        "in stage 'idea'",
    ),
    (
        "unknown organisation type",
        lambda d: d["gates"][0]["requires"].update(partners={"university": 1}),
        "lab.yaml: gates[0].requires.partners.university: unknown organisation type; use one of "
        "public, research, business, civil_society, citizens",
    ),
    (
        "unreachable stage",
        lambda d: d["stages"].insert(
            2,
            {
                "key": "island",
                "title": {"nb": "Øy", "en": "Island"},
                "sla_days": 5,
                "guidance": {"nb": "x", "en": "x"},
            },
        ),
        "lab.yaml: stages[2]: stage 'island' cannot be reached from 'idea'",
    ),
    (
        "no way out",
        lambda d: d["gates"].pop(2),
        "lab.yaml: stages[1]: stage 'build' is not final but no gate leads out of it",
    ),
    (
        "gate leaving a final stage",
        lambda d: d["gates"].append(
            {"key": "reopen", "from": "done", "to": "idea", "title": {"nb": "x", "en": "x"}}
        ),
        "lab.yaml: gates[3].from: stage 'done' is final; no gate may leave it",
    ),
    (
        "duplicate stage keys",
        lambda d: d["stages"].append(dict(d["stages"][1])),
        "lab.yaml: stages: duplicate key 'build'",
    ),
    (
        "choice field without choices",
        lambda d: d["fields"][5].pop("choices"),
        "lab.yaml: fields[5].choices: a choice field needs at least one choice",
    ),
    (
        "deadline on a text field",
        lambda d: d["deadlines"][0].update(field="need"),
        "lab.yaml: deadlines[0].field: field 'need' is not a date",
    ),
    (
        "score out of range",
        lambda d: d["gates"][0].update(pass_score=7),
        "lab.yaml: gates[0].pass_score: input should be less than or equal to 5",
    ),
    (
        "comparing a date with money",
        lambda d: d["gates"][0]["requires"]["compare"][0].update(other="deadline"),
        "lab.yaml: gates[0].requires.compare[0]: compares a date with a number",
    ),
    (
        "non-final stage without sla",
        lambda d: d["stages"][0].pop("sla_days"),
        "lab.yaml: stages[0].sla_days: required for a stage that is not final",
    ),
    (
        "bad quorum group",
        lambda d: d["gates"][0].update(quorum={"Kommune": 1}),
        "lab.yaml: gates[0].quorum.Kommune: group names are lower-case letters, digits and '_'",
    ),
    (
        "bad conflict of interest rule",
        lambda d: d["gates"][0].update(conflict_of_interest="warn"),
        "lab.yaml: gates[0].conflict_of_interest: must be 'block' (the default) or 'allow'",
    ),
    (
        "conflict of interest rule as a boolean",
        lambda d: d["gates"][0].update(conflict_of_interest=True),
        "lab.yaml: gates[0].conflict_of_interest: must be 'block' (the default) or 'allow'",
    ),
    (
        "kill quorum on a group outside the quorum",
        lambda d: d["gates"][0].update(kill_quorum={"fylke": 1}),
        "lab.yaml: gates[0].kill_quorum.fylke: group 'fylke' is not in the gate's quorum",
    ),
    (
        "decision point without English",
        lambda d: d["gates"][0].update(decision_point={"nb": "BP2"}),
        "lab.yaml: gates[0].decision_point.en: required key is missing",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [(c, m) for _, c, m in BROKEN], ids=[name for name, _, _ in BROKEN]
)
def test_a_broken_definition_names_file_place_and_problem(change, message):
    assert message in problems_of(edited(change))


def test_every_problem_is_reported_at_once():
    def break_twice(d):
        d["gates"][0]["to"] = "exec"
        d["gates"][1]["requires"]["checklist"] = ["nope"]

    assert len(problems_of(edited(break_twice))) == 2


def test_duplicate_yaml_keys_are_refused_with_their_line():
    text = LAB.replace("version: 1\n", "version: 1\nversion: 2\n")

    assert problems_of(text) == [
        "lab.yaml: line 4, column 1: invalid YAML: found duplicate key 'version'"
    ]


def test_invalid_yaml_names_the_line():
    (problem,) = problems_of(LAB.replace("stages:\n", "stages: [\n", 1))

    assert problem.startswith("lab.yaml: line ")
    assert "invalid YAML" in problem


def test_a_file_that_is_not_a_mapping_is_refused():
    assert problems_of("- a\n- b\n") == ["lab.yaml: (top): must be a mapping of keys to values"]


def test_two_files_with_one_key_are_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(LAB, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(LAB, encoding="utf-8")

    with pytest.raises(DefinitionError, match=r"b\.yaml: key: 'lab' is also used by a\.yaml"):
        load_definitions([tmp_path])


def test_the_text_returned_is_the_text_validated_even_if_the_file_changes(tmp_path, monkeypatch):
    path = tmp_path / "lab.yaml"
    path.write_text(LAB, encoding="utf-8")
    real_read = Path.read_text

    def read_then_someone_saves_a_new_version(self: Path, *args, **kwargs) -> str:
        text = real_read(self, *args, **kwargs)
        if self == path:  # an editor saves the file right after the loader has read it
            path.write_text(LAB.replace("version: 1", "version: 2", 1), encoding="utf-8")
        return text

    monkeypatch.setattr(Path, "read_text", read_then_someone_saves_a_new_version)

    ((definition, text),) = load_definitions([tmp_path])

    assert definition.version == 1
    assert text == LAB


def test_ipo_v2_uses_the_funding_module_and_v1_stays_beside_it():
    # ipo v2 is kept in versions/ since v3 (issue #16); v3 is tested in test_definitions_v2
    ((ipo, _),) = load_definitions([ROOT / "definitions" / "versions" / "ipo.v2.yaml"])
    ((v1, _),) = load_definitions([ROOT / "definitions" / "versions" / "ipo.v1.yaml"])

    assert (ipo.key, ipo.version, v1.key, v1.version) == ("ipo", 2, "ipo", 1)
    ready = ipo.gate("ready_to_apply").requires
    assert ready.partners["research"].model_dump() == {
        "min": 1,
        "status": "confirmed",
        "approved": True,
    }
    assert ready.partners["public"].min == 1
    assert not ready.compare  # the own share is the call's rule now, not a fixed 50 %
    granted = ipo.gate("application_granted").requires
    assert granted.application.status == ("granted",)
    assert granted.call_rules is True
    assert ipo.gate("application_rejected").requires.application.status == ("rejected",)
    assert ipo.gate("benefits_realised").requires.reports == {"final": "approved"}
    for gone in ("call", "application_deadline", "budget", "own_share", "granted_amount"):
        assert not ipo.has_field(gone)
        assert v1.has_field(gone)
    funding = ipo.stage("funding_application").guidance
    assert funding is not None
    for words in ("støttesats", "13:00", "desember", "intensjonserklæring", "søk på nytt"):
        assert words in funding.nb.lower()
    for words in ("support rate", "13:00", "december", "letter of intent", "re-apply"):
        assert words in funding.en.lower()
    execution = ipo.stage("execution").guidance
    assert execution is not None
    assert "én kalendermåned etter prosjektslutt" in execution.nb
    assert "one calendar month after project end" in execution.en
