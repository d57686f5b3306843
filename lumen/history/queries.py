"""Read-only queries of the Conversations list and the transcript, always scoped to a shop.

The list pages with a keyset (started_at, id), newest first, never OFFSET: a page deep in a
million rows costs what the first page costs. The count is capped so it stays cheap too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, literal, select, tuple_

from lumen.extensions import db
from lumen.history import search
from lumen.history.filters import ConversationFilters, Cursor
from lumen.models import Conversation, Shop, Ticket, TicketStatus

PAGE_SIZE = 50
COUNT_CAP = 10_000


@dataclass(frozen=True)
class ConversationRow:
    """One line of the list."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    outcome: str
    order_names: list[str]
    message_count: int
    sentiment: str | None
    feedback: str | None
    llm_turns: int
    ticket_id: int | None
    ticket_status: TicketStatus | None

    @property
    def duration_seconds(self) -> int | None:
        """Seconds from the first message to the last."""
        return round((self.ended_at - self.started_at).total_seconds()) if self.ended_at else None


@dataclass(frozen=True)
class ConversationPage:
    """One page of the list, how many match (capped), and where the next page starts."""

    rows: list[ConversationRow]
    count: int
    count_capped: bool
    next_cursor: Cursor | None


def filtered(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
             *columns: object) -> Select:
    """SELECT ``columns`` of the shop's conversations that match ``filters`` (no cursor)."""
    query = (select(*columns).select_from(Conversation)
             .outerjoin(Ticket, Ticket.conversation_id == Conversation.id)
             .where(Conversation.shop_id == shop.id))
    start, end = filters.utc_range(zone)
    if start is not None:
        query = query.where(Conversation.started_at >= start)
    if end is not None:
        query = query.where(Conversation.started_at < end)
    if filters.outcomes:
        query = query.where(Conversation.outcome.in_(filters.outcomes))
    if filters.ticket is not None:
        query = query.where(Ticket.status == filters.ticket)
    if filters.sentiment:
        query = query.where(Conversation.sentiment == filters.sentiment)
    if filters.feedback is not None:
        query = query.where(Conversation.feedback == filters.feedback)
    if filters.order:
        query = query.where(search.order_matches(filters.order, shop.settings))
    if filters.q:
        query = query.where(search.transcript_matches(filters.q))
    return query


ROW_COLUMNS = (Conversation.id, Conversation.started_at, Conversation.ended_at,
               Conversation.outcome, Conversation.order_names, Conversation.message_count,
               Conversation.sentiment, Conversation.feedback, Conversation.llm_turns,
               Ticket.id.label("ticket_id"), Ticket.status.label("ticket_status"))


def conversation_page(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                      page_size: int | None = None) -> ConversationPage:
    """The page of conversations after ``filters.after`` (newest first) and the count."""
    page_size = page_size or PAGE_SIZE
    query = filtered(shop, filters, zone, *ROW_COLUMNS)
    if filters.after is not None:
        after = filters.after
        key = tuple_(Conversation.started_at, Conversation.id)
        # Bound with the column's own type, so SQLite compares the same text form it stores.
        query = query.where(key < tuple_(literal(after.started_at, Conversation.started_at.type),
                                         literal(after.conversation_id)))
    query = query.order_by(Conversation.started_at.desc(), Conversation.id.desc())
    found = db.session.execute(query.limit(page_size + 1)).all()
    rows = [_row(values) for values in found[:page_size]]
    more = len(found) > page_size
    next_cursor = Cursor(rows[-1].started_at, rows[-1].id) if more else None
    count, capped = capped_count(shop, filters, zone)
    return ConversationPage(rows, count, capped, next_cursor)


def capped_count(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                 cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many conversations match, counting at most ``cap`` (and whether it stopped there)."""
    limited = filtered(shop, filters, zone, Conversation.id).limit(cap + 1).subquery()
    count = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return min(count, cap), count > cap


def _row(values) -> ConversationRow:
    return ConversationRow(
        id=values.id, started_at=values.started_at, ended_at=values.ended_at,
        outcome=str(values.outcome), order_names=list(values.order_names or []),
        message_count=values.message_count, sentiment=values.sentiment,
        feedback=values.feedback.value if values.feedback else None,
        llm_turns=values.llm_turns or 0, ticket_id=values.ticket_id,
        ticket_status=values.ticket_status)


def shop_conversation(shop: Shop, conversation_id: int) -> Conversation | None:
    """The shop's conversation with this id, or None (another shop's id is not found)."""
    return db.session.scalar(select(Conversation).where(
        Conversation.id == conversation_id, Conversation.shop_id == shop.id))
