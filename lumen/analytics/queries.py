"""Indexed aggregate queries over the raw conversations: a shop's numbers per local day.

Each query reads the conversations that started in the period (ix_conversations_shop_started)
and groups by the shop's local day or hour, so a period of any length costs one pass per query.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from lumen.analytics.numbers import DayNumbers
from lumen.analytics.period import Period
from lumen.analytics.sql import local_day, local_hour
from lumen.extensions import db
from lumen.models import Conversation, Message, Role, Ticket

# A shopper typing the order number or email answers our question; it is not what they came for.
NOT_A_TOPIC = frozenset({"provide_details"})


def raw_day_numbers(shop_id: int, period: Period) -> dict[date, DayNumbers]:
    """The numbers of every day in ``period`` that had conversations, from the raw rows."""
    days: dict[date, DayNumbers] = {}
    zone = period.zone.key
    scope = [Conversation.shop_id == shop_id, Conversation.started_at >= period.start_utc,
             Conversation.started_at < period.end_utc]
    _add_hourly(days, scope, zone)
    _add_turns(days, scope, zone)
    _add_counts(days, scope, zone)
    return days


def _day(days: dict[date, DayNumbers], text: str) -> DayNumbers:
    day = date.fromisoformat(text[:10])
    if day not in days:
        days[day] = DayNumbers()
    return days[day]


def _add_hourly(days: dict[date, DayNumbers], scope: list[Any], zone: str) -> None:
    """Outcomes, busiest hours and tokens, from one GROUP BY local hour and outcome."""
    hour = local_hour(Conversation.started_at, zone).label("hour")
    rows = db.session.execute(
        select(hour, Conversation.outcome, func.count(), func.sum(Conversation.llm_tokens_in),
               func.sum(Conversation.llm_tokens_out))
        .where(*scope).group_by(hour, Conversation.outcome))
    for local, outcome, count, tokens_in, tokens_out in rows:
        numbers = _day(days, local)
        numbers.outcomes[outcome] += count
        numbers.hours[int(local[11:13])] += count
        numbers.tokens_in += tokens_in or 0
        numbers.tokens_out += tokens_out or 0


def _add_turns(days: dict[date, DayNumbers], scope: list[Any], zone: str) -> None:
    """Reply times (whole ms) and Gemini's share, from every assistant message."""
    day = local_day(Conversation.started_at, zone).label("day")
    millis = func.round(Message.latency_ms).label("ms")
    rows = db.session.execute(
        select(day, millis, Message.used_llm, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*scope, Message.role == Role.ASSISTANT)
        .group_by(day, millis, Message.used_llm))
    for local, ms, used_llm, count in rows:
        numbers = _day(days, local)
        numbers.turns += count
        numbers.llm_turns += count if used_llm else 0
        if ms is not None:
            numbers.latencies[float(ms)] += count


def _add_counts(days: dict[date, DayNumbers], scope: list[Any], zone: str) -> None:
    """Intents, escalation reasons, order situations and sentiment, per local day."""
    day = local_day(Conversation.started_at, zone).label("day")
    intents = (select(day, Message.intent, func.count())
               .join(Conversation, Conversation.id == Message.conversation_id)
               .where(*scope, Message.role == Role.SHOPPER, Message.intent.is_not(None))
               .group_by(day, Message.intent))
    reasons = (select(day, Ticket.reason, func.count())
               .join(Conversation, Conversation.id == Ticket.conversation_id)
               .where(*scope).group_by(day, Ticket.reason))
    situations = (select(day, Conversation.order_situation, func.count())
                  .where(*scope, Conversation.order_situation.is_not(None))
                  .group_by(day, Conversation.order_situation))
    sentiment = (select(day, Conversation.sentiment, func.count())
                 .where(*scope, Conversation.sentiment.is_not(None))
                 .group_by(day, Conversation.sentiment))
    for query, name in ((intents, "intents"), (reasons, "reasons"),
                        (situations, "situations"), (sentiment, "sentiment")):
        for local, key, count in db.session.execute(query):
            if name == "intents" and key in NOT_A_TOPIC:
                continue
            getattr(_day(days, local), name)[key] += count
