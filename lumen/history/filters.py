"""The Conversations list's filters: parsed from the URL (or an export's form), and back.

The query parameters are a contract (ARCHITECTURE.md, "Admin routes"); a link with them
reproduces the view. Invalid values are refused with 400 where they are found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, Forbidden

from lumen import plans
from lumen.models import Feedback, Shop, TicketStatus
from lumen.outcomes import Outcome

SENTIMENTS = ("negative", "neutral", "positive")
QUERY_MAX = 100
_ORDER = re.compile(r"[A-Za-z0-9#_-]{1,40}")
_CURSOR = re.compile(r"(\d{1,20})-(\d{1,20})")


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after this (started_at, id), newest first."""

    started_at: datetime
    conversation_id: int

    def token(self) -> str:
        """The `after=` value: microseconds since the epoch and the id."""
        micros = round(self.started_at.timestamp() * 1_000_000)
        return f"{micros}-{self.conversation_id}"

    @classmethod
    def parse(cls, token: str) -> Cursor:
        """Read an `after=` value; BadRequest if it is not one."""
        match = _CURSOR.fullmatch(token)
        if not match:
            raise BadRequest("The page link is not valid; start again from the newest.")
        micros, conversation_id = int(match[1]), int(match[2])
        started = datetime.fromtimestamp(0, tz=ZoneInfo("UTC")) + timedelta(microseconds=micros)
        return cls(started, conversation_id)


@dataclass(frozen=True)
class ConversationFilters:
    """What the merchant asked to see; every field optional, all of them combined."""

    date_from: date | None = None
    date_to: date | None = None
    outcomes: tuple[Outcome, ...] = ()
    ticket: TicketStatus | None = None
    sentiment: str | None = None
    feedback: Feedback | None = None
    order: str | None = None
    q: str | None = None
    after: Cursor | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, args: Mapping[str, Any], shop: Shop) -> ConversationFilters:
        """Filters from query parameters (or form fields); BadRequest/Forbidden if invalid."""
        args = args if isinstance(args, MultiDict) else MultiDict(args)
        filters = cls(
            date_from=_date(args.get("from"), "from"), date_to=_date(args.get("to"), "to"),
            outcomes=tuple(dict.fromkeys(_choice(Outcome, value, "outcome")
                                         for value in args.getlist("outcome") if value)),
            ticket=_choice(TicketStatus, args.get("ticket"), "ticket"),
            sentiment=_sentiment(args.get("sentiment"), shop),
            feedback=_choice(Feedback, args.get("feedback"), "feedback"),
            order=_order(args.get("order")), q=_text(args.get("q")),
            after=Cursor.parse(args["after"]) if args.get("after") else None)
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise BadRequest("The start date is after the end date.")
        return filters

    @property
    def active(self) -> bool:
        """True when any filter narrows the list (the cursor is not a filter)."""
        return any((self.date_from, self.date_to, self.outcomes, self.ticket, self.sentiment,
                    self.feedback, self.order, self.q))

    def query(self, **changes: Any) -> list[tuple[str, str]]:
        """The filters as query parameters, in the contract's names (for links and exports)."""
        pairs: list[tuple[str, str]] = []
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        pairs += [("outcome", outcome.value) for outcome in self.outcomes]
        for name in ("ticket", "sentiment", "feedback", "order", "q"):
            value = getattr(self, name)
            if value:
                pairs.append((name, str(value)))
        after = changes.get("after", self.after)
        if after is not None:
            pairs.append(("after", after.token()))
        return pairs

    def utc_range(self, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """[start, end) in UTC for the dates, read as whole days in the shop's time zone."""
        start = _midnight(self.date_from, zone) if self.date_from else None
        end = _midnight(self.date_to + timedelta(days=1), zone) if self.date_to else None
        return start, end


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"'{name}' must be a date written YYYY-MM-DD.") from None


def _choice(kind: type, value: str | None, name: str) -> Any:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise BadRequest(f"'{name}' must be one of: {allowed}.") from None


def _sentiment(value: str | None, shop: Shop) -> str | None:
    if not value:
        return None
    if not plans.may_use(shop, "sentiment_analytics"):
        plan = plans.required_plan_name("sentiment_analytics")
        raise Forbidden(f"Filtering by sentiment is part of the {plan} plan.")
    if value not in SENTIMENTS:
        raise BadRequest(f"'sentiment' must be one of: {', '.join(SENTIMENTS)}.")
    return value


def _order(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _ORDER.fullmatch(value):
        raise BadRequest("An order number has only letters, digits, '#', '-' and '_'.")
    return value


def _text(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    if len(value) > QUERY_MAX:
        raise BadRequest(f"Search for at most {QUERY_MAX} characters.")
    return value or None
