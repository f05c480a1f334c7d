"""The project room: its discussion, requests for information and the follow-ups of a
conditional go (SPEC §2c, §4b).

Every use case is a change through the write pipeline (lock, audit event, mail, one
transaction). The decisions this module makes:

- **Who reads and posts**: every signed-in user may see every project today (the project
  page and ``GET /projects/{id}`` have no narrower rule), so every signed-in user may read
  and post in its thread — owners, gatekeepers, coordinators and admins alike.
- **Comments and the version**: a comment is audited (``commented``) but neither needs nor
  changes the project's version, and it stays open while the project is in review
  (SPEC §4b); it is refused only on a killed project.
- **Comments and the stall clock**: a comment counts as activity only when the owner writes
  it while the project is active: the owner working on it. A gatekeeper's or coordinator's
  remark is not the owner's work, and the review's clock is the gatekeepers' to answer.
- **A request for information** pauses the review: its stall clock (``stale_at``) is cleared
  while any question of the pending review is open, like a funder's pending decision pauses
  an active project; the owner's last answer starts the review's clock again from then.
  Votes stay possible meanwhile — the board may decide without waiting.
- **Follow-ups**: each go vote's conditions are stored with the vote's review; they become
  follow-up items when that review ends in a go (the union of the go votes' conditions);
  those of a review decided otherwise never count. The responsible user or a coordinator
  closes one with a note, on any project that is not killed (a condition of the final gate
  outlives the project's completion).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update

from workflow.domain.lifecycle import ACTIVE, IN_REVIEW, KILLED
from workflow.domain.values import as_day
from workflow.domain.voting import may_vote
from workflow.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    TransitionNotAllowed,
)
from workflow.jobs.mail.texts import render
from workflow.runtime import Actor, Workflow
from workflow.store import pipeline
from workflow.store.pipeline import Mail, ProjectChange
from workflow.store.tables import comments, follow_ups, mentions, questions, users

MAX_BODY = 10_000
MAX_NOTE = 5_000
MAX_CONDITIONS = 10
#: at most this many people are told of one comment (the rest are still linked in the text)
MAX_MENTIONS = 20
#: ``@`` followed by an address: not preceded by a word character (``a@b.no`` in a sentence
#: is an address, not a mention)
_MENTION = re.compile(r"(?<![\w.+-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mentioned_emails(body: str) -> list[str]:
    """The distinct ``@email`` mentions of a comment, lower-cased, in order of appearance."""
    seen: dict[str, None] = {}
    for match in _MENTION.finditer(body):
        seen.setdefault(match.group(1).rstrip(".").lower(), None)
    return list(seen)[:MAX_MENTIONS]


def _one_line(text: str) -> str:
    """A subject or name on one line: CR, LF and other breaks never reach a mail header."""
    return " ".join(text.split())


def _text_errors(name: str, value: Any, limit: int) -> dict[str, Problem]:
    if not isinstance(value, str) or len(value) > limit:
        return {name: Problem("text_too_long", {"max": limit})}
    if not value.strip():
        return {name: Problem("required")}
    return {}


def _insert_comment(
    wf: Workflow, ch: ProjectChange, actor: Actor, body: str
) -> tuple[int, list[int]]:
    """Write a comment and its mentions; queue the mentioned users' mail. Returns the
    comment's id and the ids of the users it mentions."""
    row = ch.row
    comment_id = int(
        ch.conn.execute(
            insert(comments)
            .values(project_id=row["id"], author_id=actor.id, body=body, created_at=ch.now)
            .returning(comments.c.id)
        ).scalar_one()
    )
    emails = mentioned_emails(body)
    named: list[int] = []
    if emails:
        found = ch.conn.execute(
            select(users.c.id, users.c.email, users.c.language).where(
                func.lower(users.c.email).in_(emails),
                users.c.is_active.is_(True),
                users.c.id != actor.id,
            )
        ).all()
        if found:
            ch.conn.execute(
                insert(mentions), [{"comment_id": comment_id, "user_id": u.id} for u in found]
            )
            for user in found:
                subject, text = render(
                    "mentioned",
                    user.language,
                    url=wf.project_url(row["id"]),
                    author=_one_line(actor.name),
                    title=_one_line(row["title"]),
                    body=body,
                )
                ch.mail(
                    Mail(user.id, user.email, user.language, _one_line(subject), text, row["id"])
                )
            named = [u.id for u in found]
    return comment_id, named


def add_comment(wf: Workflow, actor: Actor, project_id: int, *, body: str) -> int:
    """Post ``body`` (Markdown) in the project's discussion; ``@email`` mentions of active
    users are told by mail. Returns the comment's id. The version stays as it is.

    Raises:
        InvalidInput: an empty or too long body.
        TransitionNotAllowed: the project is killed.
        NotFound: there is no such project.
    """
    errors = _text_errors("body", body, MAX_BODY)
    if errors:
        raise InvalidInput(errors)
    with pipeline.change(wf, actor, project_id) as ch:
        _refuse_killed(ch, "discussion")
        comment_id, named = _insert_comment(wf, ch, actor, body.strip())
        ch.bumps_version = False
        ch.record(
            "commented",
            {"comment_id": comment_id, "mentions": named},
            activity=_owner_works(ch, actor) and not _paused(ch),
        )
    return comment_id


