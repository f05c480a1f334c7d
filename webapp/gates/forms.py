"""The decision form of a gate review, with one 1–5 score per scorecard criterion."""

from __future__ import annotations

from typing import Any, cast

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

import workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import options
from webapp.i18n import localized, vocabulary
from webapp.validators import Length
from workflow import Gate, NotFound, Workflow

SCORES = [(str(n), str(n)) for n in range(1, 6)]  # made into options per form
#: empty condition rows a go may fill in
CONDITION_ROWS = 3


class DecisionForm(FlaskForm):
    """Go, kill, hold or recycle, with a comment (required for kill and recycle)."""

    decision = RadioField(
        _l("Decision"),
        choices=options(vocabulary("decision")),
        validators=[DataRequired(_l("Choose a decision."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Required for kill and recycle: tell the owner why and what to improve."),
        render_kw={"rows": 5},
    )
    confirm_kill = BooleanField(
        _l("I understand that kill is final: the project stops for good and cannot be resumed."),
    )
    version = HiddenField(validators=[project_version])

    criteria: tuple[str, ...] = ()

    def validate_confirm_kill(self, field: BooleanField) -> None:
        """A kill needs the final-step box ticked (a confirmation that works without JS)."""
        if self.decision.data == "kill" and not field.data:
            raise ValidationError(_l("Tick the box to confirm that kill is final."))

    def values(self) -> dict[str, Any]:
        """What :func:`workflow.decide_gate` takes from this form."""
        return {
            "decision": self.decision.data,
            "scores": self.scores(),
            "comment": self.comment.data or "",
            "expected_version": self.expected_version(),
        }

    def scores(self) -> dict[str, int]:
        """The scores given, by criterion key (unscored criteria left out)."""
        out = {}
        for key in self.criteria:
            value = self[f"scores_{key}"].data
            if value:
                out[key] = int(value)
        return out

    def condition_rows(self) -> list[tuple[Any, Any, Any]]:
        """The condition rows' fields: (text, responsible's e-mail, due date)."""
        return [
            (
                self[f"conditions_{i}_text"],
                self[f"conditions_{i}_responsible_id"],
                self[f"conditions_{i}_due_on"],
            )
            for i in range(CONDITION_ROWS)
        ]

    def conditions(self, wf: Workflow) -> list[dict[str, Any]] | None:
        """The filled-in condition rows as the engine takes them (the responsible user found
        by e-mail); None, with the errors on their fields, when an address is unknown."""
        rows: list[dict[str, Any]] = []
        ok = True
        for text, email, due in self.condition_rows():
            if not (text.data or email.data or due.data):
                continue
            who: int | None = None
            if email.data:
                try:
                    who = workflow.get_actor(wf, email=email.data.strip()).id
                except NotFound:
                    email.errors = [*email.errors, _l("No active user has this e-mail address.")]
                    ok = False
            rows.append({"text": text.data or "", "responsible_id": who, "due_on": due.data})
        return rows if ok else None

    def expected_version(self) -> int | None:
        """The project version the gatekeeper looked at."""
        return parse_id(str(self.version.data or ""))


def decision_form(gate: Gate, version: int) -> DecisionForm:
    """A :class:`DecisionForm` with a score field per criterion of ``gate``'s scorecard."""
    attrs: dict[str, Any] = {"criteria": tuple(c.key for c in gate.scorecard)}
    for c in gate.scorecard:
        weight = f"{c.weight:g}"
        attrs[f"scores_{c.key}"] = RadioField(
            localized(c.label),
            choices=options(SCORES),
            validators=[Optional()],
            description=localized(c.help) if c.help else "",
            render_kw={"data-weight": weight},
        )
    # a conditional go: a few empty condition rows, no JavaScript needed
    for i in range(CONDITION_ROWS):
        attrs[f"conditions_{i}_text"] = StringField(
            _l("Condition"), validators=[Optional(), Length(max=5000)]
        )
        attrs[f"conditions_{i}_responsible_id"] = EmailField(
            _l("Responsible (e-mail)"), validators=[Optional(), Length(max=254)]
        )
        attrs[f"conditions_{i}_due_on"] = DateField(_l("Due date"), validators=[Optional()])
    form_class = cast("type[DecisionForm]", type("GateDecisionForm", (DecisionForm,), attrs))
    form = form_class(data={"version": version})
    return form


class ResumeForm(FlaskForm):
    """Resume an on-hold project: the gatekeeper says why now (kept in the audit trail)."""

    reason = TextAreaField(
        _l("Why resume now?"),
        validators=[DataRequired(_l("Give a reason for resuming.")), Length(max=5000)],
        description=_l("The owner and the other gatekeepers see this in the timeline."),
        render_kw={"rows": 4},
    )
