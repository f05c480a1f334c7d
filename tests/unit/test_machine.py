"""The shared state machines: built once per definition version, attach nothing to projects."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest

from workflow.definitions import parse_definition
from workflow.domain.lifecycle import fire_stage, fire_status, stage_machine, status_machine
from workflow.errors import TransitionNotAllowed

LAB = parse_definition((Path(__file__).resolve().parents[1] / "data" / "lab.yaml").read_text())


def test_one_machine_per_definition_version_is_reused():
    assert stage_machine(LAB) is stage_machine(LAB)
    assert status_machine() is status_machine()


def test_firing_a_gate_moves_the_stage_and_attaches_nothing():
    project = SimpleNamespace(stage="idea")

    fire_stage(LAB, project, "idea_review", project_id=1)

    assert project.stage == "build"
    assert vars(project) == {"stage": "build"}


def test_there_are_no_automatic_jumps_past_the_gates():
    triggers = stage_machine(LAB).get_triggers("idea")

    assert not [t for t in triggers if t.startswith("to_")]
    assert set(triggers) == {"idea_review", "recycle:idea_review"}


def test_a_gate_of_another_stage_is_refused_with_a_reason():
    with pytest.raises(TransitionNotAllowed, match="'finish' does not leave stage 'idea'"):
        fire_stage(LAB, SimpleNamespace(stage="idea"), "finish", project_id=7)


@pytest.mark.parametrize(
    ("status", "trigger", "after"),
    [
        ("active", "submit", "in_review"),
        ("in_review", "advance", "active"),
        ("in_review", "complete", "completed"),
        ("in_review", "recycle", "active"),
        ("in_review", "hold", "on_hold"),
        ("in_review", "kill", "killed"),
        ("on_hold", "resume", "active"),
    ],
)
def test_the_status_lifecycle(status, trigger, after):
    project = SimpleNamespace(status=status)

    fire_status(project, trigger, project_id=1)

    assert project.status == after


@pytest.mark.parametrize(
    ("status", "trigger"),
    [
        ("killed", "submit"),
        ("completed", "submit"),
        ("on_hold", "submit"),
        ("active", "resume"),
        ("killed", "resume"),
        ("active", "kill"),
        ("in_review", "submit"),
    ],
)
def test_the_status_lifecycle_refuses_with_a_reason(status, trigger):
    with pytest.raises(TransitionNotAllowed, match=f"'{trigger}' is not allowed while '{status}'"):
        fire_status(SimpleNamespace(status=status), trigger, project_id=3)


LAB_TEXT = (Path(__file__).resolve().parents[1] / "data" / "lab.yaml").read_text()


def test_equal_definitions_of_one_version_share_one_machine():
    first, second = parse_definition(LAB_TEXT), parse_definition(LAB_TEXT)
    first.stage("idea")  # fills a cached property on one of them only

    assert stage_machine(first) is stage_machine(second)


def test_an_edited_definition_of_the_same_version_replaces_the_old_machine():
    old = parse_definition(LAB_TEXT)
    stage_machine(old)
    gone = weakref.ref(old)
    edited = parse_definition(LAB_TEXT.replace("key: idea_review", "key: idea_check"))

    project = SimpleNamespace(stage="idea")
    fire_stage(edited, project, "idea_check", project_id=1)
    del old
    gc.collect()

    assert project.stage == "build"
    assert gone() is None, "the cache still holds the definition it was built for"
