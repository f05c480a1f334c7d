"""benefits: a project's benefit realisation plan (baseline, target, benefit owner) and the
append-only series of measurements of each benefit

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('benefits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('chain_link', sa.String(length=16), nullable=False),
    sa.Column('indicator', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('change_on', sa.Date(), nullable=True),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_on', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_on', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('preconditions', sa.Text(), nullable=False),
    sa.Column('nok_per_year', sa.BigInteger(), nullable=True),
    sa.Column('unexpected', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("type IN ('efficiency', 'quality', 'other_actors')", name=op.f('ck_benefits_type_known')),
    sa.CheckConstraint("chain_link IN ('input', 'activity', 'output', 'user_effect', 'societal_effect')", name=op.f('ck_benefits_chain_link_known')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_benefits_project_id_projects')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_benefits_owner_id_users')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_benefits_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefits'))
    )
    with op.batch_alter_table('benefits', schema=None) as batch_op:
        batch_op.create_index('ix_benefits_project_id_id', ['project_id', 'id'], unique=False)
        batch_op.create_index('ix_benefits_owner_id_target_on', ['owner_id', 'target_on'], unique=False)
        batch_op.create_index('ix_benefits_target_on', ['target_on'], unique=False)

    op.create_table('measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('benefit_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['benefit_id'], ['benefits.id'], name=op.f('fk_measurements_benefit_id_benefits')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_measurements_recorded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurements'))
    )
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.create_index('ix_measurements_benefit_id_measured_on', ['benefit_id', 'measured_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.drop_index('ix_measurements_benefit_id_measured_on')
    op.drop_table('measurements')
    with op.batch_alter_table('benefits', schema=None) as batch_op:
        batch_op.drop_index('ix_benefits_target_on')
        batch_op.drop_index('ix_benefits_owner_id_target_on')
        batch_op.drop_index('ix_benefits_project_id_id')
    op.drop_table('benefits')
