"""governance: gatekeepers' substitutes (a vote records whom it was cast for), the trail
of governance changes that belong to no project, and the thematic areas as data (Smartby
ended when it became Unikom)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 11:00:00
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


AREAS = [
    ('oppvekst_utdanning', 'Oppvekst og utdanning', 'Education and upbringing', None, None),
    ('helse_velferd', 'Helse og velferd', 'Health and welfare', None, None),
    ('byutvikling', 'Byutvikling', 'Urban development', None, None),
    ('innovasjon', 'Innovasjon', 'Innovation', None, None),
    ('smartby', 'Smartby', 'Smart city', None, date(2023, 12, 31)),
    ('unikom', 'Unikom', 'Unikom', date(2024, 1, 1), None),
]


def upgrade() -> None:
    areas = op.create_table('thematic_areas',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label_nb', sa.String(length=100), nullable=False),
    sa.Column('label_en', sa.String(length=100), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_thematic_areas'))
    )
    op.bulk_insert(areas, [
        {'key': k, 'label_nb': nb, 'label_en': en, 'valid_from': start, 'valid_to': end}
        for k, nb, en, start, end in AREAS
    ])

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
    op.drop_table('thematic_areas')
