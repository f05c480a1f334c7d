"""The portfolio's filters: a GET form (it changes nothing, so it needs no CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, SearchField, SelectField
from wtforms.validators import Optional

from webapp.helpers import options
from webapp.i18n import localized, vocabulary
from webapp.validators import Length
from workflow import Definition, ProjectFilter

ALL = ("", _l("All"))


class FilterForm(Form):
    """Definition, stage, status, thematic area, stalled and free text."""

    definition = SelectField(_l("Collaboration form"), validators=[Optional()])
    stage = SelectField(_l("Stage"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=options([ALL, *vocabulary("status")]), validators=[Optional()]
    )
    thematic_area = SelectField(
        _l("Thematic area"),
        choices=options([ALL, *vocabulary("thematic_area")]),
        validators=[Optional()],
    )
    stalled = SelectField(
        _l("Stalled"),
        choices=options([ALL, ("yes", _l("Only stalled")), ("no", _l("Not stalled"))]),
        validators=[Optional()],
    )
    q = SearchField(_l("Search title and summary"), validators=[Optional(), Length(max=200)])

    def offer(self, definitions: list[Definition]) -> FilterForm:
        """Offer the definitions, and the stages of the chosen one (or of all)."""
        self.definition.choices = options(
            [ALL, *((d.key, localized(d.title)) for d in definitions)]
        )
        chosen = [d for d in definitions if d.key == self.definition.data] or definitions
        stages: dict[str, Any] = {}
        for d in chosen:
            for s in d.stages:
                stages.setdefault(s.key, localized(s.title))
        self.stage.choices = options([ALL, *stages.items()])
        return self

    def filters(self) -> ProjectFilter:
        """The engine's filter for the valid choices (invalid ones are left out; the page
        names them, see :meth:`invalid`)."""
        self.validate()
        data: dict[str, Any] = {k: v for k, v in self.data.items() if not self[k].errors}
        stalled = {"yes": True, "no": False}.get(data.get("stalled") or "")
        return ProjectFilter(
            definition=data.get("definition") or None,
            stage=data.get("stage") or None,
            status=data.get("status") or None,
            thematic_area=data.get("thematic_area") or None,
            stalled=stalled,
            q=data.get("q") or None,
        )

    def invalid(self) -> list[str]:
        """The labels of the filters whose value is not one on offer (after :meth:`filters`)."""
        return [str(self[name].label.text) for name in self.errors]
