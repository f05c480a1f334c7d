"""open data: a project a coordinator has published to the public portfolio (``/open``),
and the account events (a person's data erased) that have no project chain to go in

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('published', sa.Boolean(), server_default='0', nullable=False)
        )
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_projects_published_id', ['published', 'id'], unique=False)

    op.create_table(
        'account_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(40), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_account_events_user_id_users')
        ),
        sa.ForeignKeyConstraint(
            ['actor_id'], ['users.id'], name=op.f('fk_account_events_actor_id_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_events')),
    )
    op.create_index(op.f('ix_account_events_user_id'), 'account_events', ['user_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_account_events_user_id'), table_name='account_events')
    op.drop_table('account_events')
    # plain ALTER TABLE … DROP COLUMN (SQLite >= 3.35), not a batch copy of the table: a copy
    # would drop the full-text triggers that migration 0008 put on projects
    op.drop_index('ix_projects_published_id', table_name='projects')
    op.execute('ALTER TABLE projects DROP COLUMN published_at')
    op.execute('ALTER TABLE projects DROP COLUMN published')
