"""The analytics date range: whole days in the shop's time zone, both ends inclusive.

A range is turned into UTC bounds once here, so every query counts a conversation on the shop's
calendar day it started, whatever the server's or the database's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from werkzeug.exceptions import BadRequest

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """Days ``first`` .. ``last`` (inclusive) in ``zone``."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def days(self) -> int:
        """How many calendar days the range covers."""
        return (self.last - self.first).days + 1

    @property
    def start_utc(self) -> datetime:
        """The first day's midnight in the shop's zone, in UTC."""
        return local_midnight(self.first, self.zone)

    @property
    def end_utc(self) -> datetime:
        """Midnight after the last day in the shop's zone, in UTC (exclusive)."""
        return local_midnight(self.last + timedelta(days=1), self.zone)

    def previous(self) -> Period:
        """The range of the same length that ends the day before this one starts."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1),
                      self.zone)

    def dates(self) -> list[date]:
        """Every day of the range, in order."""
        return [self.first + timedelta(days=offset) for offset in range(self.days)]


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """Midnight starting ``day`` in ``zone``, in UTC (the first instant of that local day)."""
    return datetime.combine(day, time(), zone).astimezone(UTC)



def parse_period(args: Mapping[str, str], zone: ZoneInfo, now: datetime) -> Period:
    """The range in ``from``/``to`` (YYYY-MM-DD); by default the last 30 days up to today."""
    today = now.astimezone(zone).date()
    last = _day(args, "to") or today
    first = _day(args, "from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise BadRequest("The start date is after the end date.")
    if (last - first).days + 1 > MAX_DAYS:
        raise BadRequest(f"Choose a range of at most {MAX_DAYS} days.")
    return Period(first, last, zone)


def _day(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"“{raw}” is not a date (YYYY-MM-DD).") from None
