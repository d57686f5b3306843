"""Rewrites held back: the guard's per-shop count, within the page's local-date range."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from lumen.analytics.held_back import rewrites_held_back
from lumen.analytics.period import Period
from lumen.llm import events

NEW_YORK = ZoneInfo("America/New_York")


def test_held_back_rewrites_are_counted_for_the_shop_and_the_local_range(create_shop):
    shop, other = create_shop(), create_shop()
    period = Period(date(2026, 11, 2), date(2026, 11, 8), NEW_YORK)
    # 03:30 UTC on Nov 2 is still Nov 1 in New York: outside the range.
    events.record_held_back(shop.id, datetime(2026, 11, 2, 3, 30, tzinfo=UTC))
    events.record_held_back(shop.id, datetime(2026, 11, 2, 6, 0, tzinfo=UTC))
    events.record_held_back(shop.id, datetime(2026, 11, 9, 4, 0, tzinfo=UTC))
    events.record_held_back(other.id, datetime(2026, 11, 3, 12, 0, tzinfo=UTC))
    assert rewrites_held_back(shop, period) == 2
    assert rewrites_held_back(other, period) == 1
