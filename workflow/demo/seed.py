"""Demo data for ``samspill init --demo``, written only through the service layer.

Organisations, users and projects are created by the same use cases the UI calls, so every
project has a genuine hash-chained audit history: submissions, votes with scorecards, holds,
kills and recycles. Histories are backdated by giving the workflow a settable clock while
a project's events are written; the real clock is restored afterwards. The tables are in
:mod:`workflow.demo.data` and :mod:`workflow.demo.projects`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from workflow.definitions import ANY_GROUP, Comparison, Definition, Gate
from workflow.demo.calls import add_calls, call_of
from workflow.demo.data import (
    DEMO_PASSWORD,
    GO_REMARKS,
    MARKER_USER,
    ORGS,
    PARENTS,
    PARTNER_ROLES,
    USERS,
    DemoApplication,
    DemoProject,
    DemoUser,
    default_date,
    meeting_value,
    plausible_value,
)
from workflow.demo.meet import meet_room
from workflow.demo.projects import PROJECTS
from workflow.domain.fields import is_filled
from workflow.domain.voting import may_vote
from workflow.errors import InvalidInput, NotFound, Problem
from workflow.queries.conflicts import conflict_of_interest
from workflow.queries.projects import get_project
from workflow.requirements.base import PartnerFact
from workflow.requirements.partners import has_come_as_far
from workflow.runtime import Actor, Settings, Workflow
from workflow.services.accounts import add_user, get_actor
from workflow.services.applications import (
    create_application,
    reapply,
    record_outcome,
    submit_application,
    update_application,
)
from workflow.services.decisions import decide_gate
from workflow.services.gates import resume_project, submit_project
from workflow.services.organisations import add_organisation
from workflow.services.projects import (
    add_partner,
    create_project,
    set_checklist_item,
    update_partner,
    update_project,
)
from workflow.services.reports import add_report, approve_report, deliver_report
from workflow.store.files import FileStore
from workflow.store.setup import register_versions
from workflow.store.tables import organisations as _organisations
from workflow.store.tables import users as _users

#: organisations and users are registered this many days before "now"
SETUP_DAYS_AGO = 600
#: a project created more than this many days ago started on the oldest registered version
#: of its definition that has its stage and route; later ones start on the newest
OLD_VERSION_DAYS = 500
SCENARIOS = ("active", "review", "review_kommune", "hold", "kill", "recycle")


def login_lines() -> list[str]:
    """One line per demo user: role, email, password and who they are."""
    width = max(len(u.email) for u in USERS)
    return [f"{u.role:<11} {u.email:<{width}}  / {DEMO_PASSWORD}  ({u.label})" for u in USERS]


def load_demo(
    wf: Workflow, *, store: FileStore | None = None, versions: Path | None = None
) -> list[str]:
    """Load the demo organisations, users and projects; return the login lines.

    ``versions`` is the folder of older definition versions (``definitions/versions``):
    they are registered first, so the oldest projects run on an older version. Attachments
    (small generated PDFs) are stored in ``store`` (default: ``SAMSPILL_UPLOADS``).

    Idempotent: when the demo's last user exists, nothing is written. Projects of
    definitions that are not registered are left out.
    """
    try:
        get_actor(wf, email=MARKER_USER.email)
        return login_lines()
    except NotFound:
        pass
    if versions is not None:
        register_versions(wf, versions)
    store = store or Settings().file_store()
    real_clock = wf.clock
    now = real_clock()
    clock = _Clock(now - timedelta(days=SETUP_DAYS_AGO), now - timedelta(minutes=10))
    wf.clock = clock
    try:
        _Loader(wf, clock, now, store).run()
    finally:
        wf.clock = real_clock
    # benefit realisation (issue 13): plans with measurements for a few later-stage projects
    from workflow.demo.benefits import load_benefit_plans

    load_benefit_plans(wf, wf.today())
    return login_lines()


def satisfy(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    gate: Gate | str,
    *,
    values: Mapping[str, Any] | None = None,
    coordinator: Actor | None = None,
    store: FileStore | None = None,
) -> None:
    """Meet every requirement of ``gate`` for the project, as its owner ``actor`` would.

    Asks the engine which criteria of the gate are unmet, and meets each: fills required
    fields (from ``values``, else a plausible value), sets compared fields so the comparison
    holds, ticks checklist items, adds partners, and meets the project-room and benefit kinds
    (:mod:`workflow.demo.meet`: roles, PDFs in ``store``, a benefit plan, measurements,
    reports approved by ``coordinator``, a lesson, closed conditions). An application a gate
    asks for is the caller's to make. Repeats while that meets more (a filled field can make
    a comparison apply).

    Raises:
        InvalidInput: too few organisations of a required type are registered.
        NotFound, PermissionDenied, TransitionNotAllowed: as the use cases raise them.
    """
    for _ in range(4):
        view = get_project(wf, project_id)
        spec = wf.catalog.of(view.project)
        chosen = spec.gate(gate) if isinstance(gate, str) else gate
        (criteria,) = [g["requires"] for g in view.next_gates if g["gate"] == chosen.key]
        unmet = [c for c in criteria if not c["met"]]
        if not unmet:
            return
        today = wf.today()
        fields = dict(view.project["fields"])
        updates: dict[str, Any] = {}
        for key in [c["key"] for c in unmet if c["kind"] == "field"]:
            updates[key] = plausible_value(spec.field(key), today, values or {})
        compared = [c for c in criteria if c["kind"] == "compare"]
        for comparison, c in zip(chosen.requires.compare, compared, strict=True):
            if not c["met"]:
                updates.update(_meet_comparison(spec, comparison, c, fields, today, values))
        if updates:
            update_project(wf, actor, project_id, fields=updates)
        for c in unmet:
            if c["kind"] == "checklist":
                set_checklist_item(wf, actor, project_id, c["key"], True)
        if any(c["kind"] == "partners" for c in unmet):
            _add_partners(wf, actor, project_id, chosen, view.partners)
        meet_room(wf, actor, project_id, chosen, unmet, coordinator=coordinator, store=store)


def _meet_comparison(
    spec: Definition,
    comparison: Comparison,
    criterion: Mapping[str, Any],
    fields: Mapping[str, Any],
    today: date,
    values: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The field values that make one unmet comparison hold: its empty sides filled first;
    a count (the stage's round) is met by the field on the other side."""
    params = criterion["params"]
    empty = [
        k
        for k in (comparison.field, comparison.other)
        if k is not None and spec.has_field(k) and not is_filled(spec.field(k), fields.get(k))
    ]
    if empty:
        return {k: plausible_value(spec.field(k), today, values or {}) for k in empty}
    if comparison.field == "stage_round":
        if comparison.other is None:
            return {}
        round_ = int(params["left"])
        wanted = {"<": round_ + 1, "<=": round_, "==": round_, ">=": round_, ">": round_ - 1}
        return {comparison.other: max(1, wanted.get(comparison.op, round_))}
    if params.get("today") and comparison.op in (">", ">="):
        # a deadline ahead: far enough ahead to still be so when the owner submits
        ahead = date.fromisoformat(str(params["right"])) + timedelta(days=120)
        return {comparison.field: ahead.isoformat()}
    return {comparison.field: meeting_value(spec, comparison, params["right"])}


