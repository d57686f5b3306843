"""Indexed aggregate queries over the raw conversations: a shop's numbers per local day.

Three queries, each one pass over the period's rows (ix_conversations_shop_started): the
conversations, their messages, and their tickets, grouped by the shop's local day or hour.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select

from lumen.analytics.numbers import DayNumbers
from lumen.analytics.period import Period
from lumen.analytics.sql import local_day, local_hour
from lumen.extensions import db
from lumen.models import Conversation, Message, Role, Ticket
from lumen.outcomes import Outcome

# A shopper typing the order number or email answers our question; it is not what they came for.
NOT_A_TOPIC = frozenset({"provide_details"})


def raw_day_numbers(shop_id: int, period: Period) -> dict[date, DayNumbers]:
    """The numbers of every day in ``period`` that had conversations, from the raw rows."""
    days: dict[date, DayNumbers] = {}
    zone = period.zone.key
    scope = [Conversation.shop_id == shop_id, Conversation.started_at >= period.start_utc,
             Conversation.started_at < period.end_utc]
    _add_conversations(days, scope, zone)
    _add_messages(days, scope, zone)
    _add_tickets(days, scope + [Ticket.shop_id == shop_id, Ticket.created_at >= period.start_utc,
                                Conversation.outcome == Outcome.ESCALATED], zone)
    return days


def _day(days: dict[date, DayNumbers], text: str) -> DayNumbers:
    day = date.fromisoformat(text[:10])
    if day not in days:
        days[day] = DayNumbers()
    return days[day]


def _add_conversations(days: dict[date, DayNumbers], scope: list[Any], zone: str) -> None:
    """Outcomes, busiest hours, tokens, sentiment and order situations, in one pass."""
    hour = local_hour(Conversation.started_at, zone).label("hour")
    keys = (hour, Conversation.outcome, Conversation.sentiment, Conversation.order_situation)
    rows = db.session.execute(
        select(*keys, func.count(), func.sum(Conversation.llm_tokens_in),
               func.sum(Conversation.llm_tokens_out)).where(*scope).group_by(*keys))
    for local, outcome, sentiment, situation, count, tokens_in, tokens_out in rows:
        numbers = _day(days, local)
        numbers.outcomes[outcome] += count
        numbers.hours[int(local[11:13])] += count
        numbers.tokens_in += tokens_in or 0
        numbers.tokens_out += tokens_out or 0
        if sentiment is not None:
            numbers.sentiment[sentiment] += count
        if situation is not None:
            numbers.situations[situation] += count


def _add_messages(days: dict[date, DayNumbers], scope: list[Any], zone: str) -> None:
    """Shoppers' intents, and the assistant's reply times (whole ms) and Gemini's share."""
    day = local_day(Conversation.started_at, zone).label("day")
    shopper = Message.role == Role.SHOPPER
    intent = case((shopper, Message.intent)).label("intent")
    millis = case((shopper, None), else_=func.round(Message.latency_ms)).label("ms")
    keys = (day, Message.role, intent, millis, Message.used_llm)
    rows = db.session.execute(
        select(*keys, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*scope).group_by(*keys))
    for local, role, topic, ms, used_llm, count in rows:
        numbers = _day(days, local)
        if role == Role.SHOPPER:
            if topic is not None and topic not in NOT_A_TOPIC:
                numbers.intents[topic] += count
            continue
        numbers.turns += count
        numbers.llm_turns += count if used_llm else 0
        if ms is not None:
            numbers.latencies[float(ms)] += count


def _add_tickets(days: dict[date, DayNumbers], scope: list[Any], zone: str) -> None:
    """Why conversations were escalated: their tickets' latest reason. (A ticket is opened
    after its conversation started and makes it escalated: the extra filters only let
    PostgreSQL skip the shop's older tickets.)"""
    day = local_day(Conversation.started_at, zone).label("day")
    rows = db.session.execute(
        select(day, Ticket.reason, func.count())
        .join(Conversation, Conversation.id == Ticket.conversation_id)
        .where(*scope).group_by(day, Ticket.reason))
    for local, reason, count in rows:
        _day(days, local).reasons[reason] += count
