"""Read-only queries of the Conversations list and the transcript, always scoped to a shop.

The list pages with a keyset (started_at, id), newest first, never OFFSET: a page deep in a
million rows costs what the first page costs. The count is capped so it stays cheap too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, literal, select, text, tuple_
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from lumen.extensions import db
from lumen.history import search
from lumen.history.filters import ConversationFilters, Cursor
from lumen.models import Conversation, Shop, Ticket, TicketStatus

PAGE_SIZE = 50
COUNT_CAP = 1000
# What an exact count may cost on PostgreSQL before the planner's estimate is shown instead.
COUNT_BUDGET_MS = 30
# A text search matching at most this many of the shop's conversations is answered by their ids;
# one the planner's statistics put above this share of all conversations is known as common.
TEXT_IDS = 2000
COMMON_TEXT_SHARE = 0.01
# Several words are first looked for among this many of the newest conversations.
TEXT_WINDOW = 1000
# Roughly how PostgreSQL's 'simple' parser splits a search into words (more is only slower).
_WORD = re.compile(r"[^\W_]+")


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
class MatchCount:
    """How many conversations match: exact, at least (capped), or estimated."""

    value: int
    capped: bool = False
    estimated: bool = False


@dataclass(frozen=True)
class ConversationPage:
    """One page of the list, how many match, and where the next page starts."""

    rows: list[ConversationRow]
    count: MatchCount
    next_cursor: Cursor | None


def filtered(shop: Shop, filters: ConversationFilters, zone: ZoneInfo, *columns: object,
             text_ids: list[int] | None = None) -> Select:
    """SELECT ``columns`` of the shop's conversations that match ``filters`` (no cursor);
    ``text_ids``, when given, are the conversations the text search matches."""
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
        query = query.where(search.ticket_is(filters.ticket))
    if filters.sentiment:
        query = query.where(Conversation.sentiment == filters.sentiment)
    if filters.feedback is not None:
        query = query.where(Conversation.feedback == filters.feedback)
    if filters.order:
        query = query.where(search.order_matches(filters.order, shop.settings))
    if filters.q and text_ids is not None:
        query = query.where(Conversation.id.in_(text_ids))
    elif filters.q:
        query = query.where(search.transcript_matches(filters.q))
    return query


def _after(query: Select, cursor: Cursor | None) -> Select:
    if cursor is None:
        return query
    key = tuple_(Conversation.started_at, Conversation.id)
    # Bound with the column's own type, so SQLite compares the same text form it stores.
    return query.where(key < tuple_(literal(cursor.started_at, Conversation.started_at.type),
                                    literal(cursor.conversation_id)))


_NEWEST = (Conversation.started_at.desc(), Conversation.id.desc())


ROW_COLUMNS = (Conversation.id, Conversation.started_at, Conversation.ended_at,
               Conversation.outcome, Conversation.order_names, Conversation.message_count,
               Conversation.sentiment, Conversation.feedback, Conversation.llm_turns,
               Ticket.id.label("ticket_id"), Ticket.status.label("ticket_status"))


def conversation_page(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                      page_size: int | None = None) -> ConversationPage:
    """The page of conversations after ``filters.after`` (newest first) and the count."""
    page_size = page_size or PAGE_SIZE
    _plan_for_these_values()
    found, text_ids = _newest_matches(shop, filters, zone, page_size + 1)
    rows = [_row(values) for values in found[:page_size]]
    more = len(found) > page_size
    next_cursor = Cursor(rows[-1].started_at, rows[-1].id) if more else None
    if filters.after is None and not more:
        count = MatchCount(len(rows))  # the whole result is on this page
    else:
        count = visible_count(shop, filters, zone, text_ids)
    return ConversationPage(rows, count, next_cursor)


def _newest_matches(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                    wanted: int) -> tuple[list, list[int] | None]:
    """The newest ``wanted`` rows that match, and the ids that stood for the text search
    (None when it was not answered by ids).

    Several words on PostgreSQL are first looked for in the newest TEXT_WINDOW conversations
    the other filters allow: words that often meet fill the page there at once, and only
    when they do not is the GIN index asked (see _rare_text_ids)."""
    if filters.q and search.is_postgresql() and len(_WORD.findall(filters.q)) > 1:
        found = _rows(shop, filters, zone, wanted, in_window=True)
        if len(found) == wanted:
            return found, None
    text_ids = _rare_text_ids(shop, filters)
    return _rows(shop, filters, zone, wanted, text_ids=text_ids), text_ids


def _rows(shop: Shop, filters: ConversationFilters, zone: ZoneInfo, limit: int,
          text_ids: list[int] | None = None, in_window: bool = False) -> list:
    query = filtered(shop, filters, zone, *ROW_COLUMNS, text_ids=text_ids)
    if in_window:
        # The newest conversations the other filters allow: a page found among them is the
        # newest page overall.
        newest = _after(filtered(shop, replace(filters, q=None), zone, Conversation.id),
                        filters.after).order_by(*_NEWEST).limit(TEXT_WINDOW).subquery()
        query = query.where(Conversation.id.in_(select(newest.c.id)))
    return db.session.execute(_after(query, filters.after).order_by(*_NEWEST)
                              .limit(limit)).all()


def _plan_for_these_values() -> None:
    """PostgreSQL: plan the list's queries for each request's own values. psycopg prepares a
    statement run five times on a connection, and PostgreSQL may then keep one generic plan
    for any value; but how many rows a filter matches ranges from a quarter of the shop to a
    handful, and a plan made for an average walks the whole shop for a rare one."""
    if search.is_postgresql():
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _rare_text_ids(shop: Shop, filters: ConversationFilters) -> list[int] | None:
    """PostgreSQL: the conversations a rare text search finds, which then stand for it in the
    page and the count (None for a common one, or on SQLite).

    The planner knows how common the column's most common words are, but guesses every other
    word at 0.5% of the rows, so for an order number three conversations mention it would walk
    the whole shop newest first; and it takes words as independent, so for two common words
    that never meet it would walk the whole shop too. So several words, or a word it does not
    know as common, are asked of the GIN index first (up to TEXT_IDS conversations); only a
    single word it knows is common is left to its plan."""
    if not filters.q or not search.is_postgresql():
        return None
    if len(_WORD.findall(filters.q)) == 1:
        matching = _estimate(select(Conversation.id).where(
            search.text_document_matches(filters.q)))
        if matching > COMMON_TEXT_SHARE * _estimate(select(Conversation.id)):
            return None
    return search.conversations_mentioning(shop, filters.q, TEXT_IDS)


def capped_count(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                 cap: int = COUNT_CAP, text_ids: list[int] | None = None) -> tuple[int, bool]:
    """How many conversations match, counting at most ``cap`` (and whether it stopped there)."""
    limited = filtered(shop, filters, zone, Conversation.id,
                       text_ids=text_ids).limit(cap + 1).subquery()
    count = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return min(count, cap), count > cap


def visible_count(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                  text_ids: list[int] | None = None) -> MatchCount:
    """The count the list shows, never costing more than the page it sits on.

    SQLite: exact up to COUNT_CAP. PostgreSQL: the planner's estimate first (planning only);
    a big one is shown as "about N", a small one is counted exactly within COUNT_BUDGET_MS
    (an estimate again if that runs out).
    """
    if not search.is_postgresql():
        return MatchCount(*capped_count(shop, filters, zone))
    estimate = _estimate(filtered(shop, filters, zone, Conversation.id, text_ids=text_ids))
    if estimate > COUNT_CAP:
        return MatchCount(estimate, estimated=True)
    try:
        with db.session.begin_nested():
            db.session.execute(text(f"SET LOCAL statement_timeout = {COUNT_BUDGET_MS}"))
            count, capped = capped_count(shop, filters, zone, text_ids=text_ids)
    except OperationalError:  # the budget ran out: the savepoint rolled it back
        return MatchCount(estimate, estimated=True)
    finally:
        db.session.execute(text("SET LOCAL statement_timeout TO DEFAULT"))
    return MatchCount(count, capped)


class _Explain(Executable, ClauseElement):
    """EXPLAIN (FORMAT JSON) of a SELECT, bound and executed like the SELECT itself."""

    inherit_cache = False

    def __init__(self, statement: Select):
        self.statement = statement


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler, **kwargs) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kwargs)


def _estimate(query: Select) -> int:
    """The planner's row estimate for ``query`` (planning only, nothing is read)."""
    plan = db.session.execute(_Explain(query)).scalar()
    return int(plan[0]["Plan"]["Plan Rows"])


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