def forward_path(spec: Definition, target: str) -> list[Gate]:
    """The gates from the first stage to ``target``, each moving forward in the definition."""
    path: list[Gate] = []
    stage = spec.first_stage.key
    while stage != target:
        gate = forward_gate(spec, stage)
        if gate is None or spec.stage_index(gate.to) > spec.stage_index(target):
            raise ValueError(f"{spec.key}: no forward path to stage '{target}'")
        path.append(gate)
        stage = gate.to
    return path


def forward_gate(spec: Definition, stage: str) -> Gate | None:
    """The first gate of ``stage`` that leads to a later stage (else its first gate)."""
    gates = spec.gates_from(stage)
    index = spec.stage_index(stage)
    ahead = [g for g in gates if spec.stage_index(g.to) > index]
    if ahead:
        return ahead[0]
    return gates[0] if gates else None


def _add_partners(
    wf: Workflow, actor: Actor, project_id: int, gate: Gate, present: Sequence[Mapping[str, Any]]
) -> None:
    for org_type, need in gate.requires.partners.items():
        needed = need.min
        of_type = [p for p in present if p["type"] == org_type]
        fit = [p for p in of_type if p["approved_research"] or not need.approved]
        for partner in fit[:needed]:  # bring fitting partners as far as the gate asks
            if not has_come_as_far(PartnerFact(org_type, partner["status"]), need.status):
                update_partner(wf, actor, project_id, partner["id"], status=need.status)
        have = {p["organisation_id"] for p in of_type}
        if len(fit) >= needed:
            continue
        query = select(_organisations.c.id).where(
            _organisations.c.type == org_type, _organisations.c.active
        )
        if need.approved:
            query = query.where(_organisations.c.approved_research)
        with wf.db.read() as conn:
            ids = [int(r[0]) for r in conn.execute(query.order_by(_organisations.c.id))]
            own = conn.execute(
                select(_users.c.organisation_id).where(_users.c.id == actor.id)
            ).scalar_one_or_none()
        # the owner's own organisation first: it adds no gatekeeper's conflict of interest
        ids.sort(key=lambda i: i != own)
        fresh = [i for i in ids if i not in have][: needed - len(fit)]
        if len(fresh) < needed - len(fit):
            raise InvalidInput({"partners": Problem("too_few_organisations", {"type": org_type})})
        for org_id in fresh:
            role = PARTNER_ROLES.get(org_type, "Partner")
            status = need.status or "confirmed"
            add_partner(wf, actor, project_id, organisation_id=org_id, role=role, status=status)


