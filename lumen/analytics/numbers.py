"""The numbers of a shop's analytics: one local day's (`DayNumbers`), a range's, and the maths.

`report.shop_analytics` adds them up for the page and ``/admin/analytics.json``. Every number
counts the conversations that *started* in the range (shop time zone), each once, on the day it
began, even when it ran past midnight. Closed days come from the daily rollup
(`lumen.analytics.rollup`), the others from indexed aggregate queries over the raw rows
(`lumen.analytics.queries`); both are the same code, so they agree.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lumen.analytics.period import Period
from lumen.outcomes import Outcome

SENTIMENTS = ("negative", "neutral", "positive")
SITUATIONS = ("no_tracking", "stale_tracking", "delivered_not_received")
TOP_INTENTS = 8
_COUNTERS = ("outcomes", "hours", "latencies", "intents", "reasons", "sentiment", "situations")


@dataclass
class DayNumbers:
    """Everything counted for the conversations that started on one local day (or several:
    `add` merges days). Stored as JSON in the rollup (`to_json` / `from_json`)."""

    outcomes: Counter[str] = field(default_factory=Counter)
    hours: Counter[int] = field(default_factory=Counter)  # local hour of day -> conversations
    latencies: Counter[float] = field(default_factory=Counter)  # whole ms -> assistant turns
    intents: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    sentiment: Counter[str] = field(default_factory=Counter)
    situations: Counter[str] = field(default_factory=Counter)
    tokens_in: int = 0
    tokens_out: int = 0
    turns: int = 0
    llm_turns: int = 0

    def add(self, other: DayNumbers) -> None:
        """Count ``other``'s conversations too."""
        for name in _COUNTERS:
            getattr(self, name).update(getattr(other, name))
        self.tokens_in += other.tokens_in
        self.tokens_out += other.tokens_out
        self.turns += other.turns
        self.llm_turns += other.llm_turns

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe copy (counter keys as strings)."""
        data: dict[str, Any] = {name: {str(key): n for key, n in getattr(self, name).items()}
                                for name in _COUNTERS}
        data.update(tokens_in=self.tokens_in, tokens_out=self.tokens_out, turns=self.turns,
                    llm_turns=self.llm_turns)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DayNumbers:
        """The numbers `to_json` wrote."""
        day = cls(tokens_in=data["tokens_in"], tokens_out=data["tokens_out"],
                  turns=data["turns"], llm_turns=data["llm_turns"])
        for name in _COUNTERS:
            convert = _KEY_TYPES.get(name, str)
            getattr(day, name).update({convert(key): n for key, n in data[name].items()})
        return day


_KEY_TYPES = {"hours": int, "latencies": float}


@dataclass
class PeriodNumbers:
    """A range's days; `contract()` is ARCHITECTURE.md's analytics JSON shape."""

    period: Period
    days: dict[date, DayNumbers]
    with_sentiment: bool
    total: DayNumbers = field(init=False)

    def __post_init__(self) -> None:
        self.total = DayNumbers()
        for day in self.days.values():
            self.total.add(day)

    @property
    def conversations(self) -> int:
        """Conversations that started in the range."""
        return sum(self.total.outcomes.values())

    @property
    def order_questions(self) -> int:
        """Conversations that asked about an order (all but `other`): the rates' denominator."""
        return self.conversations - self.total.outcomes[Outcome.OTHER]

    def contract(self) -> dict[str, Any]:
        """The numbers in the analytics JSON shape (without ``previous``)."""
        total, outcomes = self.total, self.total.outcomes
        answered = outcomes[Outcome.ANSWERED] + outcomes[Outcome.CONFIRMED]
        return {
            "from": self.period.first.isoformat(), "to": self.period.last.isoformat(),
            "timezone": self.period.zone.key, "conversations": self.conversations,
            "outcomes": {outcome.value: outcomes[outcome] for outcome in Outcome},
            "answered_rate": ratio(answered, self.order_questions),
            "confirmed_rate": ratio(outcomes[Outcome.CONFIRMED], self.order_questions),
            "escalation_rate": ratio(outcomes[Outcome.ESCALATED], self.conversations),
            "reply_ms": {"p50": percentile(total.latencies, 0.50),
                         "p95": percentile(total.latencies, 0.95)},
            "llm_turn_share": ratio(total.llm_turns, total.turns),
            "llm_tokens": {"in": total.tokens_in, "out": total.tokens_out},
            "sentiment": ({label: total.sentiment[label] for label in SENTIMENTS}
                          if self.with_sentiment else None),
            "by_weekday_hour": self._weekday_hours(),
            "daily": [self._day(day) for day in self.period.dates()],
            "top_intents": [[intent, n] for intent, n in top(total.intents, TOP_INTENTS)],
            "escalation_reasons": dict(top(total.reasons)),
        }

    def situation_shares(self) -> dict[str, dict[str, Any]]:
        """Order questions whose order had no tracking, stale tracking, or was delivered but
        not received: count and share of the order questions."""
        return {name: {"count": self.total.situations[name],
                       "share": ratio(self.total.situations[name], self.order_questions)}
                for name in SITUATIONS}

    def sentiment_by_day(self) -> list[dict[str, Any]] | None:
        """Conversations per day and sentiment label (None where the plan has no sentiment)."""
        if not self.with_sentiment:
            return None
        return [{"date": day.isoformat(), **{label: self._numbers(day).sentiment[label]
                                             for label in SENTIMENTS}}
                for day in self.period.dates()]

    def _numbers(self, day: date) -> DayNumbers:
        return self.days.get(day) or DayNumbers()

    def _day(self, day: date) -> dict[str, Any]:
        outcomes = self._numbers(day).outcomes
        return {"date": day.isoformat(), "conversations": sum(outcomes.values()),
                "answered": outcomes[Outcome.ANSWERED] + outcomes[Outcome.CONFIRMED],
                "escalated": outcomes[Outcome.ESCALATED]}

    def _weekday_hours(self) -> list[list[int]]:
        cells: Counter[tuple[int, int]] = Counter()
        for day, numbers in self.days.items():
            for hour, n in numbers.hours.items():
                cells[(day.weekday(), hour)] += n
        return [[weekday, hour, n] for (weekday, hour), n in sorted(cells.items()) if n]


@dataclass
class Analytics:
    """A range's numbers beside the previous range's."""

    current: PeriodNumbers
    previous: PeriodNumbers

    def as_json(self) -> dict[str, Any]:
        """ARCHITECTURE.md's analytics JSON: the range's numbers plus ``previous``."""
        return {**self.current.contract(), "previous": self.previous.contract()}



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
    ordered = sorted(((key, n) for key, n in counts.items() if n),
                     key=lambda item: (-item[1], item[0]))
    return ordered[:limit] if limit else ordered
