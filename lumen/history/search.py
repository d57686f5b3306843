"""The two filters that need more than a B-tree: text in the transcripts and an order name.

PostgreSQL answers them from the GIN indexes migration 0003 creates (full-text search with the
language-neutral 'simple' configuration, and JSON containment on the order names); SQLite, the
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
    message = aliased(Message)
    if is_postgresql():
        # The same expression as the GIN index ix_messages_text_search, so it is used.
        vector = func.to_tsvector(TEXT_SEARCH_CONFIG, message.text)
        matched = vector.op("@@")(func.plainto_tsquery(TEXT_SEARCH_CONFIG, text))
    else:
        matched = message.text.ilike(f"%{_escaped(text)}%", escape="\\")
    return exists(select(message.id).where(message.conversation_id == Conversation.id, matched)
                  .correlate(Conversation))


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
