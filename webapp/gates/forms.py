"""The decision form of a gate review, with one 1–5 score per scorecard criterion."""

from __future__ import annotations

from typing import Any, cast

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.guards import parse_id, project_version
from webapp.helpers import options
from webapp.i18n import localized, vocabulary
from workflow import Gate

SCORES = [(str(n), str(n)) for n in range(1, 6)]  # made into options per form


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
