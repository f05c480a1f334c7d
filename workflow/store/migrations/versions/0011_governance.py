"""governance: gatekeepers' substitutes (a vote records whom it was cast for) and the trail
of governance changes that belong to no project

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-04 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('substitutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('substitute_id', sa.Integer(), nullable=False),
    sa.Column('gatekeeper_group', sa.String(length=64), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('starts_on <= ends_on', name=op.f('ck_substitutes_period_ordered')),
    sa.ForeignKeyConstraint(['substitute_id'], ['users.id'], name=op.f('fk_substitutes_substitute_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_substitutes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_substitutes')),
    sa.UniqueConstraint('user_id', name=op.f('uq_substitutes_user_id'))
    )
    with op.batch_alter_table('substitutes', schema=None) as batch_op:
        batch_op.create_index('ix_substitutes_substitute_id_ends_on', ['substitute_id', 'ends_on'], unique=False)

    op.create_table('governance_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_governance_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governance_events'))
    )
    with op.batch_alter_table('governance_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governance_events_actor_id'), ['actor_id'], unique=False)

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('substitute_for', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_votes_substitute_for_users'), 'users', ['substitute_for'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_votes_substitute_for_users'), type_='foreignkey')
        batch_op.drop_column('substitute_for')

    with op.batch_alter_table('governance_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governance_events_actor_id'))

    op.drop_table('governance_events')
    with op.batch_alter_table('substitutes', schema=None) as batch_op:
        batch_op.drop_index('ix_substitutes_substitute_id_ends_on')

    op.drop_table('substitutes')
