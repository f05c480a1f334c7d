"""outbox: an index for the admin's list, newest first by when queued

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 12:30:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_outbox_messages_created_at_id', 'outbox_messages', ['created_at', 'id'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_outbox_messages_created_at_id', table_name='outbox_messages')