def _refuse_killed(ch: ProjectChange, part: str) -> None:
    if ch.row["status"] == KILLED:
        raise TransitionNotAllowed("part_frozen", part=part, status=KILLED, project=ch.row["id"])


def _owner_works(ch: ProjectChange, actor: Actor) -> bool:
    return bool(ch.row["owner_id"] == actor.id and ch.row["status"] == ACTIVE)


def _open_questions(ch: ProjectChange) -> int:
    review = ch.row["pending_review_id"]
    if review is None:
        return 0
    return int(
        ch.conn.execute(
            select(func.count())
            .select_from(questions)
            .where(questions.c.review_id == review, questions.c.answered_at.is_(None))
        ).scalar_one()
    )


def _paused(ch: ProjectChange) -> bool:
    return ch.row["status"] == IN_REVIEW and _open_questions(ch) > 0


def ask_question(wf: Workflow, actor: Actor, project_id: int, *, text: str) -> int:
    """A gatekeeper of the pending gate asks the owner for information: the review and its
    stall clock pause (the project stays in review) until every question is answered.
    Returns the question's id.

    Raises:
        InvalidInput: an empty or too long text.
        TransitionNotAllowed: the project is not in review.
        PermissionDenied: the actor is the owner or no gatekeeper of the pending gate.
    """
    errors = _text_errors("text", text, MAX_BODY)
    if errors:
        raise InvalidInput(errors)
    with pipeline.change(wf, actor, project_id) as ch:
        row = ch.row
        if row["status"] != IN_REVIEW or row["pending_gate"] is None:
            raise TransitionNotAllowed("not_in_review_for_question", project=project_id)
        gate = ch.spec.gate(row["pending_gate"])
        if row["owner_id"] == actor.id or not may_vote(actor, gate):
            raise PermissionDenied("not_gatekeeper_of_pending_gate", gate=gate.key)
        question_id = int(
            ch.conn.execute(
                insert(questions)
                .values(
                    project_id=project_id,
                    gate=gate.key,
                    review_id=row["pending_review_id"],
                    asked_by=actor.id,
                    text=text.strip(),
                    asked_at=ch.now,
                )
                .returning(questions.c.id)
            ).scalar_one()
        )
        ch.bumps_version = False
        ch.set(stale_at=None)  # the review's clock pauses
        ch.record("question_asked", {"question_id": question_id, "gate": gate.key}, activity=False)
        language = row["owner_language"]
        subject, body = render(
            "question_asked",
            language,
            url=wf.project_url(project_id),
            asker=_one_line(actor.name),
            gate=_one_line(gate.title.get(language)),
            title=_one_line(row["title"]),
            text=text.strip(),
        )
        ch.mail(
            Mail(row["owner_id"], row["owner_email"], language, _one_line(subject), body, row["id"])
        )
    return question_id


def answer_question(
    wf: Workflow, actor: Actor, project_id: int, question_id: int, *, body: str
) -> int:
    """The owner answers a question in the discussion (the answer is a comment there);
    when no question of the review is left open, the review's clock runs again.
    Returns the answer's comment id.

    Raises:
        InvalidInput: an empty or too long answer; the question is answered already.
        PermissionDenied: the actor is not the owner.
        NotFound: no such question on the project.
    """
    errors = _text_errors("body", body, MAX_BODY)
    if errors:
        raise InvalidInput(errors)
    with pipeline.change(wf, actor, project_id) as ch:
        row = ch.row
        if row["owner_id"] != actor.id:
            raise PermissionDenied("owner_answers", project=project_id)
        question = (
            ch.conn.execute(
                select(questions, users.c.email, users.c.language)
                .join(users, users.c.id == questions.c.asked_by)
                .where(questions.c.id == question_id, questions.c.project_id == project_id)
            )
            .mappings()
            .first()
        )
        if question is None:
            raise NotFound("no_question", project=project_id, question=question_id)
        if question["answered_at"] is not None:
            raise InvalidInput(
                {"question": Problem("question_answered", {"question": question_id})}
            )
        text = body.strip()
        comment_id, named = _insert_comment(wf, ch, actor, text)
        ch.conn.execute(
            update(questions)
            .where(questions.c.id == question_id)
            .values(answer=text, answer_comment_id=comment_id, answered_at=ch.now)
        )
        ch.bumps_version = False
        still_open = _paused(ch)
        resumes = row["status"] == IN_REVIEW and not still_open
        if still_open:
            ch.set(stale_at=None)
        ch.record(
            "question_answered",
            {"question_id": question_id, "comment_id": comment_id, "mentions": named},
            activity=resumes or (not still_open and _owner_works(ch, actor)),
        )
        language = question["language"]
        subject, mail_body = render(
            "question_answered",
            language,
            url=wf.project_url(project_id),
            owner=_one_line(actor.name),
            title=_one_line(row["title"]),
            text=text,
        )
        ch.mail(
            Mail(
                question["asked_by"],
                question["email"],
                language,
                _one_line(subject),
                mail_body,
                project_id,
            )
        )
    return comment_id


