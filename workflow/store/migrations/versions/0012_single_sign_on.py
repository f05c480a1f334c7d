"""single sign-on: users.oidc_issuer and users.oidc_subject

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 11:30:00

A user who logs in through an OpenID provider is found by the provider's issuer and subject
id (unique together). Existing users have neither and keep logging in with their password.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # native ALTER TABLE, not batch: rebuilding `users` on SQLite would mean dropping a
    # table other tables' rows point at, which the foreign keys refuse
    op.add_column('users', sa.Column('oidc_issuer', sa.String(length=255), nullable=True))
    op.add_column('users', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.create_index('ix_users_oidc', 'users', ['oidc_issuer', 'oidc_subject'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_users_oidc', table_name='users')
    op.drop_column('users', 'oidc_subject')
    op.drop_column('users', 'oidc_issuer')
