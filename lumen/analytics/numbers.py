"""The one function that computes a shop's analytics for a date range: `shop_analytics`.

The page and ``/admin/analytics.json`` both render its result. Every number is an indexed
aggregate over the conversations that *started* in the range (shop time zone), so each
conversation counts once, on the day it began, even when it runs past midnight. Each query
covers the range and the previous range of the same length at once and is split in Python.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select

from lumen.analytics.period import Period
from lumen.analytics.sql import local_hour
from lumen.extensions import db
from lumen.models import Conversation, Message, Role, Shop, Ticket
from lumen.outcomes import Outcome

SENTIMENTS = ("negative", "neutral", "positive")
SITUATIONS = ("no_tracking", "stale_tracking", "delivered_not_received")
TOP_INTENTS = 8
# A shopper typing the order number or email answers our question; it is not what they came for.
NOT_A_TOPIC = frozenset({"provide_details"})


@dataclass
class PeriodNumbers:
    """Everything counted for one range; `contract()` is ARCHITECTURE.md's JSON shape."""

    period: Period
    outcomes: Counter[str] = field(default_factory=Counter)
    daily: dict[date, Counter[str]] = field(default_factory=dict)
    weekday_hour: Counter[tuple[int, int]] = field(default_factory=Counter)
    tokens_in: int = 0
    tokens_out: int = 0
    reply_ms: dict[str, float | None] = field(default_factory=dict)
    turns: int = 0
    llm_turns: int = 0
    intents: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    sentiment: Counter[str] | None = None
    sentiment_daily: dict[date, Counter[str]] | None = None
    situations: Counter[str] = field(default_factory=Counter)

    @property
    def conversations(self) -> int:
        """Conversations that started in the range."""
        return sum(self.outcomes.values())

    @property
    def order_questions(self) -> int:
        """Conversations that asked about an order (all but `other`): the rates' denominator."""
        return self.conversations - self.outcomes[Outcome.OTHER]

    @property
    def answered(self) -> int:
        """Order questions whose details were delivered (answered plus confirmed)."""
        return self.outcomes[Outcome.ANSWERED] + self.outcomes[Outcome.CONFIRMED]

    def contract(self) -> dict[str, Any]:
        """The numbers in the analytics JSON shape (without ``previous``)."""
        return {
            "from": self.period.first.isoformat(), "to": self.period.last.isoformat(),
            "timezone": self.period.zone.key, "conversations": self.conversations,
            "outcomes": {outcome.value: self.outcomes[outcome] for outcome in Outcome},
            "answered_rate": ratio(self.answered, self.order_questions),
            "confirmed_rate": ratio(self.outcomes[Outcome.CONFIRMED], self.order_questions),
            "escalation_rate": ratio(self.outcomes[Outcome.ESCALATED], self.conversations),
            "reply_ms": {"p50": self.reply_ms.get("p50"), "p95": self.reply_ms.get("p95")},
            "llm_turn_share": ratio(self.llm_turns, self.turns),
            "llm_tokens": {"in": self.tokens_in, "out": self.tokens_out},
            "sentiment": (None if self.sentiment is None
                          else {label: self.sentiment[label] for label in SENTIMENTS}),
            "by_weekday_hour": [[weekday, hour, n] for (weekday, hour), n
                                in sorted(self.weekday_hour.items())],
            "daily": [self._day(day) for day in self.period.dates()],
            "top_intents": [[intent, n] for intent, n in top(self.intents, TOP_INTENTS)],
            "escalation_reasons": dict(top(self.reasons)),
        }

    def situation_shares(self) -> dict[str, dict[str, Any]]:
        """Order questions whose order had no tracking, stale tracking, or was delivered but
        not received: count and share of the order questions."""
        return {name: {"count": self.situations[name],
                       "share": ratio(self.situations[name], self.order_questions)}
                for name in SITUATIONS}

    def sentiment_by_day(self) -> list[dict[str, Any]] | None:
        """Conversations per day and sentiment label (None where the plan has no sentiment)."""
        if self.sentiment_daily is None:
            return None
        return [{"date": day.isoformat(),
                 **{label: self.sentiment_daily.get(day, Counter())[label]
                    for label in SENTIMENTS}} for day in self.period.dates()]

    def _day(self, day: date) -> dict[str, Any]:
        counts = self.daily.get(day, Counter())
        return {"date": day.isoformat(), "conversations": sum(counts.values()),
                "answered": counts[Outcome.ANSWERED] + counts[Outcome.CONFIRMED],
                "escalated": counts[Outcome.ESCALATED]}


@dataclass
class Analytics:
    """A range's numbers beside the previous range's."""

    current: PeriodNumbers
    previous: PeriodNumbers

    def as_json(self) -> dict[str, Any]:
        """ARCHITECTURE.md's analytics JSON: the range's numbers plus ``previous``."""
        return {**self.current.contract(), "previous": self.previous.contract()}


def shop_analytics(shop: Shop, period: Period, *, with_sentiment: bool) -> Analytics:
    """The shop's numbers for ``period`` and the period of equal length before it."""
    previous = period.previous()
    numbers = {True: PeriodNumbers(period), False: PeriodNumbers(previous)}
    span = _Span(shop.id, previous.start_utc, period.end_utc, period.start_utc, period.zone.key)
    _add_hourly(numbers, span, period)
    _add_turns(numbers, span)
    _add_intents(numbers, span)
    _add_reasons(numbers, span)
    _add_situations(numbers, span)
    if with_sentiment:
        _add_sentiment(numbers, span, period)
    return Analytics(numbers[True], numbers[False])


