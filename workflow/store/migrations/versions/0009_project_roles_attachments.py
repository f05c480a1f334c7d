"""project room: users in the definition's project roles, and typed, versioned attachments
(their bytes content-addressed in the FileStore)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# written on top of 0006 beside the others; chained after 0013 (already on main) so that
# this branch has a single head — the merger re-chains
revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('project_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_roles_project_id_projects')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_roles_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_roles')),
    sa.UniqueConstraint('project_id', 'role', name='uq_project_roles_project_role')
    )
    with op.batch_alter_table('project_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_roles_user_id'), ['user_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_attachments_project_id_projects')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_attachments_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('project_id', 'type', 'version', name='uq_attachments_project_type_v')
    )


def downgrade() -> None:
    op.drop_table('attachments')
    with op.batch_alter_table('project_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_roles_user_id'))

    op.drop_table('project_roles')
