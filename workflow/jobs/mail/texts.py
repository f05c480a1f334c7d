"""Mail texts in bokmål and English, chosen by the recipient's language.

The engine queues mail in the outbox as finished text, so it words messages itself; the
web layer's translation catalogues are not available to the scheduler process.
"""

from __future__ import annotations

from typing import Any

#: kind → language → (subject, body); bodies end with the project link
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "submitted": {
        "nb": (
            "Til vurdering: {title}",
            "{owner} har sendt prosjektet «{title}» til beslutningspunktet «{gate}».\n"
            "Prosjektet venter på din beslutning.",
        ),
        "en": (
            "For review: {title}",
            "{owner} has submitted the project '{title}' to the gate '{gate}'.\n"
            "The project awaits your decision.",
        ),
    },
    "decided": {
        "nb": (
            "{title}: {by_nb}",
            "Beslutningspunktet «{gate}» er avgjort: {by_nb}.\n{why_nb}",
        ),
        "en": (
            "{title}: {by_en}",
            "The gate '{gate}' is decided: {by_en}.\n{why_en}",
        ),
    },
    "stalled": {
        "nb": (
            "Prosjektet står stille: {title}",
            "Det har ikke vært aktivitet i «{title}» på {days} dager (fasen «{stage}» "
            "forventer aktivitet innen {sla} dager). Oppdater prosjektet eller be om hjelp.",
        ),
        "en": (
            "Project is stalled: {title}",
            "There has been no activity in '{title}' for {days} days (the stage '{stage}' "
            "expects activity within {sla} days). Update the project or ask for help.",
        ),
    },
    "review_overdue": {
        "nb": (
            "Venter på beslutning for lenge: {title}",
            "«{title}» har ventet {days} dager på en beslutning ved beslutningspunktet «{gate}». "
            "Det er lovet svar innen {sla} dager. Gi prosjekteieren en tilbakemelding nå.",
        ),
        "en": (
            "Decision overdue: {title}",
            "'{title}' has waited {days} days for a decision at the gate '{gate}'. "
            "An answer is promised within {sla} days. Please give the owner feedback now.",
        ),
    },
    "review_escalated": {
        "nb": (
            "Fortsatt ingen beslutning: {title}",
            "«{title}» har nå ventet {days} dager på en beslutning ved beslutningspunktet "
            "«{gate}», over det dobbelte av de {sla} dagene som er lovet. Avgjør saken, eller "
            "be prosjekteieren om det som mangler.",
        ),
        "en": (
            "Still no decision: {title}",
            "'{title}' has now waited {days} days for a decision at the gate '{gate}', over twice "
            "the {sla} days promised. Please decide, or ask the owner for what is missing.",
        ),
    },
    "escalation_digest": {
        "nb": (
            "{count} prosjekt(er) har stått stille i over dobbelt så lang tid som fristen",
            "Disse prosjektene har ikke hatt aktivitet på over det dobbelte av fasens frist. "
            "Følg opp med prosjekteierne:\n{items}",
        ),
        "en": (
            "{count} project(s) have been idle for over twice their stage's limit",
            "These projects have had no activity for over twice their stage's limit. "
            "Please follow up with their owners:\n{items}",
        ),
    },
    "review_digest": {
        "nb": (
            "{count} prosjekt(er) venter på din beslutning",
            "Disse prosjektene har ventet på din stemme i mer enn {days} dager:\n{items}",
        ),
        "en": (
            "{count} project(s) await your decision",
            "These projects have waited for your vote for more than {days} days:\n{items}",
        ),
    },
    "deadline": {
        "nb": (
            "Frist om {days} dag(er): {label} – {title}",
            "Fristen «{label}» for «{title}» er {due}, om {days} dag(er).",
        ),
        "en": (
            "Deadline in {days} day(s): {label} – {title}",
            "The deadline '{label}' for '{title}' is {due}, in {days} day(s).",
        ),
    },
    "call_deadline": {
        "nb": (
            "Søknadsfrist om {days} dag(er): {call} – {title}",
            "Søknaden fra «{title}» til utlysningen «{call}» er et utkast. Fristen er "
            "{deadline}, om {days} dag(er): send den inn i tide.",
        ),
        "en": (
            "Application deadline in {days} day(s): {call} – {title}",
            "The application from '{title}' to the call '{call}' is a draft. The deadline is "
            "{deadline}, in {days} day(s): submit it in time.",
        ),
    },
    # reports
    "report_due": {
        "nb": (
            "{report} om {days} dag(er): {title}",
            "{report} for «{title}» skal leveres senest {due}, om {days} dag(er).",
        ),
        "en": (
            "{report} due in {days} day(s): {title}",
            "The {report_lower} for '{title}' is due on {due}, in {days} day(s).",
        ),
    },
    "report_overdue": {
        "nb": (
            "{report} er forfalt: {title}",
            "{report} for «{title}» skulle vært levert {due}, og er ikke levert ennå. "
            "Lever den så snart som mulig.",
        ),
        "en": (
            "{report} overdue: {title}",
            "The {report_lower} for '{title}' was due on {due} and has not been delivered yet. "
            "Please deliver it as soon as you can.",
        ),
    },
    # project roles (migration 0009)
    "role_assigned": {
        "nb": (
            "Du er {role_lower} i «{title}»",
            "{by} har satt deg som {role_lower} i prosjektet «{title}». Oppgavene som hører "
            "til rollen, finner du under «Mine oppgaver».",
        ),
        "en": (
            "You are {role_lower} of '{title}'",
            "{by} has made you {role_lower} of the project '{title}'. The tasks that come with "
            "the role are listed under 'My tasks'.",
        ),
    },
    # discussion, requests for information, conditional go (migration 0010)
    "mentioned": {
        "nb": (
            "{author} nevnte deg: {title}",
            "{author} nevnte deg i diskusjonen om «{title}»:\n\n{body}",
        ),
        "en": (
            "{author} mentioned you: {title}",
            "{author} mentioned you in the discussion of '{title}':\n\n{body}",
        ),
    },
    "question_asked": {
        "nb": (
            "Spørsmål fra beslutningspunktet «{gate}»: {title}",
            "{asker} ber om mer informasjon før beslutningspunktet «{gate}» avgjøres:\n\n{text}\n\n"
            "Vurderingen står på pause til du har svart i diskusjonen på prosjektsiden.",
        ),
        "en": (
            "Question from the gate '{gate}': {title}",
            "{asker} asks for more information before the gate '{gate}' is decided:\n\n"
            "{text}\n\nThe review is paused until you answer in the project's discussion.",
        ),
    },
    "question_answered": {
        "nb": (
            "Svar på spørsmålet ditt: {title}",
            "{owner} har svart på spørsmålet ditt om «{title}»:\n\n{text}",
        ),
        "en": (
            "Your question was answered: {title}",
            "{owner} has answered your question about '{title}':\n\n{text}",
        ),
    },
    "follow_up_due": {
        "nb": (
            "Vilkår forfaller om {days} dag(er): {title}",
            "Vilkåret for «{title}» skal være oppfylt senest {due}:\n\n{text}",
        ),
        "en": (
            "Condition due in {days} day(s): {title}",
            "The condition on '{title}' is due on {due}:\n\n{text}",
        ),
    },
    # --- lessons learned (issue 13) ---
    "lesson_asked": {
        "nb": (
            "Hva lærte dere? {title}",
            "Prosjektet «{title}» er avsluttet. Skriv ned hva som fungerte, hva som ikke "
            "fungerte og rådene dere vil gi neste prosjekt – det blir søkbart for andre.",
        ),
        "en": (
            "What did you learn? {title}",
            "The project '{title}' has ended. Write down what worked, what did not and the "
            "advice you would give the next project – others can then find it.",
        ),
    },
    # benefit realisation (issue 13): to the benefit owner before the target date
    "benefit_due": {
        "nb": (
            "Gevinstmåling om {days} dag(er): {title}",
            "Gevinsten «{benefit}» i «{title}» skal måles mot målet innen {due}, om {days} "
            "dag(er). Du er gevinsteier: registrer målingen på prosjektsiden.",
        ),
        "en": (
            "Benefit measurement in {days} day(s): {title}",
            "The benefit '{benefit}' of '{title}' is to be measured against its target by "
            "{due}, in {days} day(s). You are its benefit owner: record the measurement on "
            "the project page.",
        ),
    },
}

