"""The two filters that need more than a B-tree: text in the transcripts and an order name.

PostgreSQL answers them from what migration 0003 creates there: a stored tsvector per message
(language-neutral 'simple' configuration) with a GIN index, and a GIN index for JSON containment
on the order names. SQLite, the
embedded default, falls back to LIKE, which is fine at demo sizes.
"""

from __future__ import annotations

from sqlalchemy import String, cast, exists, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from lumen.extensions import db
from lumen.models import Conversation, Message, ShopSettings

# A literal, not a bound parameter, so the planner matches the index expression every time.
TEXT_SEARCH_CONFIG = literal_column("'simple'::regconfig")


def is_postgresql() -> bool:
    """True when the app's database is PostgreSQL."""
    return db.engine.dialect.name == "postgresql"


def transcript_matches(text: str) -> ColumnElement[bool]:
    """Conversations with a message containing ``text`` (all of its words, on PostgreSQL)."""
    # An alias, so a query that also joins messages (the CSV export) is not correlated to it.
    message = aliased(Message, name="searched_message")
    if is_postgresql():
        # The stored, GIN-indexed tsvector (migration 0003): no text is parsed at query time,
        # so checking the newest conversations one by one is as cheap as the index lookup.
        vector = literal_column("searched_message.search_vector")
        matched = vector.op("@@")(func.plainto_tsquery(TEXT_SEARCH_CONFIG, text))
    else:
        matched = message.text.ilike(f"%{_escaped(text)}%", escape="\\")
    return exists(select(message.id).where(message.conversation_id == Conversation.id, matched)
                  .correlate(Conversation))


def conversations_mentioning(text: str, limit: int) -> list[int] | None:
    """PostgreSQL: ids of the conversations with a message matching ``text`` (any shop;
    callers add the shop's filters), read from the GIN index; None when more than ``limit``
    messages match (a common word: reading them all would cost more than it saves)."""
    vector = literal_column("messages.search_vector")
    matched = vector.op("@@")(func.plainto_tsquery(TEXT_SEARCH_CONFIG, text))
    rows = list(db.session.scalars(select(Message.conversation_id).where(matched)
                                   .limit(limit + 1)))
    return None if len(rows) > limit else sorted(set(rows))


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