def _office_hours(moment: datetime) -> datetime:
    """``moment``, or the start of the next working hours (07–15 UTC, weekdays) after it."""
    if moment.hour < 7:
        moment = moment.replace(hour=7)
    elif moment.hour >= 15:
        moment = (moment + timedelta(days=1)).replace(hour=7)
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment


class _Clock:
    """A settable clock in working hours; every reading moves it on a little."""

    def __init__(self, now: datetime, ceiling: datetime) -> None:
        self.now, self.ceiling = now, ceiling

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=23)
        return self.now

    def at(self, moment: datetime, *, back: bool = False) -> None:
        """Move on to ``moment`` in working hours (back in time only if ``back``)."""
        moment = min(_office_hours(moment), self.ceiling)
        self.now = moment if back else max(self.now, moment)


@dataclass
class _Run:
    """One demo project being written: its id, owner, definition, table row and dice."""

    pid: int
    owner: Actor
    spec: Definition
    project: DemoProject
    values: dict[str, Any]
    rng: random.Random
    #: the applications still to be made, and the current one's id and status
    pending: list[DemoApplication] = field(default_factory=list)
    app_id: int | None = None
    app_status: str | None = None
    #: the gates whose go vote has set the table's conditions already
    conditioned: set[str] = field(default_factory=set)