#: a report's kind in a mail, by language
REPORT_WORDS = {
    "nb": {"progress": "Framdriftsrapporten", "final": "Sluttrapporten"},
    "en": {"progress": "Progress report", "final": "Final report"},
}

DECISION_WORDS = {
    "nb": {
        "go": "godkjent (gå videre)",
        "kill": "stoppet",
        "hold": "satt på vent",
        "recycle": "sendt tilbake for bearbeiding",
    },
    "en": {
        "go": "approved (go)",
        "kill": "killed",
        "hold": "put on hold",
        "recycle": "sent back for rework",
    },
}

#: who decided a gate and why, for the "decided" mail: one person (a kill, hold or
#: recycle, or the go that completed the quorum) by name and group
DECIDED_VERBS = {
    "nb": {
        "go": "ga den siste godkjenningen, og prosjektet går videre",
        "kill": "stoppet prosjektet",
        "hold": "satte prosjektet på vent",
        "recycle": "sendte prosjektet tilbake for bearbeiding",
    },
    "en": {
        "go": "gave the last approval, and the project goes on",
        "kill": "killed the project",
        "hold": "put the project on hold",
        "recycle": "sent the project back for rework",
    },
}
WHY = {"nb": "Begrunnelse: {comment}", "en": "Why: {comment}"}

LINK_LINE = {"nb": "Åpne prosjektet: {url}", "en": "Open the project: {url}"}


def render(kind: str, language: str, *, url: str | None = None, **params: Any) -> tuple[str, str]:
    """Return (subject, body) of message ``kind`` in ``language`` with ``params`` filled in."""
    language = language if language in ("nb", "en") else "nb"
    subject, body = TEMPLATES[kind][language]
    if kind == "decided":
        decision = params["decision"]
        by = params.get("by") or ("Portvokterne" if language == "nb" else "The gatekeepers")
        verb = DECIDED_VERBS[language].get(decision, "")
        comment = (params.get("comment") or "").strip()
        params[f"by_{language}"] = f"{by} {verb}".strip()
        params[f"why_{language}"] = WHY[language].format(comment=comment) if comment else ""
    if "decision" in params:
        params["decision"] = DECISION_WORDS[language].get(params["decision"], params["decision"])
    text = body.format(**params).rstrip()
    if url:
        text += "\n\n" + LINK_LINE[language].format(url=url)
    return subject.format(**params), text + "\n"
