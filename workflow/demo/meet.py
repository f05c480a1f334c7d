"""Meeting a gate's requirements of the project-room and benefit kinds, as a demo owner would:
roles filled, a PDF of each asked type, a benefit plan, measurements, reports, a lesson, the
conditions of a conditional go closed, partner groups and different methods.

:func:`workflow.demo.seed.satisfy` asks the engine which criteria of the gate are unmet (the
same evaluation the gate uses) and hands each of these kinds here, so any definition a
coordinator writes can be walked through by the demo, not only the shipped ones.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from workflow.definitions import Definition, Gate
from workflow.demo.data import ROLE_HOLDERS, USERS
from workflow.demo.modules import minimal_pdf
from workflow.errors import NotFound
from workflow.queries.benefits import project_benefits
from workflow.queries.discussion import project_follow_ups
from workflow.queries.projects import get_project
from workflow.runtime import Actor, Settings, Workflow
from workflow.services.accounts import get_actor
from workflow.services.benefits import add_benefit, edit_benefit, record_measurement
from workflow.services.discussion import close_follow_up
from workflow.services.lessons import write_lesson
from workflow.services.projects import add_partner, update_partner, update_project
from workflow.services.reports import add_report, approve_report, deliver_report
from workflow.services.room import project_roles_of, set_roles, upload_attachment
from workflow.store.files import FileStore
from workflow.store.tables import organisations

#: what a demo benefit measures when a gate asks for a plan
PLAN: dict[str, Any] = {
    "description": "Mindre tid brukt på manuelle rutiner i tjenesten",
    "type": "efficiency",
    "chain_link": "user_effect",
    "indicator": "Timer per uke",
    "unit": "timer",
}
#: what a generated attachment says about itself
DEMO_NOTE = "Eksempeldokument i demoen av Samspill; innholdet er generert."
#: the choice keys the demo prefers for fields that must differ (methods of a living lab)
_VARIED = ("workshops", "interviews", "prototype_testing", "observation", "survey")


def meet_room(
    wf: Workflow,
    owner: Actor,
    project_id: int,
    gate: Gate,
    unmet: Sequence[Mapping[str, Any]],
    *,
    coordinator: Actor | None,
    store: FileStore | None,
) -> None:
    """Meet the unmet criteria of the kinds this module knows (the others are left)."""
    spec = wf.catalog.of(get_project(wf, project_id).project)
    kinds = {c["kind"] for c in unmet}
    if "roles" in kinds:
        _roles(wf, owner, project_id, [c["key"] for c in unmet if c["kind"] == "roles"])
    for c in unmet:
        if c["kind"] == "attachments":
            _attachment(wf, owner, project_id, spec, c["key"], store)
        elif c["kind"] == "reports":
            _report(wf, owner, coordinator, project_id, c["key"], gate.requires.reports[c["key"]])
        elif c["kind"] == "partner_groups":
            _partner_group(wf, owner, project_id, gate, c["key"])
        elif c["kind"] == "distinct_fields":
            _distinct(wf, owner, project_id, spec, gate, c["key"])
    if "benefits" in kinds:
        _plan(wf, owner, project_id, gate)
    if "measurements" in kinds:
        _measure(wf, owner, project_id)
    if "lesson" in kinds:
        write_lesson(
            wf,
            owner,
            project_id,
            worked="Tett samarbeid med de ansatte som skulle bruke løsningen.",
            did_not_work="Vi brukte for lang tid på å få på plass datagrunnlaget.",
            advice="Mål nullpunktet før dere endrer noe, og avtal tidlig hvem som eier gevinsten.",
            tags=["gevinstrealisering", "medvirkning"],
        )
    if "follow_ups_closed" in kinds:
        for item in project_follow_ups(wf, project_id):
            if item["closed_at"] is None:
                closer = _person(wf, item["responsible_id"]) or owner
                close_follow_up(wf, closer, project_id, item["id"], note="Avklart og dokumentert.")


def _person(wf: Workflow, user_id: int) -> Actor | None:
    try:
        return get_actor(wf, user_id=user_id)
    except NotFound:  # an inactive user: someone else acts
        return None


def _roles(wf: Workflow, owner: Actor, project_id: int, wanted: Sequence[str]) -> None:
    held = {k: v["id"] for k, v in project_roles_of(wf, project_id).items()}
    emails = {u.key: u.email for u in USERS}
    for key in wanted:
        held[key] = owner.id  # a role without a demo holder: the owner steps in
        for person in ROLE_HOLDERS.get(key, ()):
            with contextlib.suppress(NotFound):  # not loaded yet while the demo is written
                holder = get_actor(wf, email=emails[person])
                if holder.id != owner.id:
                    held[key] = holder.id
                    break
    set_roles(wf, owner, project_id, held)


def _attachment(
    wf: Workflow, owner: Actor, project_id: int, spec: Definition, kind: str, store: Any
) -> None:
    label = next((t.label.nb for t in spec.attachment_types if t.key == kind), kind)
    title = get_project(wf, project_id).project["title"]
    store = store or Settings().file_store()
    upload_attachment(
        wf,
        owner,
        project_id,
        type=kind,
        stream=io.BytesIO(minimal_pdf(f"{label}: {title}", (DEMO_NOTE,))),
        filename=f"{label}.pdf",
        store=store,
        limit=5 << 20,
    )


def _report(
    wf: Workflow,
    owner: Actor,
    coordinator: Actor | None,
    project_id: int,
    kind: str,
    status: str,
) -> None:
    due = wf.today() - timedelta(days=3) if kind == "progress" else None
    report = add_report(wf, owner, project_id, kind=kind, due_on=due)
    deliver_report(wf, owner, project_id, report, note="Levert i portalen.")
    if status == "approved":
        approve_report(wf, coordinator or owner, project_id, report)


def _partner_group(wf: Workflow, owner: Actor, project_id: int, gate: Gate, key: str) -> None:
    group = next(g for g in gate.requires.partner_groups if g.key == key)
    view = get_project(wf, project_id)
    present = [p for p in view.partners if p["type"] in group.types]
    for partner in present[: group.min]:
        if group.status and partner["status"] != group.status:
            update_partner(wf, owner, project_id, partner["id"], status=group.status)
    missing = group.min - len(present)
    if missing <= 0:
        return
    have = {p["organisation_id"] for p in view.partners}
    with wf.db.read() as conn:
        found: list[int] = list(
            conn.execute(
                select(organisations.c.id)
                .where(organisations.c.type.in_(group.types), organisations.c.active)
                .order_by(organisations.c.id)
            ).scalars()
        )
    ids = [i for i in found if i not in have]
    for org_id in ids[:missing]:
        add_partner(
            wf,
            owner,
            project_id,
            organisation_id=org_id,
            role="Brukermedvirkning",
            status=group.status or "confirmed",
        )


def _distinct(
    wf: Workflow, owner: Actor, project_id: int, spec: Definition, gate: Gate, key: str
) -> None:
    need = next(d for d in gate.requires.distinct_fields if d.key == key)
    fields = get_project(wf, project_id).project["fields"]
    used: set[Any] = set()
    updates: dict[str, Any] = {}
    for name in need.fields[: need.min]:
        field = spec.field(name)
        choices = [c.key for c in field.choices or ()]
        preferred = [c for c in _VARIED if c in choices] + choices
        current = fields.get(name)
        if current not in (None, "") and current not in used:
            used.add(current)
            continue
        if choices:
            value: Any = next(c for c in preferred if c not in used)
        else:
            value = f"Metode {len(used) + 1}" if field.type in ("string", "text") else len(used) + 1
        used.add(value)
        updates[name] = value
    if updates:
        update_project(wf, owner, project_id, fields=updates)


def _plan(wf: Workflow, owner: Actor, project_id: int, gate: Gate) -> None:
    need = gate.requires.benefits
    plan = project_benefits(wf, project_id)
    today = wf.today()
    person = _role_holder(wf, project_id, "benefit_owner") or owner.id
    for benefit in plan.items:
        if need is not None and need.owner and benefit["owner_id"] is None:
            edit_benefit(wf, owner, project_id, benefit["id"], owner_id=person)
    for n in range(len(plan.items), need.min if need is not None else 1):
        add_benefit(
            wf,
            owner,
            project_id,
            **PLAN,
            change_on=(today + timedelta(days=60)).isoformat(),
            baseline={"value": 40 + 5 * n, "on": (today - timedelta(days=7)).isoformat()},
            target={"value": 25 + 5 * n, "on": (today + timedelta(days=240)).isoformat()},
            owner_id=person,
            nok_per_year=250_000,
        )


def _role_holder(wf: Workflow, project_id: int, role: str) -> int | None:
    held = project_roles_of(wf, project_id).get(role)
    return int(held["id"]) if held else None


def _measure(wf: Workflow, owner: Actor, project_id: int) -> None:
    """Each benefit measured on or after its target date: a target still ahead is moved to
    yesterday (the demo's history is compressed), then today's value is recorded."""
    today = wf.today()
    for benefit in project_benefits(wf, project_id).items:
        target_on = _day(benefit["target_on"])
        value = benefit["target_value"] if benefit["target_value"] is not None else 0
        measured = [_day(m["measured_on"]) for m in benefit["measurements"]]
        if target_on is not None and any(d is not None and d >= target_on for d in measured):
            continue
        if target_on is None or target_on > today:
            target_on = today - timedelta(days=1)
            edit_benefit(
                wf,
                owner,
                project_id,
                benefit["id"],
                target={"value": value, "on": target_on.isoformat()},
            )
        measurer = _person(wf, benefit["owner_id"]) if benefit["owner_id"] else None
        record_measurement(
            wf,
            measurer or owner,
            project_id,
            benefit["id"],
            value=value,
            measured_on=today.isoformat(),
            comment="Målt etter at endringen hadde virket et halvt år.",
        )


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
