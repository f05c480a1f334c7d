"""B6: partner suggestions at 5,000 organisations and 100,000 projects (SPEC §6).

Seeds organisations with known topics (a Norwegian vocabulary of 40 topics, 8 words and
compounds each; an organisation's keywords and description come from one or two topics)
and projects written from the same topics in inflected and compound forms, never the
exact keywords. Most projects already have a partner of their topic (the organisations'
track record, 30 % of them completed); 200 have none and are each planted with their
"right partner": the organisation whose keywords are exactly the four topic words the
project is written from. Then builds the suggestion index once and measures
``workflow.suggest_partners`` on 200 projects (p95 and median), and how often the right
partner is among the top 5.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

import workflow
from bench.common import (
    CHUNK,
    DEFINITION,
    Timer,
    line,
    main,
    open_fresh,
    scratch_sqlite,
    seed_people,
    sqlite_url,
)
from workflow.store.tables import Organisation, Project, ProjectPartner, table

ORGANISATIONS = 5_000
PLANTED = 200
TARGET_MS = 50.0
TARGET_TOP5 = 0.80

# fmt: off
#: topic → (thematic area, eight words and compounds in their base form)
TOPICS: dict[str, tuple[str, str]] = {
    "velferd": ("helse_velferd", "velferdsteknologi trygghetsalarm sensor hjemmetjeneste digitalt tilsyn medisindispenser fallsensor pasientvarsling"),
    "rehab": ("helse_velferd", "rehabilitering hverdagsmestring fysioterapi treningsprogram opptrening mestringsplan ergoterapi funksjonsvurdering"),
    "demens": ("helse_velferd", "demens hukommelse pårørendestøtte dagaktivitet skjermet avdeling miljøbehandling sykehjem botilbud"),
    "psyk": ("helse_velferd", "psykisk helse rusomsorg lavterskeltilbud samtaleterapi ettervern oppfølgingsteam ungdomshelse selvmordsforebygging"),
    "legemiddel": ("helse_velferd", "legemiddelhåndtering multidose farmasøyt interaksjon sykepleie legemiddelgjennomgang apotek resept"),
    "helsedata": ("helse_velferd", "journalsystem helsedata samhandling epikrise kjernejournal meldingsutveksling pasientforløp datadeling"),
    "folkehelse": ("helse_velferd", "folkehelse fysisk aktivitet kosthold frisklivssentral ensomhet nærmiljø livsstil forebygging"),
    "barnevern": ("oppvekst_utdanning", "barnevern fosterhjem familieveiledning tiltaksplan omsorgsovertakelse hjelpetiltak saksbehandling barnesamtale"),
    "skole": ("oppvekst_utdanning", "grunnskole undervisning klasseledelse læringsmiljø lærer vurdering elevmedvirkning skolebibliotek"),
    "barnehage": ("oppvekst_utdanning", "barnehage lek språkutvikling pedagog foreldresamarbeid tilvenning uteområde småbarn"),
    "digiskole": ("oppvekst_utdanning", "nettbrett læringsplattform programmering digital kompetanse skjermbruk læremiddel koding personvern"),
    "spesped": ("oppvekst_utdanning", "spesialundervisning tilpasset opplæring lesevansker dysleksi logoped assistent inkludering ressursteam"),
    "frafall": ("oppvekst_utdanning", "frafall videregående lærling yrkesfag fagbrev mentor gjennomføring karriereveiledning"),
    "fritid": ("oppvekst_utdanning", "fritidsklubb ungdomsråd idrettslag kulturskole sommerjobb ferietilbud utstyrssentral ungdomsarbeid"),
    "byplan": ("byutvikling", "reguleringsplan arealplan fortetting byrom medvirkning planprosess kommuneplan byutvikling"),
    "mobilitet": ("byutvikling", "kollektivtrafikk sykkelvei bildeling mobilitet gangvei parkering trafikksikkerhet bysykkel"),
    "klima": ("byutvikling", "klimatilpasning overvann flomvei regnbed grønnstruktur klimagass utslippskutt fornybar"),
    "bygg": ("byutvikling", "byggesak tegning ferdigattest tilsyn byggteknisk rehabilitering energieffektivisering bygningsvern"),
    "vann": ("byutvikling", "vannforsyning avløp ledningsnett lekkasje renseanlegg drikkevann pumpestasjon vannmåler"),
    "avfall": ("byutvikling", "avfallshåndtering sortering gjenvinning ombruk nedgravd container renovasjon matavfall sirkulærøkonomi"),
    "bolig": ("byutvikling", "boligsosial startlån kommunal utleiebolig bostøtte husbanken bostedsløs boligkvalitet"),
    "kulturarv": ("byutvikling", "kulturminne fredning verneplan museum kulturarv arkeologi bybevaring stedsidentitet"),
    "anskaffelse": ("innovasjon", "anskaffelse innkjøp leverandørdialog konkurransegrunnlag kontraktsoppfølging markedsdialog tildelingskriterier rammeavtale"),
    "tjenestedesign": ("innovasjon", "tjenestedesign brukerreise prototyping innsikt workshop brukertest designmetodikk samskaping"),
    "ledelse": ("innovasjon", "innovasjonsledelse endringsledelse gevinstrealisering porteføljestyring prosjektledelse forankring kultur ledergruppe"),
    "medarbeider": ("innovasjon", "medarbeiderdrevet forslagsordning tillitsvalgt arbeidsmiljø kompetanseheving turnus heltidskultur rekruttering"),
    "frivillighet": ("innovasjon", "frivillighet frivilligsentral likepersoner besøksvenn lag forening nabolag dugnad"),
    "naering": ("innovasjon", "næringsutvikling gründer inkubator oppstartsbedrift klynge eksport investor forretningsmodell"),
    "sosialentrepren": ("innovasjon", "sosialt entreprenørskap arbeidsinkludering praksisplass varig tilrettelagt lønnstilskudd jobbcoach attføring"),
    "kunstig": ("smartby", "kunstig intelligens maskinlæring språkmodell chatbot automatisering beslutningsstøtte algoritme datasett"),
    "sensorbyen": ("smartby", "sensornettverk tingenes internett luftkvalitet støymåling sanntidsdata måleserie dataplattform dashbord"),
    "digitalisering": ("smartby", "digitalisering selvbetjening saksbehandlingssystem arkiv integrasjon skytjeneste innbyggerportal eskjema"),
    "energi": ("smartby", "energistyring solcelle batterilager varmepumpe fjernvarme smartmåler effekttopp lading"),
    "geodata": ("smartby", "geodata kartløsning laserskanning digital tvilling tredimensjonal modell matrikkel landmåling drone"),
    "infosikkerhet": ("smartby", "informasjonssikkerhet personvernkonsekvens risikovurdering tilgangsstyring hendelseshåndtering kryptering sikkerhetskopi beredskap"),
    "ikt_drift": ("smartby", "driftsavtale nettverk brukerstøtte lisens skylagring serverpark tjenestekatalog servicedesk"),
    "transportdata": ("smartby", "trafikkdata reisevaneundersøkelse ruteplan passasjertelling billettdata kjøretøy flåtestyring logistikk"),
    "matsystem": ("helse_velferd", "institusjonskjøkken matsvinn ernæring måltid menyplanlegging matombringing kostveileder underernæring"),
    "beredskap": ("byutvikling", "samfunnssikkerhet kriseledelse risikoanalyse evakuering varsling øvelse nødstrøm befolkningsvarsling"),
    "idrett": ("oppvekst_utdanning", "idrettsanlegg svømmehall ballbinge nærmiljøanlegg friluftsliv turløype skiløype aktivitetspark"),
}
# fmt: on
#: how a base word may appear in running text: an ending, or part of a compound
ENDINGS = ("er", "ene", "en", "et", "ende", "ske", "ar", "a", "s", "")
PREFIXES = ("ny", "kommunal", "digital", "bedre", "felles", "lokal", "")
SUFFIXES = ("arbeid", "tjenester", "løsninger", "prosjekt", "tiltak", "")
FILLER = (
    "Vi vil prøve ut nye måter å arbeide på i kommunen sammen med forskere og innbyggere, "
    "måle effekten og dele erfaringene med andre kommuner."
)
TYPES = ("research", "public", "business", "civil_society", "citizens")
TYPE_WEIGHTS = (0.4, 0.25, 0.25, 0.05, 0.05)


def _words(topic: str) -> list[str]:
    return TOPICS[topic][1].split()


def variant(word: str, rng: random.Random) -> str:
    """``word`` as running text has it: inflected, or inside a compound."""
    roll = rng.random()
    if roll < 0.4:
        ending = rng.choice(ENDINGS[:-1])
        return word + ending if not word.endswith(ending[:1]) else word + ending[1:] or "r"
    if roll < 0.7:
        suffix = rng.choice(SUFFIXES[:-1])
        return f"{word}s{suffix}" if not word.endswith("s") else word + suffix
    prefix = rng.choice(PREFIXES[:-1])
    return f"{prefix}{'e' if prefix in ('ny', 'lokal', 'felles') else ''} {word}"


def project_text(words: list[str], rng: random.Random) -> tuple[str, str]:
    """A title and summary written from ``words`` in inflected and compound forms."""
    forms = [variant(w, rng) for w in words]
    title = f"{forms[0].capitalize()} og {forms[1]} i {forms[2]}"[:200]
    summary = f"Prosjektet handler om {', '.join(forms[1:])} og {forms[0]}. {FILLER}"
    return title, summary


def seed(wf: workflow.Workflow, projects: int, rng: random.Random) -> dict[int, int]:
    """Organisations, projects and partnerships; returns planted project → right partner."""
    owner = seed_people(wf).owner
    spec = wf.catalog.get(DEFINITION)
    stage = spec.first_stage
    names = list(TOPICS)
    now = datetime.now(UTC)
    orgs, org_topics = [], []
    for n in range(ORGANISATIONS):
        topics = rng.sample(names, 2 if rng.random() < 0.4 else 1)
        keywords = rng.sample(_words(topics[0]), 4)
        if len(topics) > 1:
            keywords += rng.sample(_words(topics[1]), 2)
        org_type = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        orgs.append(
            {
                "key": f"org-{n}",
                "name": f"{org_type.capitalize()} {topics[0].capitalize()} {n}",
                "type": org_type,
                "description": "Arbeider med " + ", ".join(rng.sample(_words(topics[0]), 3)),
                "keywords": keywords,
                "thematic_areas": sorted({TOPICS[t][0] for t in topics}),
                "approved_research": org_type == "research" and rng.random() < 0.6,
                "active": rng.random() > 0.02,
                "confirmed": True,
                "created_at": now,
                "updated_at": now,
            }
        )
        org_topics.append(topics)
    by_topic: dict[str, list[int]] = {t: [] for t in names}
    for i, topics in enumerate(org_topics):
        by_topic[topics[0]].append(i + 1)  # ids are 1.. in insertion order
    planted_at = set(rng.sample(range(projects), min(PLANTED, projects)))
    right: dict[int, int] = {}
    project_rows, partner_rows = [], []
    for i in range(projects):
        pid = i + 1
        if i in planted_at:
            org_id = rng.choice([o for o in range(1, ORGANISATIONS + 1) if orgs[o - 1]["active"]])
            topic = org_topics[org_id - 1][0]
            words = list(orgs[org_id - 1]["keywords"][:4])
            rng.shuffle(words)
            right[pid] = org_id
        else:
            topic = rng.choice(names)
            words = rng.sample(_words(topic), 4)
            partner_rows.append(
                {
                    "project_id": pid,
                    "organisation_id": rng.choice(by_topic[topic]),
                    "role": "",
                    "status": "confirmed",
                    "added_at": now,
                }
            )
        title, summary = project_text(words, rng)
        last = now - timedelta(hours=i % 500)
        project_rows.append(
            {
                "definition_key": spec.key,
                "definition_version": spec.version,
                "title": title,
                "summary": summary,
                "thematic_area": TOPICS[topic][0],
                "fields": {},
                "checklist": {},
                "stage": stage.key,
                "stage_round": 1,
                "status": "completed" if i not in planted_at and rng.random() < 0.3 else "active",
                "owner_id": owner.id,
                "version": 1,
                "created_at": last,
                "updated_at": last,
                "stage_entered_at": last,
                "last_activity_at": last,
                "stale_at": None,
                "pending_gate": None,
                "audit_seq": 0,
                "audit_head": "0" * 64,
            }
        )
    with wf.db.write() as conn:
        conn.execute(insert(table(Organisation)), orgs)
        for start in range(0, len(project_rows), CHUNK):
            conn.execute(insert(table(Project)), project_rows[start : start + CHUNK])
        for start in range(0, len(partner_rows), CHUNK):
            conn.execute(insert(table(ProjectPartner)), partner_rows[start : start + CHUNK])
        top = conn.execute(select(table(Organisation).c.id).order_by(table(Organisation).c.id))
        assert [r[0] for r in top][:1] == [1], "organisation ids must start at 1"
    return right


def run(projects: int) -> tuple[str, bool]:
    """Seed, build the index, and measure latency and how often the right partner ranks."""
    rng = random.Random(6)
    with scratch_sqlite() as path:
        wf = open_fresh(sqlite_url(path))
        right = seed(wf, projects, rng)
        with Timer() as built:
            workflow.refresh_suggestions(wf)
        found = 0
        for pid, org_id in right.items():
            top = workflow.suggest_partners(wf, pid, limit=5)
            found += org_id in [s.organisation["id"] for s in top]
        sample = rng.sample(range(1, projects + 1), min(200, projects))
        times = []
        for pid in sample:
            start = time.perf_counter()
            workflow.suggest_partners(wf, pid, limit=10)
            times.append((time.perf_counter() - start) * 1000)
        wf.db.dispose()
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    share = found / len(right) if right else 0.0
    speed = line(
        "B6",
        f"p95 {p95:.1f} ms at {ORGANISATIONS} organisations and {projects} projects "
        f"(median {statistics.median(times):.1f} ms, index built in {built.seconds:.1f} s)",
        f"< {TARGET_MS:.0f} ms",
        p95 < TARGET_MS,
    )
    quality = line(
        "B6",
        f"right partner in the top 5 for {share:.0%} of {len(right)} planted projects".replace(
            "%", " %"
        ),
        f">= {TARGET_TOP5:.0%}".replace("%", " %"),
        share >= TARGET_TOP5,
    )
    return f"{speed}\n{quality}", p95 < TARGET_MS and share >= TARGET_TOP5


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 100_000))
