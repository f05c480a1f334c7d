"""login security: throttle table, session generation, token expiry

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:40:00

Failed logins move from two columns of ``users`` to ``login_throttle`` (counted per
address, per account and per both); ``users.session_generation`` lets logout end a
session on the server; API tokens get ``expires_at``. Tokens that exist at the upgrade
expire 90 days after it, so nobody's script stops working at once.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import workflow.store.tables

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXISTING_TOKENS_EXPIRE = timedelta(days=90)


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('window_ends', workflow.store.tables.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_window_ends'), ['window_ends'], unique=False)

    # native ALTER TABLE, not batch: rebuilding `users` on SQLite would mean dropping a
    # table other tables' rows point at, which the foreign keys refuse
    op.add_column('users', sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
    op.drop_column('users', 'failed_logins')
    op.drop_column('users', 'locked_until')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', workflow.store.tables.UtcDateTime(timezone=True), nullable=True))
    tokens = sa.table('api_tokens', sa.column('expires_at', workflow.store.tables.UtcDateTime(timezone=True)))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + EXISTING_TOKENS_EXPIRE))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=workflow.store.tables.UtcDateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

    op.add_column('users', sa.Column('locked_until', workflow.store.tables.UtcDateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.drop_column('users', 'session_generation')

    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_window_ends'))

    op.drop_table('login_throttle')
