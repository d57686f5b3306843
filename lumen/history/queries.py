"""Read-only queries of the Conversations list and the transcript, always scoped to a shop.

The list pages with a keyset (started_at, id), newest first, never OFFSET: a page deep in a
million rows costs what the first page costs. The count is capped so it stays cheap too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ARRAY, Integer, Select, any_, func, literal, select, text, tuple_
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement, ColumnElement

from lumen.extensions import db
from lumen.history import search
from lumen.history.filters import ConversationFilters, Cursor
from lumen.models import Conversation, Shop, Ticket, TicketStatus

PAGE_SIZE = 50
COUNT_CAP = 1000
# What an exact count may cost on PostgreSQL before the planner's estimate is shown instead.
COUNT_BUDGET_MS = 50
# Text search on PostgreSQL (see _text_plan): the newest conversations checked one by one,
# and the most conversations taken from the full-text index.
TEXT_WINDOW = 1000
TEXT_IDS = 5000


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
             with_text: bool = True, restriction: ColumnElement[bool] | None = None) -> Select:
    """SELECT ``columns`` of the shop's conversations that match ``filters`` (no cursor);
    ``with_text=False`` leaves the text search out, ``restriction`` is one more condition."""
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
    if filters.q and with_text:
        query = query.where(search.transcript_matches(filters.q))
    if restriction is not None:
        query = query.where(restriction)
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
    for restriction, count_restriction, needs_full_page in _text_plans(shop, filters, zone):
        query = _after(filtered(shop, filters, zone, *ROW_COLUMNS,
                                with_text=count_restriction is None, restriction=restriction),
                       filters.after).order_by(*_NEWEST)
        found = db.session.execute(query.limit(page_size + 1)).all()
        if not needs_full_page or len(found) > page_size:
            break
    rows = [_row(values) for values in found[:page_size]]
    more = len(found) > page_size
    next_cursor = Cursor(rows[-1].started_at, rows[-1].id) if more else None
    if filters.after is None and not more:
        count = MatchCount(len(rows))  # the whole result is on this page
    else:
        count = visible_count(shop, filters, zone, count_restriction)
    return ConversationPage(rows, count, next_cursor)


def capped_count(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                 cap: int = COUNT_CAP,
                 restriction: ColumnElement[bool] | None = None) -> tuple[int, bool]:
    """How many conversations match, counting at most ``cap`` (and whether it stopped there);
    a ``restriction`` stands for the text search (see _text_plan)."""
    limited = filtered(shop, filters, zone, Conversation.id, with_text=restriction is None,
                       restriction=restriction).limit(cap + 1).subquery()
    count = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return min(count, cap), count > cap


def visible_count(shop: Shop, filters: ConversationFilters, zone: ZoneInfo,
                  text_restriction: ColumnElement[bool] | None = None) -> MatchCount:
    """The count the list shows, never costing more than the page it sits on.

    SQLite: exact up to COUNT_CAP. PostgreSQL: the planner's estimate first (planning only);
    a big one is shown as "about N", a small one is counted exactly within COUNT_BUDGET_MS
    (an estimate again if that runs out).
    """
    if not search.is_postgresql():
        return MatchCount(*capped_count(shop, filters, zone))
    estimate = _estimate(filtered(shop, filters, zone, Conversation.id,
                                  with_text=text_restriction is None,
                                  restriction=text_restriction))
    if estimate > COUNT_CAP:
        return MatchCount(estimate, estimated=True)
    try:
        with db.session.begin_nested():
            db.session.execute(text(f"SET LOCAL statement_timeout = {COUNT_BUDGET_MS}"))
            count, capped = capped_count(shop, filters, zone, restriction=text_restriction)
    except OperationalError:  # the budget ran out: the savepoint rolled it back
        return MatchCount(estimate, estimated=True)
    finally:
        db.session.execute(text("SET LOCAL statement_timeout TO DEFAULT"))
    return MatchCount(count, capped)


def _text_plans(shop: Shop, filters: ConversationFilters, zone: ZoneInfo
                ) -> Iterator[tuple[ColumnElement[bool] | None, ColumnElement[bool] | None, bool]]:
    """The ways to run the page query, tried in order: (a condition narrowing it, one that
    replaces the text search, whether the way only counts when it fills the page).

    PostgreSQL's planner cannot tell a rare word from a common one, so the text search asks
    the data: a rarer word's conversations come straight from the GIN index (TEXT_IDS message
    hits at most), and they replace the search in the page and the count; a common word fills
    the page from the newest TEXT_WINDOW conversations; failing both, the plain EXISTS query.
    """
    if filters.q and search.is_postgresql():
        ids = search.conversations_mentioning(filters.q, TEXT_IDS)
        if ids is not None:
            by_id = Conversation.id == any_(literal(ids, ARRAY(Integer)))
            yield by_id, by_id, False
            return
        base = _after(filtered(shop, filters, zone, Conversation.id, with_text=False),
                      filters.after)
        newest = base.order_by(*_NEWEST).limit(TEXT_WINDOW).subquery()
        yield Conversation.id.in_(select(newest.c.id)), None, True
    yield None, None, False


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