class _Loader:
    """Writes the demo tables through the service layer, one backdated history at a time."""

    def __init__(
        self, wf: Workflow, clock: _Clock, now: datetime, store: FileStore | None = None
    ) -> None:
        self.wf, self.clock, self.now, self.store = wf, clock, now, store
        self.ids: dict[str, int] = {}
        self.orgs: dict[str, int] = {}
        self.actors: dict[str, Actor] = {}
        self.turns: dict[str, int] = {}

    def run(self) -> None:
        self.clock.at(self.clock.now, back=True)
        for org in ORGS:
            self.orgs[org.key] = add_organisation(
                self.wf, None, name=org.name, type=org.type, key=org.key,
                description=org.description,
            )  # fmt: skip
        self._profiles()
        for user in USERS:
            if user is not MARKER_USER:
                self._user(user)
        self.calls = add_calls(self.wf)
        self.coordinator = next(a for a in self.actors.values() if a.is_coordinator)
        known = set(self.wf.catalog.keys())
        for seed, project in enumerate(PROJECTS):
            if project.definition in known:
                self._project(project, random.Random(seed))
        # the project room, discussions, lessons and the public portfolio, in the last days
        from workflow.demo.modules import load_modules

        self.clock.at(self.now - timedelta(days=4))
        load_modules(self.wf, self.actors, self.ids, self.coordinator, self.store, self._moment)
        self.clock.at(self.now - timedelta(hours=1))
        self._user(MARKER_USER)  # last: its existence marks a complete load

    def _profiles(self) -> None:
        """The organisations' keywords, thematic areas, approval, number and place in the
        tree (NTNU → faculty → department), for partner suggestions and conflicts."""
        with self.wf.db.write() as conn:
            for org in ORGS:
                parent = PARENTS.get(org.key)
                conn.execute(
                    update(_organisations)
                    .where(_organisations.c.id == self.orgs[org.key])
                    .values(
                        keywords=list(org.keywords),
                        thematic_areas=list(org.areas),
                        approved_research=org.approved_research,
                        org_number=org.org_number,
                        parent_id=self.orgs[parent] if parent else None,
                    )
                )

    def _user(self, u: DemoUser) -> None:
        add_user(
            self.wf, email=u.email, name=u.name, role=u.role, password=DEMO_PASSWORD,
            group=u.group, organisation_key=u.org, language=u.language,
        )  # fmt: skip
        self.actors[u.key] = get_actor(self.wf, email=u.email)

    def _version(self, p: DemoProject) -> Definition:
        """The definition version the project starts on: the newest, or for a project older
        than :data:`OLD_VERSION_DAYS` the oldest registered one that has its stage and route."""
        newest = self.wf.catalog.get(p.definition)
        if p.days[0] <= OLD_VERSION_DAYS:
            return newest
        for (key, _), spec in self.wf.catalog.versions():
            stages = {s.key for s in spec.stages}
            gates = {g.key for g in spec.gates}
            if key == p.definition and p.stage in stages and set(p.route) <= gates:
                return spec
        return newest

    def _project(self, p: DemoProject, rng: random.Random) -> None:
        spec = self._version(p)
        route = [spec.gate(k) for k in p.route] if p.route else forward_path(spec, p.stage)
        stage = route[-1].to if route else spec.first_stage.key
        if stage != p.stage or p.scenario not in SCENARIOS:
            raise ValueError(f"demo project '{p.title}': bad route or scenario")
        created, entries, end = self._timeline(p, len(route), spec.stage(stage).final, rng)
        values = self._resolve(spec, p.fields)
        first = spec.first_stage.key
        later = {k for g in spec.gates if g.from_ != first for k in g.requires.fields}
        later |= {d.field for d in spec.deadlines}
        owner = self.actors[p.owner]
        self.clock.at(created, back=True)
        pid = create_project(
            self.wf, owner, definition=p.definition, title=p.title, summary=p.summary,
            thematic_area=p.area, fields={k: v for k, v in values.items() if k not in later},
            version=spec.version,
        )  # fmt: skip
        self.ids[p.title] = pid
        # a project still at its first stage has invited its partners; one that went on, had
        # them confirm
        status = "confirmed" if route else "invited"
        for org_key, role in p.partners:
            self.clock.at(created + timedelta(hours=rng.randint(1, 30)))
            org_id = self.orgs[org_key]
            add_partner(self.wf, owner, pid, organisation_id=org_id, role=role, status=status)
        run = _Run(pid, owner, spec, p, values, rng, list(p.applications))
        start = created
        for gate, entered in zip(route, entries, strict=True):
            self._pass(run, gate, start, entered)
            start = entered
        if not spec.stage(stage).final:
            self._finish(run, stage, start, end)

    def _timeline(
        self, p: DemoProject, gates: int, final: bool, rng: random.Random
    ) -> tuple[datetime, list[datetime], datetime]:
        """When the project was created, entered each stage of its route, and was last touched."""
        days: list[float] = list(p.days)
        if len(days) == 2:
            first, last = days
            parts = gates if final else gates + 1
            days = [first, *(first - (first - last) * i / parts for i in range(1, gates + 1)), last]
        if len(days) not in (gates + 1, gates + 2):
            raise ValueError(f"demo project '{p.title}': days needs 2 or {gates + 2} numbers")
        moments = []
        for d in days:
            moment = (self.now - timedelta(days=d)).replace(hour=rng.randint(6, 13))
            moments.append(min(moment, self.now - timedelta(minutes=30)))
        return moments[0], moments[1 : gates + 1], moments[-1]

    def _resolve(self, spec: Definition, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The project table's field values for ``spec``; int dates count from today."""
        values = {}
        for key, value in fields.items():
            if not spec.has_field(key):
                continue
            if spec.field(key).type == "date" and isinstance(value, int):
                value = (self.now.date() + timedelta(days=value)).isoformat()
            values[key] = value
        return values

    def _pass(self, run: _Run, gate: Gate, t0: datetime, t1: datetime) -> None:
        """Work through the stage and pass ``gate`` (with any detour) by ``t1``."""
        span = t1 - t0
        self.clock.at(t0 + span * 0.1)
        self._freshen(run, gate.from_)
        if gate.requires.application is not None:
            self._apply(run, gate.requires.application.status, t0, t1)
        self.clock.at(t0 + span * 0.5)
        self._ready(run, gate)
        for detour in (d for d in run.project.detours if d.gate == gate.key):
            self.clock.at(t0 + span * 0.55)
            self._ready(run, gate)
            submit_project(self.wf, run.owner, run.pid, gate=gate.key)
            self.clock.at(t0 + span * 0.6)
            judge = self._quorum(gate, run)[0]
            decide_gate(self.wf, judge, run.pid, decision=detour.decision, comment=detour.comment)
            self.clock.at(t0 + span * 0.68)
            if detour.decision == "hold":
                resume_project(self.wf, judge, run.pid)
            else:
                self._revise(run, gate)
        self.clock.at(t0 + span * 0.75)
        self._ready(run, gate)
        submit_project(self.wf, run.owner, run.pid, gate=gate.key)
        voters = self._quorum(gate, run)
        first = t0 + span * 0.85
        for i, voter in enumerate(voters, start=1):
            self.clock.at(first + (t1 - first) * (i / len(voters)))
            self._go(run, voter, gate, conditions=i == 1)

    def _finish(self, run: _Run, stage: str, t0: datetime, end: datetime) -> None:
        """Leave the project in ``stage`` as its scenario says, last touched at ``end``."""
        span, scenario = end - t0, run.project.scenario
        gate = forward_gate(run.spec, stage)
        if gate is None:
            return
        self.clock.at(t0 + span * 0.1)
        self._freshen(run, stage)
        while run.pending:
            self._apply(run, (run.pending[0].outcome,), t0 + span * 0.1, t0 + span * 0.3)
        self._reports(run, t0 + span * 0.3)
        if scenario == "active":
            self._progress(run, gate, t0 + span * 0.2, end)
            return
        self.clock.at(t0 + span * 0.6)
        self._ready(run, gate)
        self.clock.at(end if scenario == "review" else end - span * 0.15)
        self._ready(run, gate)
        submit_project(self.wf, run.owner, run.pid, gate=gate.key)
        if scenario == "review":
            return
        self.clock.at(end)
        voters = self._quorum(gate, run)
        if scenario == "review_kommune":
            self._go(run, ([v for v in voters if v.group == "kommune"] or voters)[0], gate)
        else:
            comment = run.project.comment
            decide_gate(self.wf, voters[0], run.pid, decision=scenario, comment=comment)

    def _apply(self, run: _Run, wanted: Sequence[str], t0: datetime, t1: datetime) -> None:
        """The project's next application, made early in ``t0``..``t1`` and taken as far as
        its table says (else a granted IPO 2025 application when a gate wants one)."""
        if run.app_status in wanted:
            return
        app = run.pending.pop(0) if run.pending else DemoApplication("ipo2025", wanted[0])
        call = call_of(app.call)
        values = self._application_values(run, call)
        self.clock.at(t0 + (t1 - t0) * 0.02)
        if run.app_id is not None and run.app_status == "rejected":
            run.app_id = reapply(
                self.wf, run.owner, run.pid, run.app_id, call_id=self.calls[app.call]
            )
            update_application(self.wf, run.owner, run.pid, run.app_id, values)
        else:
            run.app_id = create_application(
                self.wf, run.owner, run.pid, call_id=self.calls[app.call], values=values
            )
        run.app_status = "draft"
        if app.outcome == "draft":
            return
        # the call's window is fixed in time, the project's history counts back from today
        opens = datetime.combine(
            call["opens_on"], datetime.min.time(), tzinfo=call["deadline"].tzinfo
        )
        with self._moment(
            min(
                max(self.clock.now, opens + timedelta(days=1)), call["deadline"] - timedelta(days=1)
            )
        ):
            submit_application(self.wf, run.owner, run.pid, run.app_id)
        run.app_status = "submitted"
        if app.outcome == "submitted":
            return
        self.clock.at(t0 + (t1 - t0) * 0.4)
        decided = call["decision_expected_on"]
        record_outcome(
            self.wf, self.coordinator, run.pid, run.app_id, outcome=app.outcome,
            granted_amount=values["applied_amount"] if app.outcome == "granted" else None,
            decided_on=min(decided, self.clock.now.date()), feedback=app.feedback,
        )  # fmt: skip
        run.app_status = app.outcome

    def _application_values(self, run: _Run, call: Mapping[str, Any]) -> dict[str, Any]:
        """Budget, amount and dates that keep the call's rules: the support rate, the
        amounts, the start window and the latest end."""
        budget = int(run.project.fields.get("budget", 8_000_000))
        applied = max(call["min_amount"], min(budget * 45 // 100, call["max_amount"]))
        applied -= applied % 10_000
        budget = max(budget, applied * 2)
        start: date = call["earliest_start"]
        end_in = run.project.fields.get("project_end")
        end = self.now.date() + timedelta(days=end_in) if isinstance(end_in, int) else None
        latest: date = call["latest_end"]
        end = min(max(end or latest, start + timedelta(days=120)), latest)
        return {"budget": budget, "applied_amount": applied, "planned_start": start,
                "planned_end": end}  # fmt: skip

    @contextmanager
    def _moment(self, moment: datetime) -> Iterator[None]:
        """Write at ``moment`` (an application's submission inside its call's window), then
        go on where the clock was."""
        saved = self.clock.now
        self.clock.now = moment
        try:
            yield
        finally:
            self.clock.now = saved

    def _reports(self, run: _Run, moment: datetime) -> None:
        """The reports of the project's table, as far as each has come."""
        for report in run.project.reports:
            self.clock.at(moment)
            due = (
                self.now.date() + timedelta(days=report.due) if report.kind == "progress" else None
            )
            rid = add_report(self.wf, run.owner, run.pid, kind=report.kind, due_on=due)
            # delivered a few days before a due date that has passed, approved a week later
            sent = self._report_day(due, -3)
            if report.status in ("delivered", "approved"):
                with self._moment(sent):
                    deliver_report(self.wf, run.owner, run.pid, rid, note="Levert i portalen.")
            if report.status == "approved":
                with self._moment(max(sent, self._report_day(due, 7))):
                    approve_report(self.wf, self.coordinator, run.pid, rid)

    def _report_day(self, due: date | None, days: int) -> datetime:
        """Working hours ``days`` after ``due`` when that has passed, else the clock's time."""
        if due is None:
            return self.clock.now
        moment = datetime.combine(due + timedelta(days=days), self.clock.now.timetz())
        return max(self.clock.now, min(_office_hours(moment), self.clock.ceiling))

    def _revise(self, run: _Run, gate: Gate) -> None:
        """After a send-back: the owner revises the first text the gate asks for."""
        fields = get_project(self.wf, run.pid).project["fields"]
        texts = [k for k in gate.requires.fields if run.spec.field(k).type == "text"]
        if texts:
            revised = f"{fields[texts[0]]} Revidert etter innovasjonsutvalgets tilbakemelding."
            update_project(self.wf, run.owner, run.pid, fields={texts[0]: revised})

    def _progress(self, run: _Run, gate: Gate, start: datetime, end: datetime) -> None:
        """Work in progress: the fields the gate needs that the table gives, half its checklist."""
        self.clock.at(start)
        given = {k: run.values[k] for k in gate.requires.fields if k in run.values}
        if given:
            update_project(self.wf, run.owner, run.pid, fields=given)
        done = get_project(self.wf, run.pid).checklist
        todo = [item for item in gate.requires.checklist if not done.get(item)]
        ticks = todo[: (len(todo) + 1) // 2]
        for i, item in enumerate(ticks[:-1], start=1):
            self.clock.at(start + (end - start) * (i / len(ticks)))
            set_checklist_item(self.wf, run.owner, run.pid, item, True)
        self.clock.at(end - timedelta(hours=1))
        self._freshen(run, gate.from_)
        if ticks:
            self.clock.at(end)
            set_checklist_item(self.wf, run.owner, run.pid, ticks[-1], True)

    def _freshen(self, run: _Run, stage: str) -> None:
        """Give the stage's deadlines a date still ahead, so reminders have work to do.

        A deadline is moved only in the first stage it applies to; later it stays as it was.
        """
        deadlines = [d for d in run.spec.deadlines if not d.stages or stage in d.stages]
        if not deadlines:
            return
        today = self.clock.now.date()
        fields = get_project(self.wf, run.pid).project["fields"]
        updates = {}
        for deadline in deadlines:
            offset = timedelta(days=deadline.offset_days)
            current = fields.get(deadline.field)
            lead = not deadline.stages or deadline.stages[0] == stage
            if current and (not lead or date.fromisoformat(current) + offset >= today):
                continue
            wanted = run.values.get(deadline.field)
            if wanted and date.fromisoformat(wanted) + offset >= today:
                updates[deadline.field] = wanted
            else:
                updates[deadline.field] = default_date(deadline.field, today).isoformat()
        if updates:
            update_project(self.wf, run.owner, run.pid, fields=updates)

    def _ready(self, run: _Run, gate: Gate) -> None:
        """Meet what the gate asks for now (a deadline met earlier may have passed since)."""
        satisfy(
            self.wf, run.owner, run.pid, gate, values=run.values,
            coordinator=self.coordinator, store=self.store,
        )  # fmt: skip

    def _quorum(self, gate: Gate, run: _Run) -> list[Actor]:
        """Gatekeepers enough for every quorum group of ``gate``, taking turns; none with a
        conflict of interest in the project."""
        chosen: list[Actor] = []
        for group, needed in gate.quorum.items():
            pool = [
                a
                for a in self.actors.values()
                if may_vote(a, gate)
                and a.id != run.owner.id
                and group in (ANY_GROUP, a.group)
                and conflict_of_interest(self.wf, a, run.pid) is None
            ]
            if len(pool) < needed:
                raise InvalidInput({"quorum": Problem("no_gatekeepers", {"group": group})})
            turn = self.turns.get(group, 0)
            self.turns[group] = turn + needed
            chosen += [pool[(turn + i) % len(pool)] for i in range(needed)]
        return chosen

    def _go(self, run: _Run, voter: Actor, gate: Gate, *, conditions: bool = False) -> None:
        """A go vote with a scorecard that meets the gate's pass score, and a remark; with
        ``conditions``, the conditions the project's table sets at this gate (once)."""
        scores = {c.key: run.rng.choice((3, 4, 4, 5)) for c in gate.scorecard}
        while gate.pass_score is not None and (gate.weighted_score(scores) or 0) < gate.pass_score:
            lowest = min(scores, key=lambda k: scores[k])
            if scores[lowest] == 5:
                break
            scores[lowest] += 1
        remark = run.rng.choice(GO_REMARKS.get(voter.language, GO_REMARKS["nb"]))
        wanted = [c for c in run.project.conditions if c.gate == gate.key]
        rows = []
        if conditions and wanted and gate.key not in run.conditioned:
            run.conditioned.add(gate.key)
            rows = [
                {"text": c.text, "responsible_id": self.actors[c.responsible].id,
                 "due_on": self.now.date() + timedelta(days=c.due)}
                for c in wanted
            ]  # fmt: skip
        decide_gate(
            self.wf, voter, run.pid, decision="go", scores=scores, comment=remark, conditions=rows
        )
