"""The rollup: closed local days and closed local hours, stored once, exactly as the raw rows give.

Why: with a million conversations in a 90-day range, aggregating the raw rows (and their six
million messages) on every page load takes seconds; reading 180 stored days takes
milliseconds. A day that is not stored (today, or a day whose row was dropped) is the sum of its
24 hours: stored closed hours plus the raw rows of the others, so late in a busy day only the
current hour (and any hour that changed) is read raw.

How it stays exact:
- A day is stored only once it is closed (it has ended in the shop's zone), by `roll_up` (an
  hourly RQ job); an hour once it has ended, by that job or the first page load that needs it.
  Both are computed by the same queries the page runs on the raw rows.
- Any ORM change that alters a counted column of a conversation, message or ticket deletes the
  stored day and hour it started in before the change is flushed (`_forget_changed_days`);
  bulk deletes of conversations (the retention purge, GDPR deletions) drop the days and hours of
  the rows they delete (`_forget_bulk_deleted_days`). What is dropped is read from the raw rows
  until it is stored again.
- No stale row can be stored by a race: on PostgreSQL whoever forgets holds a shared advisory
  lock on the shop until it commits, and whoever stores holds the exclusive one from before it
  reads the raw rows until it commits (a page load only stores when it gets it at once). So a
  change is either seen by the reads or forgets the rows after they are committed. SQLite (the
  single-process demo) has no such lock: its pages store nothing, only the hourly job does.
- A row counted in another time zone than the shop's current one is ignored and replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, event, func, inspect, or_, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.util import identity_key

from lumen.analytics.numbers import DayNumbers
from lumen.analytics.period import Period, local_midnight
from lumen.analytics.queries import raw_hour_numbers
from lumen.extensions import db
from lumen.models import AnalyticsDay, AnalyticsHour, Conversation, Message, Shop, Ticket, utcnow
from lumen.shops import cached_zone, zone_named

# Today (shop time) changes with every turn; earlier days are closed. A conversation that runs
# past midnight still changes its day: the flush listener below forgets that day.
OPEN_DAYS = 1
# A conversation's local day is within a day of its UTC date, whatever the zone.
ZONE_SLACK = timedelta(days=1)
# Stored hours older than this are dropped by the daily job: their days are stored by then.
HOURS_KEPT = timedelta(days=8)
# Up to this many conversations' hours are dropped one by one, more as one range.
FORGET_ONE_BY_ONE = 50
# The advisory lock's first key on PostgreSQL ("the analytics rollup"); the second is the shop.
LOCK_CLASS = 7_301
# The columns the raw queries read (lumen.analytics.queries): a change to any other column
# (a turn's end time, a ticket's status or note) leaves every number as it was.
COUNTED = {
    # message_count: the widget writes a turn's messages with one Core INSERT that no flush
    # sees; the conversation's count of them changes in the same transaction.
    Conversation: ("shop_id", "started_at", "outcome", "sentiment", "order_situation",
                   "llm_tokens_in", "llm_tokens_out", "message_count"),
    Message: ("conversation_id", "role", "intent", "latency_ms", "used_llm"),
    Ticket: ("shop_id", "conversation_id", "reason", "created_at"),
}


@dataclass(frozen=True)
class HourSlice:
    """Local hour ``hour`` of ``day``: the conversations that started in [starts_at, ends_at)."""

    day: date
    hour: int
    starts_at: datetime
    ends_at: datetime


def hour_slices(day: date, zone: ZoneInfo) -> list[HourSlice]:
    """The day's 24 local hours in UTC; an hour skipped by a clock change is empty, a repeated
    one covers both passes (as the raw queries' local hour groups them)."""
    bounds = [datetime.combine(day, time(hour), zone).astimezone(UTC) for hour in range(24)]
    bounds.append(local_midnight(day + timedelta(days=1), zone))
    for index in range(1, len(bounds)):
        bounds[index] = max(bounds[index], bounds[index - 1])
    return [HourSlice(day, hour, bounds[hour], bounds[hour + 1]) for hour in range(24)]


def day_numbers(shop: Shop, period: Period, now: datetime | None = None
                ) -> dict[date, DayNumbers]:
    """Each day's numbers in ``period``: stored closed days, the rest summed from hours."""
    days = _stored(shop.id, period)
    missing = [day for day in period.dates() if day not in days]
    if missing:
        days.update(_from_hours(shop.id, missing, period.zone, now or utcnow(), storing=None))
    return days


def closed_through(period_zone_key: str, now: datetime | None = None) -> date:
    """The last local day that is closed (no longer changes) in the zone."""
    today = (now or utcnow()).astimezone(zone_named(period_zone_key)).date()
    return today - timedelta(days=OPEN_DAYS)


def roll_up(shop: Shop, first: date, now: datetime | None = None) -> int:
    """Store every closed day from ``first`` that is not stored yet, and today's closed hours;
    return how many days (the caller commits). Safe to re-run: stored rows are left alone."""
    zone = cached_zone(shop)
    now = now or utcnow()
    last = closed_through(zone.key, now)
    # Held from before any write or read (a writer forgetting rows waits for it, never the
    # other way round), so a day summed from stored hours is never stale either.
    _lock(shop.id, exclusive=True, wait=True)
    db.session.execute(delete(AnalyticsHour).where(AnalyticsHour.shop_id == shop.id,
                                                   AnalyticsHour.ends_at < now - HOURS_KEPT))
    # Today's hours first, so a page's first load late in the day reads them stored.
    _from_hours(shop.id, [last + timedelta(days=OPEN_DAYS)], zone, now, storing=True)
    if last < first:
        return 0
    period = Period(first, last, zone)
    stored = _stored(shop.id, period)
    missing = [day for day in period.dates() if day not in stored]
    # Another zone's rows for these days are replaced, not kept beside them.
    db.session.execute(delete(AnalyticsDay).where(AnalyticsDay.shop_id == shop.id,
                                                  AnalyticsDay.day.in_(missing)))
    numbers = _from_hours(shop.id, missing, zone, now, storing=False) if missing else {}
    for day in missing:
        db.session.add(AnalyticsDay(shop_id=shop.id, day=day, zone=zone.key,
                                    numbers=numbers[day].to_json()))
    return len(missing)


def _stored(shop_id: int, period: Period) -> dict[date, DayNumbers]:
    rows = db.session.execute(
        select(AnalyticsDay.day, AnalyticsDay.numbers).where(
            AnalyticsDay.shop_id == shop_id, AnalyticsDay.zone == period.zone.key,
            AnalyticsDay.day >= period.first, AnalyticsDay.day <= period.last))
    return {day: DayNumbers.from_json(numbers) for day, numbers in rows}


def _from_hours(shop_id: int, days: list[date], zone: ZoneInfo, now: datetime,
                storing: bool | None) -> dict[date, DayNumbers]:
    """The days' numbers from their stored hours and the raw rows of the others. Recent hours
    read raw that have ended are stored unless ``storing`` is False; with None, only if the
    lock is free at once. (Older days are summed raw: their hours are not kept.)"""
    slices = [piece for day in days for piece in hour_slices(day, zone)
              if piece.ends_at > piece.starts_at]
    totals = {day: DayNumbers() for day in days}
    recent = now - HOURS_KEPT
    stored = _stored_hours(shop_id, [piece for piece in slices if piece.starts_at >= recent],
                           zone.key)
    unstored = []
    for piece in slices:
        if piece.starts_at in stored:
            totals[piece.day].add(stored[piece.starts_at])
        else:
            unstored.append(piece)
    storable = [piece for piece in unstored if piece.starts_at >= recent
                and piece.ends_at <= now]
    if storing is None:
        storing = bool(storable) and _lock(shop_id, exclusive=True, wait=False)
    for run in _runs(unstored):
        hours = raw_hour_numbers(shop_id, run[0].starts_at, run[-1].ends_at, zone.key)
        for (day, _hour), numbers in hours.items():
            totals.setdefault(day, DayNumbers()).add(numbers)
        if storing and set(hours) <= {(piece.day, piece.hour) for piece in run}:
            _store_hours(shop_id, [piece for piece in run if piece in storable], hours,
                         zone.key)
    return totals


def _stored_hours(shop_id: int, slices: list[HourSlice], zone: str) -> dict[datetime,
                                                                            DayNumbers]:
    if not slices:
        return {}
    rows = db.session.execute(
        select(AnalyticsHour.starts_at, AnalyticsHour.ends_at, AnalyticsHour.numbers).where(
            AnalyticsHour.shop_id == shop_id, AnalyticsHour.zone == zone,
            AnalyticsHour.starts_at >= slices[0].starts_at,
            AnalyticsHour.starts_at < slices[-1].ends_at))
    ends = {piece.starts_at: piece.ends_at for piece in slices}
    return {starts_at: DayNumbers.from_json(numbers) for starts_at, ends_at, numbers in rows
            if ends.get(starts_at) == ends_at}


def _runs(slices: list[HourSlice]) -> list[list[HourSlice]]:
    """Slices (in order) as runs without gaps, so each run is one set of raw queries."""
    runs: list[list[HourSlice]] = []
    for piece in slices:
        if runs and runs[-1][-1].ends_at == piece.starts_at:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


def _store_hours(shop_id: int, slices: list[HourSlice],
                 hours: dict[tuple[date, int], DayNumbers], zone: str) -> None:
    if not slices:
        return
    # Rows counted in another zone (or with other bounds) overlapping these are replaced.
    db.session.execute(delete(AnalyticsHour).where(
        AnalyticsHour.shop_id == shop_id, AnalyticsHour.starts_at < slices[-1].ends_at,
        AnalyticsHour.ends_at > slices[0].starts_at))
    for piece in slices:
        numbers = hours.get((piece.day, piece.hour), DayNumbers())
        db.session.add(AnalyticsHour(shop_id=shop_id, starts_at=piece.starts_at,
                                     ends_at=piece.ends_at, zone=zone,
                                     numbers=numbers.to_json()))


def _lock(shop_id: int, *, exclusive: bool, wait: bool, session: Session | None = None) -> bool:
    """Take the shop's rollup lock until the transaction ends (see the module's docstring);
    False when it is not held: a busy lock not waited for, or an exclusive one on SQLite for
    a page load (SQLite's daily job stores days, as it is alone in the demo)."""
    session = session or db.session
    if session.get_bind().dialect.name != "postgresql":
        return wait or not exclusive
    if not exclusive:
        function = func.pg_advisory_xact_lock_shared
    else:
        function = func.pg_advisory_xact_lock if wait else func.pg_try_advisory_xact_lock
    held = session.execute(select(function(LOCK_CLASS, shop_id))).scalar()
    return held is not False


def _days_around(moment: datetime) -> list[date]:
    return [(moment - ZONE_SLACK).date(), moment.date(), (moment + ZONE_SLACK).date()]


def _forget(session: Session, shop_id: int, moments: Iterable[datetime]) -> None:
    """Drop the stored days and hours that count conversations started at ``moments``: in
    the shop's zone its local day; in any other zone (rows counted before the zone changed)
    the days around it."""
    _lock(shop_id, exclusive=False, wait=True, session=session)
    moments = list(moments)
    zone = zone_named(_shop_zone(session, shop_id))
    local_days = sorted({moment.astimezone(zone).date() for moment in moments})
    around = sorted({day for moment in moments for day in _days_around(moment)})
    session.execute(delete(AnalyticsDay).where(
        AnalyticsDay.shop_id == shop_id,
        or_(AnalyticsDay.day.in_(local_days),
            and_(AnalyticsDay.day.in_(around), AnalyticsDay.zone != zone.key))))
    # Older hours are no longer kept (roll_up prunes them): a purge's old rows need no range.
    recent = utcnow() - HOURS_KEPT - ZONE_SLACK
    moments = sorted({moment for moment in moments if moment >= recent})
    if not moments:
        return
    if len(moments) > FORGET_ONE_BY_ONE:  # one range: an hour in between is recounted
        condition = and_(AnalyticsHour.starts_at <= moments[-1],
                         AnalyticsHour.ends_at > moments[0])
    else:
        condition = or_(*(and_(AnalyticsHour.starts_at <= moment, AnalyticsHour.ends_at > moment)
                          for moment in moments))
    session.execute(delete(AnalyticsHour).where(AnalyticsHour.shop_id == shop_id, condition))


@event.listens_for(Session, "before_flush")
def _forget_changed_days(session: Session, _context: object, _instances: object) -> None:
    """A counted change to a conversation (or its ticket or messages) that started before the
    current hour drops the stored day and hour it counts in, so it is counted again."""
    touched: dict[int, set[datetime]] = {}
    for instance in (*session.new, *session.dirty, *session.deleted):
        if instance in session.dirty and not _counted_change(instance):
            continue
        conversation = _conversation_of(session, instance)
        if conversation is None or conversation.started_at is None:
            continue
        if _may_be_stored(session, conversation):
            touched.setdefault(conversation.shop_id, set()).add(conversation.started_at)
    for shop_id, moments in touched.items():
        _forget(session, shop_id, moments)


def _counted_change(instance: object) -> bool:
    columns = COUNTED.get(type(instance), ())
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _may_be_stored(session: Session, conversation: Conversation) -> bool:
    """Whether a stored day or hour can count the conversation: it started before the
    current local hour (a stored hour has ended; the open hour is never stored)."""
    now = utcnow()
    # Every zone's hours start on a quarter of a UTC hour: a conversation started since the
    # last one is in the current hour anywhere, and its shop's zone need not be read.
    if conversation.started_at >= now.replace(minute=now.minute - now.minute % 15, second=0,
                                              microsecond=0):
        return False
    zone = zone_named(_shop_zone(session, conversation.shop_id))
    local = now.astimezone(zone)
    # In a repeated hour this start is later than the stored hour's: it forgets more, not less.
    current_hour = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    return conversation.started_at < current_hour


def _shop_zone(session: Session, shop_id: int) -> str | None:
    """The shop's zone, from the session when it holds it (no query), else read."""
    shop = session.identity_map.get(identity_key(Shop, shop_id))
    if shop is None or "iana_timezone" not in shop.__dict__:  # not loaded, or expired
        shop = session.get(Shop, shop_id)
    return shop.iana_timezone if shop is not None else None


@event.listens_for(Session, "do_orm_execute")
def _forget_bulk_deleted_days(state: ORMExecuteState) -> None:
    """Before a bulk DELETE of conversations runs, drop the stored days and hours of the rows
    it deletes (cascaded shop deletions take the shop's rows with them)."""
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
        _forget(state.session, shop_id, started)


def _conversation_of(session: Session, instance: object) -> Conversation | None:
    if isinstance(instance, Conversation):
        return instance
    if isinstance(instance, Ticket | Message) and instance.conversation_id is not None:
        return session.get(Conversation, instance.conversation_id)
    return None
