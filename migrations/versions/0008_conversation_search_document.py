"""history at scale (PostgreSQL): a search document and the ticket status on each conversation

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The Conversations list's text search reads one tsvector per conversation (lumen.history.search):
# on the row it filters, so the planner's statistics see how common each word is and a newest-
# first walk checks each conversation without touching its messages. Kept by triggers on
# messages: an INSERT statement appends its rows' words (one UPDATE per statement, however many
# messages it writes); an edited or deleted message rebuilds its conversation's document.
DOCUMENT = ("to_tsvector('simple'::regconfig, string_agg(text, ' ' ORDER BY id))")

def _rebuild(name: str, conversation_ids: str) -> str:
    """A trigger function rebuilding the documents of the conversations ``conversation_ids``."""
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE conversations
               SET search_vector = (SELECT {DOCUMENT} FROM messages
                                    WHERE messages.conversation_id = conversations.id)
             WHERE conversations.id IN ({conversation_ids});
            RETURN NULL;
        END $$"""


UPGRADE = (
    "ALTER TABLE conversations ADD COLUMN search_vector tsvector",
    f"""UPDATE conversations SET search_vector = document.words
        FROM (SELECT conversation_id, {DOCUMENT} AS words FROM messages
              GROUP BY conversation_id) AS document
        WHERE conversations.id = document.conversation_id""",
    "CREATE INDEX ix_conversations_search ON conversations USING gin (search_vector)",
    f"""CREATE FUNCTION lumen_search_append() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE conversations
               SET search_vector = coalesce(conversations.search_vector, ''::tsvector)
                                   || added.words
              FROM (SELECT conversation_id, {DOCUMENT} AS words FROM added_messages
                    GROUP BY conversation_id) AS added
             WHERE conversations.id = added.conversation_id;
            RETURN NULL;
        END $$""",
    _rebuild("lumen_search_rebuild", "SELECT conversation_id FROM changed_messages"),
    _rebuild("lumen_search_rebuild_one", "OLD.conversation_id, NEW.conversation_id"),
    "CREATE TRIGGER lumen_search_insert AFTER INSERT ON messages "
    "REFERENCING NEW TABLE AS added_messages FOR EACH STATEMENT "
    "EXECUTE FUNCTION lumen_search_append()",
    # Row level: PostgreSQL allows no transition table on a trigger for chosen columns, and
    # the WHEN clause keeps updates of other columns (sentiment, say) free.
    "CREATE TRIGGER lumen_search_update AFTER UPDATE OF text, conversation_id ON messages "
    "FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text "
    "OR OLD.conversation_id IS DISTINCT FROM NEW.conversation_id) "
    "EXECUTE FUNCTION lumen_search_rebuild_one()",
    "CREATE TRIGGER lumen_search_delete AFTER DELETE ON messages "
    "REFERENCING OLD TABLE AS changed_messages FOR EACH STATEMENT "
    "EXECUTE FUNCTION lumen_search_rebuild()",
    # The ticket's status beside the other filters (kept by a trigger on tickets): a list
    # filtered by it walks this index newest first, and the statistics below see how it goes
    # with the outcome (a ticket means escalated), so the planner does not walk the whole
    # shop looking for answered conversations with an open ticket.
    "ALTER TABLE conversations ADD COLUMN ticket_status varchar(20)",
    """UPDATE conversations SET ticket_status = tickets.status FROM tickets
        WHERE tickets.conversation_id = conversations.id""",
    # The list's filters as trailing key columns: B-tree checks them on the index entry, so a
    # newest-first walk reads only the rows that match from the (wide) table, and the walk of
    # the ticket index below reads only its own entries when nothing else matches.
    "CREATE INDEX ix_conversations_shop_started_filters ON conversations "
    "(shop_id, started_at, id, outcome, sentiment, feedback, ticket_status)",
    "CREATE INDEX ix_conversations_shop_ticket_started ON conversations "
    "(shop_id, ticket_status, started_at, id, outcome, sentiment, feedback) "
    "WHERE ticket_status IS NOT NULL",
    """CREATE FUNCTION lumen_ticket_status() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE conversations SET ticket_status = NULL WHERE id = OLD.conversation_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE conversations SET ticket_status = NEW.status
                 WHERE id = NEW.conversation_id;
            END IF;
            RETURN NULL;
        END $$""",
    "CREATE TRIGGER lumen_ticket_status AFTER INSERT OR DELETE OR UPDATE OF status, "
    "conversation_id ON tickets FOR EACH ROW EXECUTE FUNCTION lumen_ticket_status()",
    "CREATE STATISTICS st_conversations_filters (mcv) "
    "ON outcome, ticket_status, sentiment, feedback FROM conversations",
    "ALTER STATISTICS st_conversations_filters SET STATISTICS 1000",
    "ANALYZE conversations",
    # The per-message vector (0003) is read by nothing now; writing it cost every message.
    "DROP INDEX ix_messages_text_search",
    "ALTER TABLE messages DROP COLUMN search_vector",
)
DOWNGRADE = (
    "DROP STATISTICS st_conversations_filters",
    "DROP TRIGGER lumen_ticket_status ON tickets",
    "DROP FUNCTION lumen_ticket_status()",
    "DROP INDEX ix_conversations_shop_ticket_started",
    "DROP INDEX ix_conversations_shop_started_filters",
    "ALTER TABLE conversations DROP COLUMN ticket_status",
    "ALTER TABLE messages ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED",
    "CREATE INDEX ix_messages_text_search ON messages USING gin (search_vector)",
    "DROP TRIGGER lumen_search_delete ON messages",
    "DROP TRIGGER lumen_search_update ON messages",
    "DROP TRIGGER lumen_search_insert ON messages",
    "DROP FUNCTION lumen_search_rebuild_one()",
    "DROP FUNCTION lumen_search_rebuild()",
    "DROP FUNCTION lumen_search_append()",
    "DROP INDEX ix_conversations_search",
    "ALTER TABLE conversations DROP COLUMN search_vector",
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
