"""The tables behind ``samspill init --demo``, and plausible values for fields they leave out.

Organisations and people of Trondheim; the projects are in :mod:`workflow.demo.projects`.
All names of people and companies are invented. Times are relative to the day the demo is
loaded: ``days`` of a project are days ago (created, then the entry into each stage on its
route, then its last activity; two numbers spread the entries evenly), and a date field
given as an ``int`` means that many days from the load day (negative: in the past).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from workflow.definitions import Comparison, Definition, FieldSpec

DEMO_PASSWORD = "samspill-demo"


@dataclass(frozen=True)
class DemoOrg:
    """A partner organisation."""

    key: str
    name: str
    type: str
    description: str = ""
    #: competence keywords, thematic areas and Research Council approval (suggestions use them)
    keywords: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    approved_research: bool = False
    org_number: str | None = None


@dataclass(frozen=True)
class DemoUser:
    """A person who logs in to the demo."""

    key: str
    email: str
    name: str
    role: str
    org: str
    label: str
    group: str | None = None
    language: str = "nb"


@dataclass(frozen=True)
class Detour:
    """A decision on the way: the first submission to ``gate`` is held or sent back."""

    gate: str
    decision: str
    comment: str


@dataclass(frozen=True)
class DemoApplication:
    """A funding application against one of the demo's calls (``ipo2025``, ``ipo2026``,
    ``rff``) and how far it gets: ``draft``, ``submitted``, ``granted`` or ``rejected``
    (with the funder's ``feedback``). After a rejected one, the next is a re-application."""

    call: str
    outcome: str
    feedback: str = ""


@dataclass(frozen=True)
class DemoReport:
    """A report the project owes its funder: ``progress`` (due ``due`` days from the load
    day) or ``final`` (due a month after the application's end), and how far it has come:
    ``due``, ``delivered`` or ``approved``."""

    kind: str
    status: str
    due: int = 0


@dataclass(frozen=True)
class DemoCondition:
    """A condition a go vote at ``gate`` sets: ``responsible`` (a demo user's key) follows it
    up by ``due`` days from the load day; a ``closed`` note means it has been done."""

    gate: str
    text: str
    responsible: str
    due: int
    closed: str = ""


@dataclass(frozen=True)
class DemoProject:
    """A project, the stage it reaches and what happens to it there (``scenario``).

    Scenarios: ``active`` (work in progress), ``review`` (submitted, no votes yet),
    ``review_kommune`` (only the kommune member has voted go), ``hold``, ``kill`` and
    ``recycle`` (decided at the stage's gate with ``comment``). A final stage completes it.
    """

    definition: str
    title: str
    owner: str
    area: str
    summary: str
    stage: str
    days: tuple[int, ...]
    scenario: str = "active"
    fields: Mapping[str, Any] = field(default_factory=dict)
    partners: tuple[tuple[str, str], ...] = ()
    route: tuple[str, ...] = ()
    detours: tuple[Detour, ...] = ()
    comment: str = ""
    #: applications in order; a gate asking for one that the table lacks gets a granted
    #: IPO 2025 application
    applications: tuple[DemoApplication, ...] = ()
    reports: tuple[DemoReport, ...] = ()
    #: conditions of the first go vote at a gate (conditional go, with follow-ups)
    conditions: tuple[DemoCondition, ...] = ()
    #: published in the public portfolio (/open) by the coordinator
    published: bool = False


# fmt: off
ORGS = (
    DemoOrg("tk-helse-velferd", "Trondheim kommune – Helse og velferd", "public",
            "Hjemmetjenester, helsehus, sykehjem og velferdsteknologi.",
            keywords=("velferdsteknologi", "hjemmetjenester", "helsehus", "sykehjem"),
            areas=("helse_velferd",)),
    DemoOrg("tk-byutvikling", "Trondheim kommune – Byutvikling", "public",
            "Byplan, byggesak, kart og kommunalteknikk.",
            keywords=("byplan", "byggesak", "kart", "kommunalteknikk"),
            areas=("byutvikling",)),
    DemoOrg("tk-oppvekst", "Trondheim kommune – Oppvekst og utdanning", "public",
            "Barnehager, skoler og tjenester for barn og unge.",
            keywords=("barnehage", "skole", "barn og unge"),
            areas=("oppvekst_utdanning",)),
    DemoOrg("tk-smartby", "Trondheim kommune – Kommunedirektørens fagstab (Smartby)", "public",
            "Smartby, innovasjon og TRD 3.0-sekretariatet.",
            keywords=("smartby", "innovasjon", "digitalisering"),
            areas=("smartby", "innovasjon")),
    DemoOrg("tk-bydrift", "Trondheim bydrift", "public", "Drift av veier, parker og bygg.",
            keywords=("veivedlikehold", "parker", "bygningsdrift"),
            areas=("byutvikling",)),
    DemoOrg("ntnu-idi", "NTNU – Institutt for datateknologi og informatikk", "research",
            keywords=("kunstig intelligens", "programvare", "datadeling", "informasjonssikkerhet"),
            areas=("smartby", "innovasjon"), approved_research=True),
    DemoOrg("ntnu-ism", "NTNU – Institutt for samfunnsmedisin og sykepleie", "research",
            keywords=("sykepleie", "velferdsteknologi", "eldreomsorg", "folkehelse",
                      "hjemmetjenester"),
            areas=("helse_velferd",), approved_research=True),
    DemoOrg("ntnu-iap", "NTNU – Institutt for arkitektur og planlegging", "research",
            keywords=("byplanlegging", "arkitektur", "medvirkning", "byrom"),
            areas=("byutvikling",), approved_research=True),
    DemoOrg("ntnu-ilu", "NTNU – Institutt for lærerutdanning", "research",
            keywords=("lærerutdanning", "skole", "undervisning", "klasseledelse"),
            areas=("oppvekst_utdanning",), approved_research=True),
    DemoOrg("sintef-digital", "SINTEF Digital", "research",
            keywords=("digitalisering", "sensorer", "kunstig intelligens", "helseteknologi"),
            areas=("smartby", "helse_velferd"), approved_research=True),
    DemoOrg("sintef-community", "SINTEF Community", "research",
            keywords=("klimatilpasning", "bygg", "mobilitet", "overvann"),
            areas=("byutvikling",), approved_research=True),
    DemoOrg("nidaros-helsetek", "Nidaros Helseteknologi AS", "business",
            "Oppstartsselskap innen digital hjemmeoppfølging.",
            keywords=("digital hjemmeoppfølging", "velferdsteknologi", "sensorer"),
            areas=("helse_velferd",)),
    DemoOrg("bakklandet-digital", "Bakklandet Digital AS", "business", "IT-konsulentselskap.",
            keywords=("systemutvikling", "integrasjon", "skytjenester"),
            areas=("smartby",)),
    DemoOrg("fjordbygg", "Fjordbygg Entreprenør AS", "business", "Bygg- og anleggsentreprenør.",
            keywords=("bygg", "anlegg", "rehabilitering"),
            areas=("byutvikling",)),
    DemoOrg("frivilligsentral", "Frivilligsentralen i Midtbyen", "civil_society",
            keywords=("frivillighet", "ensomhet", "besøksvenn"),
            areas=("helse_velferd",)),
    DemoOrg("rode-kors", "Trondheim Røde Kors", "civil_society",
            keywords=("frivillighet", "beredskap", "førstehjelp"),
            areas=("helse_velferd",)),
    DemoOrg("innbyggerpanel", "Innbyggerpanelet i Trondheim", "citizens",
            "Innbyggere som deltar i utprøving og medvirkning.",
            keywords=("medvirkning", "brukertest", "utprøving"),
            areas=("smartby", "byutvikling")),
    DemoOrg("brukerpanel-eldre", "Brukerpanel for hjemmeboende eldre", "citizens",
            keywords=("eldre", "hjemmeboende", "brukermedvirkning"),
            areas=("helse_velferd",)),
    # the organisations above the units: last, so the units keep the lowest ids
    DemoOrg("trondheim-kommune", "Trondheim kommune", "public",
            "Kommunen: tjenesteområdene og kommunedirektørens stab.",
            org_number="942110464"),
    DemoOrg("ntnu", "NTNU – Norges teknisk-naturvitenskapelige universitet", "research",
            "Universitetet: alle fakulteter og institutter.", approved_research=True,
            org_number="974767880"),
    DemoOrg("ntnu-mh", "NTNU – Fakultet for medisin og helsevitenskap", "research",
            keywords=("helsevitenskap", "medisin", "sykepleie"), areas=("helse_velferd",),
            approved_research=True),
    DemoOrg("ntnu-ie", "NTNU – Fakultet for informasjonsteknologi og elektroteknikk", "research",
            keywords=("informasjonsteknologi", "elektronikk", "kunstig intelligens"),
            areas=("smartby", "innovasjon"), approved_research=True),
    DemoOrg("ntnu-ad", "NTNU – Fakultet for arkitektur og design", "research",
            keywords=("arkitektur", "design", "byplanlegging"), areas=("byutvikling",),
            approved_research=True),
    DemoOrg("ntnu-su", "NTNU – Fakultet for samfunns- og utdanningsvitenskap", "research",
            keywords=("utdanning", "pedagogikk", "samfunnsvitenskap"),
            areas=("oppvekst_utdanning",), approved_research=True),
    DemoOrg("sintef", "SINTEF AS", "research", "Uavhengig forskningsinstitutt.",
            approved_research=True,
            org_number="919303808"),
)

#: each unit's key → the key of the organisation above it (NTNU → faculty → department),
#: set once every organisation exists
PARENTS = {
    "tk-helse-velferd": "trondheim-kommune",
    "tk-byutvikling": "trondheim-kommune",
    "tk-oppvekst": "trondheim-kommune",
    "tk-smartby": "trondheim-kommune",
    "ntnu-ism": "ntnu-mh",
    "ntnu-idi": "ntnu-ie",
    "ntnu-iap": "ntnu-ad",
    "ntnu-ilu": "ntnu-su",
    "sintef-digital": "sintef",
    "sintef-community": "sintef",
    "ntnu-mh": "ntnu",
    "ntnu-ie": "ntnu",
    "ntnu-ad": "ntnu",
    "ntnu-su": "ntnu",
}

USERS = (
    DemoUser("kari", "kari.nordmann@trondheim.kommune.example", "Kari Nordmann", "owner",
             "tk-helse-velferd", "prosjekteier, Helse og velferd"),
    DemoUser("hanne", "hanne.moe@trondheim.kommune.example", "Hanne Moe", "owner",
             "tk-helse-velferd", "enhetsleder hjemmetjenesten, Helse og velferd"),
    DemoUser("mona", "mona.haugen@trondheim.kommune.example", "Mona Haugen", "owner",
             "tk-helse-velferd", "sykepleier i hjemmetjenesten, idéhaver (MDI)"),
    DemoUser("lars", "lars.eriksen@trondheim.kommune.example", "Lars Eriksen", "owner",
             "tk-byutvikling", "prosjekteier, Byutvikling"),
    DemoUser("ingrid", "ingrid.solberg@trondheim.kommune.example", "Ingrid Solberg", "owner",
             "tk-oppvekst", "prosjekteier, Oppvekst og utdanning"),
    DemoUser("siri", "siri.aune@trondheim.kommune.example", "Siri Aune", "owner",
             "tk-smartby", "innovasjonsrådgiver, Smartby"),
    DemoUser("trond", "trond.moen@trondheim.kommune.example", "Trond Moen", "owner",
             "tk-bydrift", "prosjektleder, Trondheim bydrift"),
    DemoUser("per", "per.hansen@ntnu.example", "Per Hansen", "owner",
             "ntnu-ism", "forsker, NTNU Institutt for samfunnsmedisin og sykepleie"),
    DemoUser("emma", "emma.larsen@stud.ntnu.example", "Emma Larsen", "owner",
             "ntnu-iap", "masterstudent, NTNU Institutt for arkitektur og planlegging",
             language="en"),
    DemoUser("anne", "anne.strand@trondheim.kommune.example", "Anne Strand", "gatekeeper",
             "tk-helse-velferd", "portvokter kommune, innovasjonsutvalget", group="kommune"),
    DemoUser("bjorn", "bjorn.aas@trondheim.kommune.example", "Bjørn Aas", "gatekeeper",
             "tk-byutvikling", "portvokter kommune, innovasjonsutvalget", group="kommune"),
    DemoUser("torunn", "torunn.kvam@ntnu.example", "Torunn Kvam", "gatekeeper",
             "ntnu-ism", "portvokter NTNU, innovasjonsutvalget", group="ntnu"),
    DemoUser("erik", "erik.johansen@ntnu.example", "Erik Johansen", "gatekeeper",
             "ntnu-idi", "portvokter NTNU, innovasjonsutvalget", group="ntnu",
             language="en"),
    DemoUser("randi", "randi.berg@trondheim.kommune.example", "Randi Berg", "gatekeeper",
             "tk-helse-velferd", "nærmeste leder i hjemmetjenesten (MDI)", group="leder"),
    DemoUser("geir", "geir.lund@trondheim.kommune.example", "Geir Lund", "gatekeeper",
             "trondheim-kommune", "innkjøpssjef, oppdragsgiver i anskaffelser",
             group="oppdragsgiver"),
    DemoUser("tove", "tove.lie@trondheim.kommune.example", "Tove Lie", "owner",
             "tk-helse-velferd", "hovedtillitsvalgt, Fagforbundet"),
    DemoUser("hilde", "hilde.roed@trondheim.kommune.example", "Hilde Røed", "coordinator",
             "tk-smartby", "TRD 3.0-koordinator"),
    DemoUser("jon", "jon.vik@trondheim.kommune.example", "Jon Vik", "admin",
             "tk-smartby", "administrator"),
)
# fmt: on

#: the user created last; its existence means the demo is loaded
MARKER_USER = USERS[-1]

#: who holds each project role in the demo, in order of preference (demo users' keys); the
#: first who is not the project's owner gets it
ROLE_HOLDERS: dict[str, tuple[str, ...]] = {
    "project_manager": ("hanne", "siri", "ingrid", "trond"),
    "administrative_contact": ("siri", "hilde"),
    "research_contact": ("per", "torunn"),
    "benefit_owner": ("hanne", "mona", "trond"),
    "leader": ("randi",),
    "union_representative": ("tove",),
    "procurement_officer": ("lars", "mona"),
}

#: roles a partner of each organisation type gets when a gate asks for one
PARTNER_ROLES = {
    "public": "Tjenesteeier",
    "research": "FoU-partner",
    "business": "Leverandør",
    "civil_society": "Frivillig partner",
    "citizens": "Brukermedvirkning",
}

#: plausible values for fields a gate needs and a project's table leaves out
DEFAULTS: dict[str, Any] = {
    "need": "Tjenesten møter et økende behov som dagens arbeidsmåter ikke dekker godt nok.",
    "research_question": "Hvilke forutsetninger må være på plass for at løsningen gir bedre "
    "tjenester, og hvordan måles effekten?",
    "call": "Innovasjonsprosjekt i offentlig sektor (Forskningsrådet)",
    "administrative_contact": "Marte Lunde, rådgiver forskning og innovasjon",
    "research_partner_contact": "Per Hansen, NTNU",
    "council_feedback": "Panelet ga 4 på ambisjon og 3 på gjennomføring: forskningsspørsmålet må "
    "knyttes tydeligere til tjenesten, og implementeringsplanen må konkretiseres.",
    "expected_benefits": "Spart tid for ansatte, bedre kvalitet for brukerne og unngåtte "
    "kostnader, målt mot nullpunktet fra før endringen.",
    "benefit_owner": "Enhetsleder i linjen",
    "procurement_officer": "Terje Bakken, Innkjøp og avtaleforvaltning",
    "function_description": "Løsningen skal gi ansatte sanntidsoversikt, varsle avvik og "
    "kunne integreres med kommunens fagsystemer. Krav til effekt, ikke til teknologi.",
    "market_findings": "Dialogkonferansen med 14 leverandører viste at ingen løsning dekker "
    "behovet i dag, men flere har relevante komponenter.",
    "performance_targets": "Minst 95 % treffsikkerhet, 99,5 % oppetid og 20 % mindre "
    "tidsbruk for ansatte, målt mot nullpunktet.",
    "supplier": "Bakklandet Digital AS",
    "partner_supplier": "Bakklandet Digital AS i konsortium med Nidaros Helseteknologi AS",
    "leader": "Enhetsleder",
    "union_representative": "Hovedtillitsvalgt, Fagforbundet",
    "unit": "Hjemmetjenesten",
    "pilot_result": "Piloten viste tydelig nytte: ansatte sparte tid, og brukerne var fornøyde.",
    "challenge": "Området trenger løsninger som innbyggerne selv er med på å forme.",
    "stakeholders": "Kommunen, NTNU, SINTEF, frivillige organisasjoner og innbyggere.",
    "site": "Utvalgte gater og byrom i området",
    "hypothesis": "Når innbyggerne er med på å utforme tiltaket, blir det brukt mer.",
    "methods": "Observasjon, intervjuer, workshops, sensordata og spørreundersøkelse.",
    "findings": "Tiltaket ble tatt godt imot; bruken økte og innbyggerne ga konkrete forslag.",
    "next_step": "scale_up",
    "procedure": "competitive_dialogue",
    "budget": 8_000_000,
    "granted_amount": 3_500_000,
    "estimated_value": 6_000_000,
    "contract_value": 5_400_000,
    "maximum_cost": 20_000_000,
    "accumulated_cost": 6_500_000,
    "tenderers_in_negotiation": 4,
    "development_phases": 3,
    "units_adopted": 5,
}

#: date fields a gate needs: days after the day the value is filled in
DATE_OFFSETS = {
    "project_start": 45,
    "project_end": 775,
    "next_progress_report": 120,
    "next_benefit_measurement": 90,
    "pilot_start": 14,
    "pilot_end": 100,
    "experiment_start": 21,
    "experiment_end": 140,
    "prior_information_notice_on": -30,
    "dialogue_conference_on": 35,
    "announced_on": -45,
    "tender_deadline": 40,
    "contract_signed_on": -10,
    "contract_end": 1095,
    "participation_deadline": 20,
    "next_milestone_on": 90,
    "next_call_deadline": 150,
}

#: what gatekeepers say with a go (every demo text is in bokmål, whatever the user's language)
GO_REMARKS = {
    "nb": (
        "Godt forankret – hold brukerne med videre.",
        "Går videre. Husk å måle nullpunktet før endringen.",
        "Solid arbeid. Avklar gevinsteier tidlig.",
        "Enig, dette er modent for neste fase.",
        "Godkjent. Del gjerne erfaringene i innovasjonsutvalget.",
        "",
    ),
}

_FALLBACK = {
    "string": "Avklart i prosjektet",
    "text": "Beskrevet i prosjektplanen.",
    "integer": 3,
    "money": 1_000_000,
    "url": "https://www.trondheim.kommune.no/",
}


def plausible_value(spec: FieldSpec, today: date, values: Mapping[str, Any]) -> Any:
    """A value for field ``spec``: from ``values`` if usable, else a default for its key or type."""
    if spec.type == "boolean":
        return True
    choices = [c.key for c in spec.choices or ()]
    wanted = values.get(spec.key)
    if wanted not in (None, "") and (spec.type != "choice" or wanted in choices):
        return wanted
    if spec.type == "date":
        return default_date(spec.key, today).isoformat()
    default = DEFAULTS.get(spec.key)
    if default is not None and (spec.type != "choice" or default in choices):
        return default
    return choices[0] if spec.type == "choice" else _FALLBACK[spec.type]


def default_date(key: str, today: date) -> date:
    """A plausible date for field ``key`` filled in on ``today``."""
    if key == "application_deadline":  # the Research Council's call closes in September
        soonest = today + timedelta(days=14)
        deadline = date(soonest.year, 9, 22)
        return deadline if deadline >= soonest else date(soonest.year + 1, 9, 22)
    return today + timedelta(days=DATE_OFFSETS.get(key, 30))


def meeting_value(spec: Definition, c: Comparison, right: Any) -> Any:
    """A value for ``c.field`` that makes the comparison hold against ``right`` (the other
    side as the engine computed it: a date as ISO text, a number, or a choice key), with a
    realistic margin."""
    field = spec.field(c.field)
    if field.type == "choice":
        if c.op == "==":
            return right
        return next(k.key for k in field.choices or () if k.key != right)
    if field.type == "date":
        day = date.fromisoformat(str(right))
        margin = {">": 30, ">=": 7, "==": 0, "<=": -7, "<": -30, "!=": 7}[c.op]
        return (day + timedelta(days=margin)).isoformat()
    target = Decimal(str(right))
    factor = {">": "1.2", ">=": "1.2", "==": "1", "<=": "0.8", "<": "0.8", "!=": "1.2"}[c.op]
    value = target * Decimal(factor)
    up = c.op in (">", ">=", "!=")
    whole = value.to_integral_value(ROUND_CEILING if up else ROUND_FLOOR)
    if c.op in (">", "!=") and whole <= target:
        whole = target.to_integral_value(ROUND_FLOOR) + 1
    if c.op == "<" and whole >= target:
        whole = target.to_integral_value(ROUND_CEILING) - 1
    return int(whole)
