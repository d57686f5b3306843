"""The one function behind the analytics page and its JSON: `shop_analytics`."""

from __future__ import annotations

from datetime import date, datetime

from lumen.analytics import rollup
from lumen.analytics.numbers import Analytics, DayNumbers, PeriodNumbers
from lumen.analytics.period import Period
from lumen.models import Shop


def shop_analytics(shop: Shop, period: Period, *, with_sentiment: bool,
                   now: datetime | None = None) -> Analytics:
    """The shop's numbers for ``period`` and the period of equal length before it (closed
    hours read raw are stored on the way: the caller commits)."""
    previous = period.previous()
    days = rollup.day_numbers(shop, Period(previous.first, period.last, period.zone), now)
    return Analytics(_select(period, days, with_sentiment), _select(previous, days,
                                                                    with_sentiment))


def _select(period: Period, days: dict[date, DayNumbers], with_sentiment: bool) -> PeriodNumbers:
    wanted = {day: days[day] for day in period.dates() if day in days}
    return PeriodNumbers(period, wanted, with_sentiment)