@dataclass(frozen=True)
class _Span:
    """Both ranges' conversations: shop, UTC bounds, where the current range starts, zone."""

    shop_id: int
    start: datetime
    end: datetime
    current_from: datetime
    zone: str

    def where(self) -> list[Any]:
        """The filter every query shares (served by ix_conversations_shop_started)."""
        return [Conversation.shop_id == self.shop_id, Conversation.started_at >= self.start,
                Conversation.started_at < self.end]

    def is_current(self) -> Any:
        """A column: True for conversations of the current range, False for the previous."""
        return case((Conversation.started_at >= self.current_from, True), else_=False)


def _add_hourly(numbers: dict[bool, PeriodNumbers], span: _Span, period: Period) -> None:
    """Outcomes, daily trend, weekday x hour and tokens, from one GROUP BY local hour."""
    hour = local_hour(Conversation.started_at, span.zone).label("hour")
    rows = db.session.execute(
        select(hour, Conversation.outcome, func.count(), func.sum(Conversation.llm_tokens_in),
               func.sum(Conversation.llm_tokens_out))
        .where(*span.where()).group_by(hour, Conversation.outcome))
    for local, outcome, count, tokens_in, tokens_out in rows:
        day, hour = _local(local)
        target = numbers[day >= period.first]
        target.outcomes[outcome] += count
        target.daily.setdefault(day, Counter())[outcome] += count
        target.weekday_hour[(day.weekday(), hour)] += count
        target.tokens_in += tokens_in or 0
        target.tokens_out += tokens_out or 0


def _add_turns(numbers: dict[bool, PeriodNumbers], span: _Span) -> None:
    """Reply time percentiles and the LLM's share of turns, from the assistant messages."""
    current = span.is_current().label("current")
    millis = func.round(Message.latency_ms).label("ms")
    rows = db.session.execute(
        select(current, millis, Message.used_llm, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*span.where(), Message.role == Role.ASSISTANT)
        .group_by(current, millis, Message.used_llm))
    latencies: dict[bool, Counter[float]] = {True: Counter(), False: Counter()}
    for is_current, ms, used_llm, count in rows:
        target = numbers[bool(is_current)]
        target.turns += count
        target.llm_turns += count if used_llm else 0
        if ms is not None:
            latencies[bool(is_current)][float(ms)] += count
    for key, target in numbers.items():
        target.reply_ms = {"p50": percentile(latencies[key], 0.50),
                           "p95": percentile(latencies[key], 0.95)}


def _add_intents(numbers: dict[bool, PeriodNumbers], span: _Span) -> None:
    """What shoppers asked: their messages by understood intent."""
    current = span.is_current().label("current")
    rows = db.session.execute(
        select(current, Message.intent, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*span.where(), Message.role == Role.SHOPPER, Message.intent.is_not(None))
        .group_by(current, Message.intent))
    for is_current, intent, count in rows:
        if intent not in NOT_A_TOPIC:
            numbers[bool(is_current)].intents[intent] += count


def _add_reasons(numbers: dict[bool, PeriodNumbers], span: _Span) -> None:
    """Why conversations were escalated: their tickets' latest reason."""
    current = span.is_current().label("current")
    rows = db.session.execute(
        select(current, Ticket.reason, func.count())
        .join(Conversation, Conversation.id == Ticket.conversation_id)
        .where(*span.where()).group_by(current, Ticket.reason))
    for is_current, reason, count in rows:
        numbers[bool(is_current)].reasons[reason] += count


def _add_situations(numbers: dict[bool, PeriodNumbers], span: _Span) -> None:
    """Order questions whose order had no tracking, stale tracking, or delivered-not-received."""
    current = span.is_current().label("current")
    rows = db.session.execute(
        select(current, Conversation.order_situation, func.count())
        .where(*span.where(), Conversation.order_situation.is_not(None))
        .group_by(current, Conversation.order_situation))
    for is_current, situation, count in rows:
        numbers[bool(is_current)].situations[situation] += count


def _add_sentiment(numbers: dict[bool, PeriodNumbers], span: _Span, period: Period) -> None:
    """Conversations by sentiment label, in total and per local day."""
    hour = local_hour(Conversation.started_at, span.zone).label("hour")
    rows = db.session.execute(
        select(hour, Conversation.sentiment, func.count())
        .where(*span.where(), Conversation.sentiment.is_not(None))
        .group_by(hour, Conversation.sentiment))
    for target in numbers.values():
        target.sentiment, target.sentiment_daily = Counter(), {}
    for local, label, count in rows:
        day, _hour = _local(local)
        target = numbers[day >= period.first]
        target.sentiment[label] += count
        target.sentiment_daily.setdefault(day, Counter())[label] += count


def _local(text: str) -> tuple[date, int]:
    """``YYYY-MM-DD HH`` (sql.local_hour) as the local date and hour."""
    return date.fromisoformat(text[:10]), int(text[11:13])


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def percentile(counts: Counter[float], fraction: float) -> float | None:
    """The nearest-rank percentile of values given as {value: how many}; None if empty."""
    total = sum(counts.values())
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks add up to the total")


def top(counts: Counter[str], limit: int | None = None) -> Iterable[tuple[str, int]]:
    """The most common entries, ties broken by name so the order is stable."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ordered[:limit] if limit else ordered
