"""conversation order situation, the analytics daily rollup, a covering index for turns

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_situation", sa.String(length=24), nullable=True))
    op.create_table(
        "analytics_days",
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("shop_id", "day"),
    )
    op.create_index("ix_messages_conversation_metrics", "messages", ["conversation_id"],
                    postgresql_include=["role", "intent", "latency_ms", "used_llm"])


def downgrade():
    op.drop_index("ix_messages_conversation_metrics", table_name="messages")
    op.drop_table("analytics_days")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("order_situation")
