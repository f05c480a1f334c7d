"""partners: the organisation registry (number, parent, approval, keywords, areas, contacts,
deactivation, proposals, merges, its own trail) and a partner's status with its dates

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("org_number", sa.String(9), nullable=True))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("approved_research", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("keywords", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("thematic_areas", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default="1"))
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", UTC_DATETIME, nullable=True))
        batch_op.create_unique_constraint(op.f("uq_organisations_org_number"), ["org_number"])
        batch_op.create_foreign_key(
            op.f("fk_organisations_parent_id_organisations"), "organisations", ["parent_id"], ["id"]
        )
        batch_op.create_foreign_key(
            op.f("fk_organisations_merged_into_organisations"),
            "organisations",
            ["merged_into"],
            ["id"],
        )
        batch_op.create_index(op.f("ix_organisations_parent_id"), ["parent_id"])
        batch_op.create_index("ix_organisations_active_type", ["active", "type"])
    op.execute("UPDATE organisations SET updated_at = created_at")
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.alter_column(
            "updated_at",
            existing_type=UTC_DATETIME,
            nullable=False,
            server_default=sa.text("CURRENT_TIMESTAMP"),
        )

    op.create_table(
        "organisation_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_contacts_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_contacts")),
    )
    op.create_index(
        op.f("ix_organisation_contacts_organisation_id"),
        "organisation_contacts",
        ["organisation_id"],
    )
    op.create_table(
        "organisation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_events_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_organisation_events_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_events")),
    )
    op.create_index(
        op.f("ix_organisation_events_organisation_id"), "organisation_events", ["organisation_id"]
    )

    # one row per organisation and project: a second row of the same organisation (another
    # role) folds into the first, its role appended
    _fold_duplicate_partners()
    with op.batch_alter_table("project_partners") as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(20), nullable=False, server_default="invited")
        )
        batch_op.add_column(sa.Column("invited_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("letter_of_intent_on", sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f("uq_project_partners_project_org_role"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_project_partners_project_org"), ["project_id", "organisation_id"]
        )
        batch_op.create_check_constraint(
            op.f("ck_project_partners_status_known"),
            "status IN ('invited', 'confirmed', 'letter_of_intent')",
        )
        batch_op.create_index("ix_project_partners_organisation_id", ["organisation_id"])
    # partners recorded before statuses existed had agreed to take part
    day = "date(added_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(added_at AS DATE)"
    op.execute(
        f"UPDATE project_partners SET status = 'confirmed', invited_on = {day}, "
        f"confirmed_on = {day}"
    )


def _fold_duplicate_partners() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, project_id, organisation_id, role FROM project_partners "
            "ORDER BY project_id, organisation_id, id"
        )
    ).all()
    kept: dict[tuple[int, int], tuple[int, list[str]]] = {}
    for row in rows:
        key = (row.project_id, row.organisation_id)
        if key not in kept:
            kept[key] = (row.id, [row.role] if row.role else [])
            continue
        first_id, roles = kept[key]
        if row.role and row.role not in roles:
            roles.append(row.role)
        bind.execute(sa.text("DELETE FROM project_partners WHERE id = :id"), {"id": row.id})
        bind.execute(
            sa.text("UPDATE project_partners SET role = :role WHERE id = :id"),
            {"role": ", ".join(roles)[:100], "id": first_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("project_partners") as batch_op:
        batch_op.drop_index("ix_project_partners_organisation_id")
        batch_op.drop_constraint(op.f("ck_project_partners_status_known"), type_="check")
        batch_op.drop_constraint(op.f("uq_project_partners_project_org"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_project_partners_project_org_role"), ["project_id", "organisation_id", "role"]
        )
        for column in ("letter_of_intent_on", "confirmed_on", "invited_on", "status"):
            batch_op.drop_column(column)
    op.drop_index(op.f("ix_organisation_events_organisation_id"), "organisation_events")
    op.drop_table("organisation_events")
    op.drop_index(op.f("ix_organisation_contacts_organisation_id"), "organisation_contacts")
    op.drop_table("organisation_contacts")
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_index("ix_organisations_active_type")
        batch_op.drop_index(op.f("ix_organisations_parent_id"))
        batch_op.drop_constraint(
            op.f("fk_organisations_merged_into_organisations"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            op.f("fk_organisations_parent_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_constraint(op.f("uq_organisations_org_number"), type_="unique")
        for column in (
            "updated_at",
            "merged_into",
            "confirmed",
            "active",
            "thematic_areas",
            "keywords",
            "approved_research",
            "parent_id",
            "org_number",
        ):
            batch_op.drop_column(column)
