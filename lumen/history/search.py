"""The filters that need more than the models' columns: text in the transcripts, an order
name, and the ticket status.

PostgreSQL answers them from what migrations 0003 and 0008 create there: one stored tsvector per
conversation, the words of all its messages (language-neutral 'simple' configuration, kept by
triggers on messages), with a GIN index; a GIN index for JSON containment on the order names;
and the ticket's status copied onto the conversation (a trigger on tickets), so every filter is
on the row the list walks. The planner's statistics on the document know how common each word
is: a common word is checked on each conversation of a newest-first walk, with no probe of its
messages; a rarer one is read from the GIN index first (`conversations_mentioning`).
SQLite, the embedded default, joins tickets and falls back to LIKE: fine at demo sizes."""

from __future__ import annotations

from sqlalchemy import String, cast, exists, func, literal_column, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from lumen.extensions import db
from lumen.models import Conversation, Message, Shop, ShopSettings, Ticket, TicketStatus

# A literal, not a bound parameter, so the planner matches the index expression every time.
# (The document is outside the models' metadata, migration 0008: hence literal columns.)
TEXT_SEARCH_CONFIG = literal_column("'simple'::regconfig")


def is_postgresql() -> bool:
    """True when the app's database is PostgreSQL."""
    return db.engine.dialect.name == "postgresql"


def transcript_matches(text: str) -> ColumnElement[bool]:
    """Conversations whose transcript contains ``text``: all of its words, anywhere in the
    conversation, on PostgreSQL; the text as typed, within one message, on SQLite."""
    if is_postgresql():
        return text_document_matches(text)
    # An alias, so a query that also joins messages (the CSV export) is not correlated to it.
    message = aliased(Message, name="searched_message")
    matched = message.text.ilike(f"%{_escaped(text)}%", escape="\\")
    return exists(select(message.id).where(message.conversation_id == Conversation.id, matched)
                  .correlate(Conversation))


def ticket_is(status: TicketStatus) -> ColumnElement[bool]:
    """Conversations whose ticket has this status (the query joins tickets on SQLite)."""
    if is_postgresql():
        # The status copied onto the conversation (migration 0008), beside the other filters.
        return literal_column(f"{Conversation.__tablename__}.ticket_status") == status.value
    return Ticket.status == status


def text_document_matches(text: str) -> ColumnElement[bool]:
    """PostgreSQL: the conversation's search document has all of ``text``'s words."""
    document = literal_column(f"{Conversation.__tablename__}.search_vector")
    return document.op("@@")(func.plainto_tsquery(TEXT_SEARCH_CONFIG, text))


def conversations_mentioning(shop: Shop, text: str, limit: int) -> list[int] | None:
    """PostgreSQL: the shop's conversations matching ``text``, when at most ``limit`` do
    (None when more do), read from the GIN index: its posting lists are intersected, and at
    most ``limit`` + 1 rows are read, however common the words."""
    query = select(Conversation.id).where(Conversation.shop_id == shop.id,
                                          text_document_matches(text)).limit(limit + 1)
    # Only bitmap scans: a walk of the shop would look at every conversation when common words
    # never meet (the planner takes them as independent), the index does not.
    for setting in _BITMAP_ONLY:
        db.session.execute(sql_text(f"SET LOCAL {setting} = off"))
    try:
        ids = list(db.session.scalars(query))
    finally:
        for setting in _BITMAP_ONLY:
            db.session.execute(sql_text(f"SET LOCAL {setting} TO DEFAULT"))
    return ids if len(ids) <= limit else None


_BITMAP_ONLY = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")


def order_matches(typed: str, settings: ShopSettings | None) -> ColumnElement[bool]:
    """Conversations about the order the merchant typed: "1042", "#1042" or the full name."""
    names = order_names_for(typed, settings)
    if is_postgresql():
        as_jsonb = cast(Conversation.order_names, JSONB)
        return or_(*(as_jsonb.contains([name]) for name in names))
    as_text = cast(Conversation.order_names, String)
    return or_(*(as_text.like(f'%"{_escaped(name)}"%', escape="\\") for name in names))


def order_names_for(typed: str, settings: ShopSettings | None) -> list[str]:
    """What ``typed`` may name: itself, and the shop's full order name for bare digits."""
    prefix = settings.order_name_prefix if settings else "#"
    suffix = settings.order_name_suffix if settings else ""
    names = [typed]
    if not typed.startswith(prefix) or not typed.endswith(suffix):
        names.append(f"{prefix}{typed}{suffix}")
    return names


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
