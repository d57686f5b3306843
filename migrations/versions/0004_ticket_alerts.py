"""ticket alert bookkeeping: next alert due, last alerted reason, alerts sent, last failure

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("alerted_reason", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("alerts_sent", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("alert_error", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("alert_error")
        batch_op.drop_column("alerts_sent")
        batch_op.drop_column("alerted_reason")
        batch_op.drop_column("alert_due_at")
