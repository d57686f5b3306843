"""Indexed aggregate queries over the raw conversations: a shop's numbers per local day.

Three queries, each one pass over the range's rows (ix_conversations_shop_started): the
conversations, their messages, and their tickets, grouped by the shop's local hour (a day is
the sum of its hours, so the hourly rollup and the daily one count alike).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select

from lumen.analytics.numbers import DayNumbers
from lumen.analytics.period import Period
from lumen.analytics.sql import local_hour
from lumen.extensions import db
from lumen.models import Conversation, Message, Role, Ticket
from lumen.outcomes import Outcome

# A shopper typing the order number or email answers our question; it is not what they came for.
NOT_A_TOPIC = frozenset({"provide_details"})
# A local day and hour of day (0-23) in the shop's zone.
LocalHour = tuple[date, int]


def raw_day_numbers(shop_id: int, period: Period) -> dict[date, DayNumbers]:
    """The numbers of every day in ``period`` that had conversations, from the raw rows."""
    days: dict[date, DayNumbers] = {}
    hours = raw_hour_numbers(shop_id, period.start_utc, period.end_utc, period.zone.key)
    for (day, _hour), numbers in hours.items():
        days.setdefault(day, DayNumbers()).add(numbers)
    return days


def raw_hour_numbers(shop_id: int, start: datetime, end: datetime,
                     zone: str) -> dict[LocalHour, DayNumbers]:
    """The numbers of the conversations that started in [start, end), per local hour of
    ``zone`` that had any, from the raw rows."""
    hours: dict[LocalHour, DayNumbers] = {}
    scope = [Conversation.shop_id == shop_id, Conversation.started_at >= start,
             Conversation.started_at < end]
    _add_conversations(hours, scope, zone)
    _add_messages(hours, scope, zone)
    _add_tickets(hours, scope + [Ticket.shop_id == shop_id, Ticket.created_at >= start,
                                 Conversation.outcome == Outcome.ESCALATED], zone)
    return hours


def _hour(hours: dict[LocalHour, DayNumbers], text: str) -> DayNumbers:
    key = (date.fromisoformat(text[:10]), int(text[11:13]))
    if key not in hours:
        hours[key] = DayNumbers()
    return hours[key]


def _add_conversations(hours: dict[LocalHour, DayNumbers], scope: list[Any], zone: str) -> None:
    """Outcomes, busiest hours, tokens, sentiment and order situations, in one pass."""
    hour = local_hour(Conversation.started_at, zone).label("hour")
    keys = (hour, Conversation.outcome, Conversation.sentiment, Conversation.order_situation)
    rows = db.session.execute(
        select(*keys, func.count(), func.sum(Conversation.llm_tokens_in),
               func.sum(Conversation.llm_tokens_out)).where(*scope).group_by(*keys))
    for local, outcome, sentiment, situation, count, tokens_in, tokens_out in rows:
        numbers = _hour(hours, local)
        numbers.outcomes[outcome] += count
        numbers.hours[int(local[11:13])] += count
        numbers.tokens_in += tokens_in or 0
        numbers.tokens_out += tokens_out or 0
        if sentiment is not None:
            numbers.sentiment[sentiment] += count
        if situation is not None:
            numbers.situations[situation] += count


def _add_messages(hours: dict[LocalHour, DayNumbers], scope: list[Any], zone: str) -> None:
    """Shoppers' intents, and the assistant's reply times (whole ms) and Gemini's share."""
    hour = local_hour(Conversation.started_at, zone).label("hour")
    shopper = Message.role == Role.SHOPPER
    intent = case((shopper, Message.intent)).label("intent")
    millis = case((shopper, None), else_=func.round(Message.latency_ms)).label("ms")
    keys = (hour, Message.role, intent, millis, Message.used_llm)
    rows = db.session.execute(
        select(*keys, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*scope).group_by(*keys))
    for local, role, topic, ms, used_llm, count in rows:
        numbers = _hour(hours, local)
        if role == Role.SHOPPER:
            if topic is not None and topic not in NOT_A_TOPIC:
                numbers.intents[topic] += count
            continue
        numbers.turns += count
        numbers.llm_turns += count if used_llm else 0
        if ms is not None:
            numbers.latencies[float(ms)] += count


def _add_tickets(hours: dict[LocalHour, DayNumbers], scope: list[Any], zone: str) -> None:
    """Why conversations were escalated: their tickets' latest reason. (A ticket is opened
    after its conversation started and makes it escalated: the extra filters only let
    PostgreSQL skip the shop's older tickets.)"""
    hour = local_hour(Conversation.started_at, zone).label("hour")
    rows = db.session.execute(
        select(hour, Ticket.reason, func.count())
        .join(Conversation, Conversation.id == Ticket.conversation_id)
        .where(*scope).group_by(hour, Ticket.reason))
    for local, reason, count in rows:
        _hour(hours, local).reasons[reason] += count
