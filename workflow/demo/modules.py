"""The demo's project room, discussions, lessons, follow-ups and public portfolio.

Written after the projects' histories, through the same use cases the UI calls: people in
the roles each project's definition declares, small generated PDF attachments stored in the
FileStore, comments with @mentions, gatekeepers' questions answered by the owner, lessons
from the killed and completed projects, closed follow-ups of a conditional go, and the
projects the coordinator publishes at /open. Role and attachment keys are read from each
project's definition version, never assumed.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime, time, timedelta
from typing import Any

from workflow.definitions import Definition
from workflow.demo.data import ROLE_HOLDERS, USERS
from workflow.demo.projects import PROJECTS
from workflow.domain.lifecycle import ACTIVE, COMPLETED, IN_REVIEW, KILLED
from workflow.domain.voting import may_vote
from workflow.queries.discussion import project_follow_ups
from workflow.queries.projects import get_project
from workflow.runtime import Actor, Workflow
from workflow.services.discussion import (
    add_comment,
    answer_question,
    ask_question,
    close_follow_up,
)
from workflow.services.lessons import write_lesson
from workflow.services.publishing import publish_project
from workflow.services.room import list_attachments, project_roles_of, upload_attachment
from workflow.services.room import set_roles as set_project_roles
from workflow.store.files import FileStore

#: the demo user each role key prefers (any other role gets the next owner in turn)
#: how many attachment types of a project get a PDF
PDFS_PER_PROJECT = 2
#: the largest attachment the demo stores
MAX_BYTES = 1_000_000


def _email(key: str) -> str:
    return next(u.email for u in USERS if u.key == key)


#: comments in the discussions: (project title, author, text with @mentions)
COMMENTS: tuple[tuple[str, str, str], ...] = (
    (
        "Digital hjemmeoppfølging av kronisk syke",
        "kari",
        f"@{_email('per')} kan du se på utkastet til følgeforskningsplanen før fredag? Vi må "
        "bli enige om hvilke pasientgrupper vi sammenligner.",
    ),
    (
        "Digital hjemmeoppfølging av kronisk syke",
        "per",
        "Ser på den i morgen. Jeg foreslår KOLS og hjertesvikt hver for seg, med seks måneder "
        "før og etter som sammenligning.",
    ),
    (
        "Digital hjemmeoppfølging av kronisk syke",
        "hanne",
        f"Responssenteret har kapasitet til 40 nye pasienter fra januar. @{_email('kari')} "
        "gir du beskjed når inklusjonen starter?",
    ),
    (
        "Klimatilpasset overvannshåndtering i bydelene",
        "lars",
        f"@{_email('siri')} har Smartby sensordata fra Lade vi kan bruke som nullpunkt?",
    ),
    (
        "Klimatilpasset overvannshåndtering i bydelene",
        "siri",
        "Ja, vi har nivåmålinger fra tre kummer siden 2024. Jeg deler dem i prosjektrommet.",
    ),
    (
        "Læringsanalyse for tidlig innsats i ungdomsskolen",
        "ingrid",
        f"Personvernombudet vil se databehandlingen før vi går videre. @{_email('hilde')} "
        "kan koordinatoren sette oss i kontakt?",
    ),
    (
        "Ti minutters tavlemøte hver morgen",
        "mona",
        f"Fire soner har tatt i bruk tavlemøtene. @{_email('hanne')} skal vi presentere "
        "erfaringene på ledermøtet i neste måned?",
    ),
    (
        "Innovasjonsdistrikt Elgeseter: sensorer for luftkvalitet og støy",
        "siri",
        "Sensorene ved Elgeseter skole viste høye NO₂-verdier i rushtiden. Vi tar det opp "
        "med skolen og foreldrerådet.",
    ),
)

#: gatekeepers' questions to the owner of a project in review, and the owner's answers
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Robotisert legemiddelhåndtering på sykehjem",
        "Hvordan sikres det at beboerne får medisinen når roboten er ute av drift?",
        "Sykehjemmet beholder manuell multidose som reserve, og apoteket leverer innen fire "
        "timer ved driftsstans. Rutinen er beskrevet i risikovurderingen.",
    ),
    (
        "Sosiale roboter mot ensomhet hos hjemmeboende eldre",
        "Har dere snakket med brukerpanelet om hvordan roboten oppleves for personer med demens?",
        "Ja, brukerpanelet for hjemmeboende eldre testet en prototype i oktober. Vi tar med "
        "personer med demens først i en senere fase, etter råd fra fagrådet.",
    ),
    (
        "Energieffektiv og behovsstyrt gatebelysning",
        "Hvordan vektes energisparing mot trygghet for fotgjengere i tildelingskriteriene?",
        "Trygghet vektes 40 % og energi 35 %; resten er pris. Innbyggerpanelet har vurdert "
        "lysnivåene i en befaring på Lade.",
    ),
)

#: lessons of the killed and completed projects: worked, did not work, advice, tags
LESSONS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "Utslippsfri hurtigbåt for Trondheimsfjorden": (
        "Markedsdialogen med verft og rederier viste tidlig hva som fantes og hva som ikke fantes.",
        "Vi skrev behovet for nær en bestemt batteriløsning før dialogkonferansen.",
        "Når markedet ikke har løsningen ennå, velg innovasjonspartnerskap med en gang og "
        "beskriv resultatkravene, ikke teknologien.",
        ("anskaffelse", "markedsdialog", "innovasjonspartnerskap"),
    ),
    "Digital byggesaksveileder med kunstig intelligens": (
        "Behovskartleggingen med byggesaksbehandlerne ga et godt bilde av hvor søknadene "
        "stopper opp.",
        "Vi startet med teknologien i stedet for spørsmålet. Det fantes ikke et reelt "
        "forskningsbehov, og det burde vi sett tidligere.",
        "Test idéen mot kriteriene for forskningsbehov før partnersøket. Vurder innovativ "
        "anskaffelse når løsningen finnes i markedet.",
        ("byggesak", "kunstig intelligens", "anskaffelse"),
    ),
    "Droneinspeksjon av kommunale bruer og kaier": (
        "Markedsdialogen viste at flere leverandører har gode droner og bildeanalyse.",
        "Ytelsesnivåene var satt så høyt at ingen kunne dokumentere FoU-evne til å nå dem.",
        "Sett ytelsesnivåene etter markedsdialogen, ikke før, og spør om FoU-behovet er reelt.",
        ("innovasjonspartnerskap", "markedsdialog", "inspeksjon"),
    ),
    "Egen parkeringsapp for hjemmetjenestens biler": (
        "Idéen kom raskt fra ansatte og ble vurdert på to uker.",
        "Vi visste ikke at et kommunalt parkeringssystem allerede var på vei.",
        "Sjekk med Smartby om noe lignende er under arbeid før en idé utvikles videre.",
        ("medarbeiderdrevet innovasjon", "parkering"),
    ),
    "Trygg overgang fra sykehus til hjem for eldre": (
        "Felles sjekkliste med St. Olavs hospital ga færre uklare utskrivninger, og "
        "videokonsultasjonen ble godt mottatt av pårørende.",
        "Videoløsningen var vanskelig for brukere uten nettbrett; Røde Kors måtte hjelpe mer "
        "enn planlagt.",
        "Ta med frivillige og pårørende i planleggingen fra start, og mål nullpunktet før "
        "endringen.",
        ("utskrivning", "velferdsteknologi", "samhandling"),
    ),
    "Sensorstyrt vintervedlikehold av gang- og sykkelveier": (
        "Veisensorene ga strøing før isen la seg, og syklistpanelet merket forskjellen.",
        "Integrasjonen mot værdataene tok tre måneder lenger enn planlagt.",
        "Sett av tid til integrasjoner i kontrakten, og la brukerne vurdere effekten.",
        ("vintervedlikehold", "sensorer", "sykkel"),
    ),
    "Digitalt nattilsyn på sykehjem": (
        "Beboerne sov bedre, og nattevaktene fikk færre unødvendige runder.",
        "Samtykkeprosessen med pårørende tok lengre tid enn forventet.",
        "Start samtykkearbeidet tidlig, og involver tillitsvalgte før piloten.",
        ("sykehjem", "velferdsteknologi", "personvern"),
    ),
    "El-sykkel i stedet for bil i hjemmetjenesten i sentrum": (
        "Ansatte kom raskere fram i Midtbyen og slapp parkeringsbøter.",
        "Syklene ble lite brukt i snøvær uten piggdekk.",
        "Kjøp piggdekk og sikker sykkelparkering samtidig med syklene.",
        ("hjemmetjenesten", "klima", "medarbeiderdrevet innovasjon"),
    ),
    "Midtbyen: bilfrie sommergater i Krambugata": (
        "Gårdeiere, handel og innbyggere deltok, og besøkstallene økte gjennom sommeren.",
        "Varelevering om morgenen skapte konflikter de første ukene.",
        "Avtal leveringstider med næringslivet før gaten stenges.",
        ("byrom", "medvirkning", "sommergater"),
    ),
}


def minimal_pdf(title: str, lines: tuple[str, ...]) -> bytes:
    """A small valid one-page PDF (A4, Helvetica, WinAnsi) showing ``title`` and ``lines``."""

    def text(value: str) -> bytes:
        raw = value.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = b"BT /F1 16 Tf 56 780 Td (" + text(title) + b") Tj /F1 11 Tf"
    for line in lines:
        content += b" 0 -22 Td (" + text(line) + b") Tj"
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content
        + b"\nendstream",
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def load_modules(
    wf: Workflow,
    actors: Mapping[str, Actor],
    ids: Mapping[str, int],
    coordinator: Actor,
    store: FileStore | None,
    moment: Callable[[datetime], AbstractContextManager[None]],
) -> None:
    """Fill the modules beyond the projects' histories for the demo projects in ``ids``;
    ``moment(t)`` writes what its block does at time ``t`` (a follow-up closed before its
    due date, comments spread over the last weeks)."""
    now = wf.clock()
    by_id = {u.id: k for k, u in actors.items()}
    for p in PROJECTS:
        pid = ids.get(p.title)
        if pid is None:
            continue
        view = get_project(wf, pid)
        spec = wf.catalog.of(view.project)
        owner = actors[p.owner]
        status = view.project["status"]
        # written when the project was last worked on, so that a stalled project stays so
        with moment(view.project["last_activity_at"]):
            if spec.project_roles and status in (ACTIVE, COMPLETED):
                _roles(wf, owner, pid, spec, by_id)
            if store is not None and spec.attachment_types and status == ACTIVE:
                _attachments(wf, owner, pid, spec, p.title, store)
        for item in project_follow_ups(wf, pid):
            note = next((c.closed for c in p.conditions if c.text == item["text"]), "")
            if note and item["closed_at"] is None:
                who = actors[by_id[item["responsible_id"]]]
                closed = datetime.combine(item["due_on"] - timedelta(days=14), time(9), now.tzinfo)
                # closed two weeks before it was due, but after the vote that set it
                made = item["created_at"] + timedelta(days=2)
                with moment(min(max(closed, made), now)):
                    close_follow_up(wf, who, pid, item["id"], note=note)
        lesson = LESSONS.get(p.title)
        if lesson and status in (KILLED, COMPLETED):
            worked, did_not_work, advice, tags = lesson
            write_lesson(
                wf, owner, pid, worked=worked, did_not_work=did_not_work, advice=advice,
                tags=list(tags),
            )  # fmt: skip
        if p.published:
            publish_project(wf, coordinator, pid)
    for n, (title, author, body) in enumerate(COMMENTS):
        if title in ids:
            day = (now - timedelta(days=3 * (len(COMMENTS) - n))).date()
            with moment(datetime.combine(day, time(7 + n % 6, 7 * n % 60), now.tzinfo)):
                add_comment(wf, actors[author], ids[title], body=body)
    for title, question, answer in QUESTIONS:
        if title in ids:
            _question(wf, actors, ids[title], question, answer, moment)


def _roles(
    wf: Workflow, owner: Actor, pid: int, spec: Definition, by_id: Mapping[int, str]
) -> None:
    """Each role the definition declares, held by a demo user other than the owner where
    one fits."""
    spare = [k for k in ("siri", "hanne", "per", "mona", "ingrid") if k != by_id[owner.id]]
    held = project_roles_of(wf, pid)
    if len(held) == len(spec.project_roles):
        return
    roles: dict[str, Any] = {k: v["id"] for k, v in held.items()}
    for i, role in enumerate(spec.project_roles):
        if role.key in roles:
            continue
        keys = [k for k in ROLE_HOLDERS.get(role.key, ()) if k != by_id[owner.id]]
        roles[role.key] = _email(keys[0] if keys else spare[i % len(spare)])
    set_project_roles(wf, owner, pid, roles)


def _attachments(
    wf: Workflow, owner: Actor, pid: int, spec: Definition, title: str, store: FileStore
) -> None:
    """A generated PDF for the first attachment types the definition declares."""
    present = {a["type"] for a in list_attachments(wf, pid)}
    for kind in [t for t in spec.attachment_types if t.key not in present][:PDFS_PER_PROJECT]:
        label = kind.label.get("nb")
        pdf = minimal_pdf(
            f"{label}: {title}",
            (
                "Trondheim kommune og NTNU - TRD 3.0",
                "Eksempeldokument i demoen av Samspill.",
                "Innholdet er generert og har ingen faglig verdi.",
            ),
        )
        name = f"{label.lower().replace(' ', '-')}.pdf"
        upload_attachment(
            wf, owner, pid, type=kind.key, stream=io.BytesIO(pdf), filename=name, store=store,
            limit=MAX_BYTES,
        )  # fmt: skip


def _question(
    wf: Workflow,
    actors: Mapping[str, Actor],
    pid: int,
    question: str,
    answer: str,
    moment: Callable[[datetime], AbstractContextManager[None]],
) -> None:
    """A gatekeeper of the pending gate who has not voted asks; the owner answers the next
    morning."""
    view = get_project(wf, pid)
    row = view.project
    if row["status"] != IN_REVIEW or row["pending_gate"] is None:
        return
    gate = wf.catalog.of(row).gate(row["pending_gate"])
    voted = {v["voter_id"] for v in view.votes if "voter_id" in v}
    asker = next(
        (
            a
            for a in actors.values()
            if a.id != row["owner_id"] and a.id not in voted and may_vote(a, gate)
        ),
        None,
    )
    if asker is None:
        return
    question_id = ask_question(wf, asker, pid, text=question)
    owner = next(a for a in actors.values() if a.id == row["owner_id"])
    asked = wf.clock()
    with moment(datetime.combine(asked.date() + timedelta(days=1), time(8, 40), asked.tzinfo)):
        answer_question(wf, owner, pid, question_id, body=answer)
