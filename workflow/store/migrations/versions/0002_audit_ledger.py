"""audit ledger: a keyed count of the audit chains, so a deleted project is seen

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:40:00

Events written before the trail was keyed keep their plain SHA-256 hashes until
``samspill audit rekey`` re-signs them (README: "The audit key").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_ledger',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('chains', sa.Integer(), nullable=False),
    sa.Column('id_sum', sa.BigInteger(), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_ledger'))
    )


def downgrade() -> None:
    op.drop_table('audit_ledger')
