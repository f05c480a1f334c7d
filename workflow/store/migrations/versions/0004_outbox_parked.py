"""outbox: a 'parked' status for messages that break the sender

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ck_outbox_messages_status_known"


def _statuses(*statuses: str) -> None:
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_="check")
        batch_op.create_check_constraint(
            op.f(NAME), "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"
        )


def upgrade() -> None:
    _statuses("pending", "sent", "failed", "parked")


def downgrade() -> None:
    op.execute("UPDATE outbox_messages SET status = 'failed' WHERE status = 'parked'")
    _statuses("pending", "sent", "failed")
