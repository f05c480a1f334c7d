"""The requirement kinds a gate's ``requires:`` may use, in the order they are evaluated.

Adding a kind: write its module beside the others (YAML shape, load-time checks, evaluation,
the English of its codes — see :class:`~workflow.requirements.base.RequirementKind`) and list
its ``KIND`` here; the definition schema, the loader's rules and the evaluation iterate this
table. The web layer words the new codes in ``webapp/i18n.py``.
"""

from __future__ import annotations

from workflow.errors import register_messages
from workflow.requirements import (
    application,
    benefits,
    call_rules,
    checklist,
    compare,
    distinct_fields,
    fields,
    follow_ups,
    lesson,
    measurements,
    partner_groups,
    partners,
    reports,
)
from workflow.requirements import attachments as room_attachments
from workflow.requirements import roles as room_roles
from workflow.requirements.base import RequirementKind

KINDS: tuple[RequirementKind, ...] = (
    fields.KIND,
    checklist.KIND,
    partners.KIND,
    compare.KIND,
    # applications
    application.KIND,
    call_rules.KIND,
    reports.KIND,
    # the project room (conditional go)
    follow_ups.KIND,
    # lessons learned (issue 13)
    lesson.KIND,
    # benefit realisation (issue 13)
    benefits.KIND,
    measurements.KIND,
    # project room (issue #14)
    room_roles.KIND,
    room_attachments.KIND,
    # definitions v2 (issue 16): partners of any of some types, and different values
    partner_groups.KIND,
    distinct_fields.KIND,
)

#: the codes every kind's criteria carry (each also in :data:`workflow.errors.MESSAGES`)
CODES: frozenset[str] = frozenset(code for kind in KINDS for code in kind.messages)

for _kind in KINDS:
    register_messages(_kind.messages)