def clean_conditions(conditions: Any, decision: str) -> list[dict[str, Any]]:
    """The conditions of a vote, checked in shape (each ``text``, ``responsible_id``,
    ``due_on``); empty rows (no text, no responsible user, no date) are left out.

    Raises:
        InvalidInput: conditions with anything but a go, or a bad condition.
    """
    if not isinstance(conditions, Sequence) or isinstance(conditions, str | bytes):
        raise InvalidInput({"conditions": Problem("not_condition")})
    rows: list[dict[str, Any]] = []
    errors: dict[str, Problem] = {}
    for i, item in enumerate(conditions):
        if not isinstance(item, Mapping):
            raise InvalidInput({"conditions": Problem("not_condition")})
        text, who, due = item.get("text"), item.get("responsible_id"), item.get("due_on")
        if all(v in (None, "") for v in (text, who, due)):
            continue
        where = f"conditions.{i}"
        errors.update(_text_errors(f"{where}.text", text, MAX_NOTE))
        if isinstance(who, str) and who.isdigit():
            who = int(who)
        if not isinstance(who, int) or isinstance(who, bool):
            errors[f"{where}.responsible_id"] = Problem("required")
        day = as_day(due)
        if day is None:
            errors[f"{where}.due_on"] = Problem("required" if due in (None, "") else "not_date")
        rows.append(
            {
                "text": (text or "").strip() if isinstance(text, str) else "",
                "responsible_id": who,
                "due_on": day,
            }
        )
    if len(rows) > MAX_CONDITIONS:
        errors["conditions"] = Problem("too_many_conditions", {"max": MAX_CONDITIONS})
    if rows and decision != "go":
        errors["conditions"] = Problem("conditions_only_with_go")
    if errors:
        raise InvalidInput(errors)
    return rows


def store_conditions(
    ch: ProjectChange, gate: str, review_id: int, voter_id: int, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Store a go vote's conditions with its review (they count once the review passes).

    Raises:
        InvalidInput: a responsible user who does not exist or is deactivated.
    """
    wanted = {int(r["responsible_id"]) for r in rows}
    known: set[int] = set(
        ch.conn.execute(
            select(users.c.id).where(users.c.id.in_(wanted), users.c.is_active.is_(True))
        ).scalars()
    )
    errors = {
        f"conditions.{i}.responsible_id": Problem("no_user", {"user": r["responsible_id"]})
        for i, r in enumerate(rows)
        if r["responsible_id"] not in known
    }
    if errors:
        raise InvalidInput(errors)
    ch.conn.execute(
        insert(follow_ups),
        [
            {
                "project_id": ch.row["id"],
                "gate": gate,
                "review_id": review_id,
                "voter_id": voter_id,
                "text": r["text"],
                "responsible_id": r["responsible_id"],
                "due_on": r["due_on"],
                "created_at": ch.now,
                "note": "",
            }
            for r in rows
        ],
    )


def close_follow_up(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    follow_up_id: int,
    *,
    note: str,
    expected_version: int | None = None,
) -> int:
    """The responsible user or a coordinator closes a follow-up with a note. Returns the
    project's new version.

    Raises:
        InvalidInput: an empty or too long note; the follow-up is closed already.
        PermissionDenied: the actor is neither responsible nor a coordinator.
        NotFound: no such follow-up (of a passed gate) on the project.
        TransitionNotAllowed: the project is killed.
        StaleVersion.
    """
    errors = _text_errors("note", note, MAX_NOTE)
    if errors:
        raise InvalidInput(errors)
    from workflow.queries.discussion import passed_follow_ups

    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        _refuse_killed(ch, "follow_ups")
        item = (
            ch.conn.execute(passed_follow_ups(project_id).where(follow_ups.c.id == follow_up_id))
            .mappings()
            .first()
        )
        if item is None:
            raise NotFound("no_follow_up", project=project_id, follow_up=follow_up_id)
        if item["responsible_id"] != actor.id and not actor.is_coordinator:
            raise PermissionDenied("not_follow_up_closer", project=project_id)
        if item["closed_at"] is not None:
            raise InvalidInput(
                {"follow_up": Problem("follow_up_closed", {"follow_up": follow_up_id})}
            )
        ch.conn.execute(
            update(follow_ups)
            .where(follow_ups.c.id == follow_up_id)
            .values(closed_at=ch.now, closed_by=actor.id, note=note.strip())
        )
        ch.record("follow_up_closed", {"follow_up_id": follow_up_id, "note": note.strip()})
    return ch.version
