"""conversation outcomes, history indexes, ticket notes, shop time zone, CSV exports

Revision ID: 0003
Revises: 0004
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0005"
branch_labels = None
depends_on = None

OUTCOMES = ("escalated", "confirmed", "answered", "unanswered", "other")
# PostgreSQL only (lumen.history.search): each message's words, stored (computed once, when it
# is written) and indexed for full-text search, and an exact order-name match. SQLite falls back
# to LIKE; these are outside the models' metadata (lumen.models.include_in_autogenerate).
POSTGRES_ONLY = (
    "ALTER TABLE messages ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED",
    "CREATE INDEX ix_messages_text_search ON messages USING gin (search_vector)",
    "CREATE INDEX ix_conversations_order_names ON conversations "
    "USING gin ((order_names::jsonb) jsonb_path_ops)",
)
POSTGRES_ONLY_UNDO = (
    "DROP INDEX IF EXISTS ix_conversations_order_names",
    "DROP INDEX IF EXISTS ix_messages_text_search",
    "ALTER TABLE messages DROP COLUMN IF EXISTS search_vector",
)


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade():
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", _enum("outcome", *OUTCOMES),
                                      server_default="other", nullable=False))
        for name in ("asked_order", "details_delivered", "thanked"):
            batch_op.add_column(sa.Column(name, sa.Boolean(), server_default=sa.false(),
                                          nullable=False))
        batch_op.add_column(sa.Column("llm_turns", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("first_reply_ms", sa.Float(), nullable=True))
    # The old three-way status is the best evidence older rows have; "resolved" meant an
    # answer or a thank-you, so it becomes "answered" (never "confirmed", which needs proof).
    op.execute("UPDATE conversations SET outcome = CASE status WHEN 'escalated' THEN 'escalated'"
               " WHEN 'resolved' THEN 'answered' ELSE 'other' END")
    op.execute("UPDATE conversations SET details_delivered = (status = 'resolved')")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        # SQLite's copy of the table would keep the CHECK on the dropped column otherwise.
        batch_op.drop_constraint("conversation_status", type_="check")
        batch_op.drop_column("status")
        batch_op.create_index("ix_conversations_shop_started", ["shop_id", "started_at", "id"])
        batch_op.create_index("ix_conversations_shop_outcome_started",
                              ["shop_id", "outcome", "started_at"])

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), server_default="", nullable=False))
        batch_op.create_index("ix_tickets_shop_status_created",
                              ["shop_id", "status", "created_at"])

    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("iana_timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("timezone_checked_at", sa.DateTime(timezone=True),
                                      nullable=True))

    _create_exports()
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_ONLY:
            op.execute(statement)


def _create_exports():
    op.create_table(
        "exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("shape", _enum("export_shape", "conversations", "messages"), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("status", _enum("export_status", "queued", "running", "ready", "failed"),
                  nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("oldest_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exports_shop_id"), ["shop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exports_expires_at"), ["expires_at"], unique=False)
    op.create_table(
        "export_chunks",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["export_id"], ["exports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("export_id", "seq"),
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_ONLY_UNDO:
            op.execute(statement)
    op.drop_table("export_chunks")
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exports_expires_at"))
        batch_op.drop_index(batch_op.f("ix_exports_shop_id"))
    op.drop_table("exports")

    with op.batch_alter_table("shops", schema=None) as batch_op:
        batch_op.drop_column("timezone_checked_at")
        batch_op.drop_column("iana_timezone")

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_shop_status_created")
        batch_op.drop_column("note")
        batch_op.drop_column("closed_at")

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "status", _enum("conversation_status", "pending", "resolved", "escalated"),
            server_default="pending", nullable=False))
    op.execute("UPDATE conversations SET status = CASE outcome WHEN 'escalated' THEN 'escalated'"
               " WHEN 'confirmed' THEN 'resolved' WHEN 'answered' THEN 'resolved'"
               " ELSE 'pending' END")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_shop_outcome_started")
        batch_op.drop_index("ix_conversations_shop_started")
        batch_op.drop_constraint("outcome", type_="check")
        for name in ("first_reply_ms", "llm_turns", "thanked", "details_delivered",
                     "asked_order", "outcome"):
            batch_op.drop_column(name)
