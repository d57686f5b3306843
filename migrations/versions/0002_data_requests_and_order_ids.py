"""data requests and conversation order ids

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "data_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("shopify_request_id", sa.String(length=40), nullable=False),
        sa.Column("customer_hash", sa.String(length=64), nullable=True),
        sa.Column("order_ids", sa.JSON(), nullable=False),
        sa.Column("transcripts", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("downloaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("shop_id", "shopify_request_id", name="uq_data_requests_shop_request"),
    )
    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_requests_customer_hash"), ["customer_hash"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_data_requests_shop_id"), ["shop_id"], unique=False)

    # Existing conversations predate order ids: they start with an empty list.
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("order_ids", sa.JSON(), server_default="[]", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("order_ids")

    with op.batch_alter_table("data_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_requests_shop_id"))
        batch_op.drop_index(batch_op.f("ix_data_requests_customer_hash"))

    op.drop_table("data_requests")
