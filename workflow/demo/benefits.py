"""The demo's benefit realisation plans: a few projects in execution and effect follow-up get
benefits with a baseline before the change, a target and a series of measurements that
make the charts worth looking at (DOMAIN §6). Dates count from today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from workflow.demo.data import USERS
from workflow.domain.lifecycle import ACTIVE
from workflow.runtime import Actor, Workflow
from workflow.services.accounts import get_actor
from workflow.services.benefits import add_benefit, record_measurement
from workflow.store.tables import projects

#: the stages whose projects get a plan, in the order they are picked
STAGES = ("effect_followup", "execution", "implementation", "spreading", "contract_followup")
#: the benefits below are health and care benefits: only projects of this area get them
AREA = "helse_velferd"
#: how many projects get one
PLANS = 4
#: the month after the change whose measurement deviates, and why
DEVIATION_MONTH = 4
DEVIATION = (
    "Avvik: et influensautbrudd ga mange innleggelser uansett oppfølging, og "
    "responssenteret var underbemannet i tre uker."
)
#: the benefit owners (line managers) by demo user
OWNERS = ("hanne", "mona", "siri")


@dataclass(frozen=True)
class DemoBenefit:
    """A benefit and how its measurements run: from ``baseline`` towards ``target`` (``reach``
    is how far the newest gets, 1.0 = all the way), one a month since the change."""

    description: str
    type: str
    chain_link: str
    indicator: str
    unit: str
    baseline: float
    target: float
    target_in_days: int
    nok_per_year: int | None
    reach: float
    preconditions: str = ""


BENEFITS = (
    DemoBenefit(
        "Færre akutte innleggelser av pasienter som følges opp hjemme",
        "efficiency",
        "societal_effect",
        "Akutte innleggelser per 100 pasienter per år",
        "innleggelser",
        38,
        25,
        -20,
        2_400_000,
        1.05,
        "Responssenteret er bemannet på dagtid alle ukedager.",
    ),
    DemoBenefit(
        "Mindre tid brukt på kjøring mellom brukere i hjemmetjenesten",
        "efficiency",
        "user_effect",
        "Timer kjøring per uke i sonen",
        "timer",
        120,
        80,
        60,
        650_000,
        0.7,
    ),
    DemoBenefit(
        "Pasientene føler seg tryggere hjemme",
        "quality",
        "user_effect",
        "Andel som svarer «trygg» eller «svært trygg» i brukerundersøkelsen",
        "prosent",
        54,
        75,
        150,
        None,
        0.6,
    ),
    DemoBenefit(
        "Fastlegene får bedre informasjon før konsultasjon",
        "other_actors",
        "output",
        "Andel konsultasjoner med oppdaterte måledata",
        "prosent",
        10,
        60,
        -45,
        None,
        0.8,
    ),
)


def _email(key: str) -> str:
    return next(u.email for u in USERS if u.key == key)


def load_benefit_plans(wf: Workflow, today: date) -> int:
    """Give a few active demo projects in later stages a benefit plan; returns how many."""
    with wf.db.read() as conn:
        rows = list(
            conn.execute(
                select(projects.c.id, projects.c.stage, projects.c.owner_id)
                .where(
                    projects.c.status == ACTIVE,
                    projects.c.stage.in_(STAGES),
                    projects.c.thematic_area == AREA,
                )
                .order_by(projects.c.id)
            )
        )
    rows.sort(key=lambda r: STAGES.index(r.stage))
    owners = [get_actor(wf, email=_email(k)) for k in OWNERS]
    planned = 0
    for n, row in enumerate(rows[:PLANS]):
        owner = get_actor(wf, user_id=row.owner_id)
        for i, b in enumerate(BENEFITS[: 4 - n % 2]):
            manager = owners[(n + i) % len(owners)]
            change_on = today - timedelta(days=300 - 30 * n)
            target_on = today + timedelta(days=b.target_in_days)
            bid = add_benefit(
                wf,
                owner,
                row.id,
                description=b.description,
                type=b.type,
                chain_link=b.chain_link,
                indicator=b.indicator,
                unit=b.unit,
                change_on=change_on,
                baseline={"value": b.baseline, "on": change_on - timedelta(days=45)},
                target={"value": b.target, "on": target_on},
                owner_id=manager.id,
                preconditions=b.preconditions,
                nok_per_year=b.nok_per_year,
                unexpected=False,
            )
            _measure(
                wf, manager, row.id, bid, b, change_on, target_on, today,
                skip=n == 1, deviate=n == i == 0,
            )  # fmt: skip
        planned += 1
    return planned


def _measure(
    wf: Workflow,
    manager: Actor,
    project_id: int,
    benefit_id: int,
    b: DemoBenefit,
    change_on: date,
    target_on: date,
    today: date,
    *,
    skip: bool,
    deviate: bool = False,
) -> None:
    """Monthly measurements since the change, approaching the target with some noise; one
    project (``skip``) leaves its past target unmeasured, so the portfolio flags it, and one
    series (``deviate``) falls back for a month, with the reason in its comment."""
    months = max(1, (today - change_on).days // 30)
    for m in range(1, months + 1):
        day = change_on + timedelta(days=30 * m)
        if day > today or (skip and day >= target_on):
            break
        share = b.reach * m / months
        wobble = (-1) ** m * abs(b.target - b.baseline) * 0.04
        value = round(b.baseline + (b.target - b.baseline) * share + wobble, 1)
        comment = ""
        if deviate and m == DEVIATION_MONTH:
            value = round(b.baseline + (b.target - b.baseline) * share * 0.2, 1)
            comment = DEVIATION
        elif day >= target_on:
            comment = "Målt etter måldato; avviket skyldes sen innføring i én sone."
        record_measurement(
            wf, manager, project_id, benefit_id, value=value, measured_on=day, comment=comment
        )
