"""The daily rollup: each closed local day's numbers, stored once, exactly as the raw rows give.

Why: with a million conversations in a 90-day range, aggregating the raw rows (and their six
million messages) on every page load takes seconds; reading 180 stored days takes
milliseconds.

How it stays exact:
- A day is stored only once it is closed (it has ended in the shop's zone), by `roll_up` (the
  daily RQ job), computed by the same queries the page runs on the open day (today).
- Any ORM change to a conversation, message or ticket of a stored day (a chat running past
  midnight, late feedback, a ticket) deletes that day's row before the change is flushed
  (`_forget_changed_days`); bulk deletes of conversations (the retention purge, GDPR
  deletions) drop the days of the rows they delete (`_forget_bulk_deleted_days`).
  A forgotten day is read from the raw rows until it is stored again.
- A row counted in another time zone than the shop's current one is ignored and replaced.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, event, select
from sqlalchemy.orm import ORMExecuteState, Session

from lumen.analytics.numbers import DayNumbers, contiguous_runs
from lumen.analytics.period import Period
from lumen.analytics.queries import raw_day_numbers
from lumen.extensions import db
from lumen.models import AnalyticsDay, Conversation, Message, Shop, Ticket, utcnow
from lumen.shops import zone_named

# Today (shop time) changes with every turn; earlier days are closed. A conversation that runs
# past midnight still changes its day: the flush listener below forgets that day.
OPEN_DAYS = 1
# A conversation's local day is within a day of its UTC date, whatever the zone.
ZONE_SLACK = timedelta(days=1)


def day_numbers(shop: Shop, period: Period) -> dict[date, DayNumbers]:
    """Each day's numbers in ``period``: stored closed days, the rest from the raw rows."""
    stored = _stored(shop.id, period)
    missing = [day for day in period.dates() if day not in stored]
    days = dict(stored)
    for first, last in contiguous_runs(missing):
        days.update(raw_day_numbers(shop.id, Period(first, last, period.zone)))
    return days


def closed_through(period_zone_key: str, now: datetime | None = None) -> date:
    """The last local day that is closed (no longer changes) in the zone."""
    today = (now or utcnow()).astimezone(zone_named(period_zone_key)).date()
    return today - timedelta(days=OPEN_DAYS)


def roll_up(shop: Shop, first: date, now: datetime | None = None) -> int:
    """Store every closed day from ``first`` that is not stored yet; return how many (the
    caller commits). Safe to re-run: a stored day is left alone."""
    zone = zone_named(shop.iana_timezone)
    last = closed_through(zone.key, now)
    if last < first:
        return 0
    period = Period(first, last, zone)
    stored = _stored(shop.id, period)
    missing = [day for day in period.dates() if day not in stored]
    # Another zone's rows for these days are replaced, not kept beside them.
    db.session.execute(delete(AnalyticsDay).where(AnalyticsDay.shop_id == shop.id,
                                                  AnalyticsDay.day.in_(missing)))
    for run_first, run_last in contiguous_runs(missing):
        numbers = raw_day_numbers(shop.id, Period(run_first, run_last, zone))
        for day in Period(run_first, run_last, zone).dates():
            db.session.add(AnalyticsDay(shop_id=shop.id, day=day, zone=zone.key,
                                        numbers=numbers.get(day, DayNumbers()).to_json()))
    return len(missing)


def _stored(shop_id: int, period: Period) -> dict[date, DayNumbers]:
    rows = db.session.execute(
        select(AnalyticsDay.day, AnalyticsDay.numbers).where(
            AnalyticsDay.shop_id == shop_id, AnalyticsDay.zone == period.zone.key,
            AnalyticsDay.day >= period.first, AnalyticsDay.day <= period.last))
    return {day: DayNumbers.from_json(numbers) for day, numbers in rows}


def _days_around(moment: datetime) -> list[date]:
    return [(moment - ZONE_SLACK).date(), moment.date(), (moment + ZONE_SLACK).date()]


@event.listens_for(Session, "before_flush")
def _forget_changed_days(session: Session, _context: object, _instances: object) -> None:
    """A change to a conversation (or its ticket or messages) of a closed day drops the
    stored rows of that day, so it is counted again from the raw rows."""
    touched: dict[int, set[datetime]] = {}
    for instance in (*session.new, *session.dirty, *session.deleted):
        conversation = _conversation_of(session, instance)
        if conversation is None or conversation.started_at is None:
            continue
        if _on_closed_day(session, conversation):
            touched.setdefault(conversation.shop_id, set()).add(conversation.started_at)
    for shop_id, moments in touched.items():
        days = sorted({day for moment in moments for day in _days_around(moment)})
        session.execute(delete(AnalyticsDay).where(AnalyticsDay.shop_id == shop_id,
                                                   AnalyticsDay.day.in_(days)))


def _on_closed_day(session: Session, conversation: Conversation) -> bool:
    # The shop is usually in the session already (the request loaded it): no query then.
    shop = session.get(Shop, conversation.shop_id)
    zone = zone_named(shop.iana_timezone if shop is not None else None)
    return conversation.started_at.astimezone(zone).date() <= closed_through(zone.key)


@event.listens_for(Session, "do_orm_execute")
def _forget_bulk_deleted_days(state: ORMExecuteState) -> None:
    """Before a bulk DELETE of conversations runs, drop the stored days of the rows it deletes
    (cascaded shop deletions take the shop's rows with them)."""
    if not state.is_delete or state.bind_mapper is None \
            or state.bind_mapper.class_ is not Conversation:
        return
    where = state.statement.whereclause
    query = select(Conversation.shop_id, Conversation.started_at)
    rows = state.session.execute(query.where(where) if where is not None else query)
    moments: dict[int, list[datetime]] = {}
    for shop_id, started_at in rows:
        moments.setdefault(shop_id, []).append(started_at)
    for shop_id, started in moments.items():
        days = sorted({day for moment in started for day in _days_around(moment)})
        state.session.execute(delete(AnalyticsDay).where(AnalyticsDay.shop_id == shop_id,
                                                         AnalyticsDay.day.in_(days)))


def _conversation_of(session: Session, instance: object) -> Conversation | None:
    if isinstance(instance, Conversation):
        return instance
    if isinstance(instance, Ticket | Message) and instance.conversation_id is not None:
        return session.get(Conversation, instance.conversation_id)
    return None
