"""On real PostgreSQL: the open day is summed from stored closed hours, exactly as the raw rows
give, and a change, a deletion or a concurrent writer never leaves a stale hour behind."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from lumen import privacy
from lumen.analytics import rollup
from lumen.analytics.period import Period
from lumen.analytics.queries import raw_day_numbers
from lumen.analytics.report import shop_analytics
from lumen.extensions import db
from lumen.models import AnalyticsHour, Conversation, Shop, ShopSettings, TicketStatus, utcnow
from tests.analytics.conftest import Turn, build_conversation
from tests.conftest import migrated_app

pytestmark = pytest.mark.integration
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30: local hours start at half past in UTC


@pytest.fixture
def pg_app(tmp_path, postgres_url):
    """The app on real PostgreSQL, migrated from empty."""
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url) as app:
        yield app


@pytest.fixture
def shop(pg_app) -> Shop:
    shop = Shop(domain="hours.myshopify.com", iana_timezone="Asia/Kolkata",
                settings=ShopSettings())
    db.session.add(shop)
    db.session.commit()
    return shop


@pytest.fixture
def day():
    """Yesterday in Kolkata, played as the open day late in the evening (no day row yet)."""
    return utcnow().astimezone(KOLKATA).date() - timedelta(days=1)


@pytest.fixture
def late(day) -> datetime:
    """23:30 on that day."""
    return datetime.combine(day, time(23, 30), KOLKATA).astimezone(UTC)


@pytest.fixture
def conversations(shop, day):
    """Conversations at 01:10, 09:00, 09:40 (with a ticket) and 23:05 local."""
    def at(hour, minute):
        return datetime.combine(day, time(hour, minute), KOLKATA)

    return [build_conversation(shop, at(1, 10), delivered=True, sentiment="positive",
                               turns=[Turn(latency_ms=11)]),
            build_conversation(shop, at(9, 0), sentiment="neutral", customer_hash="h-9",
                               turns=[Turn("eta", 30), Turn(latency_ms=50)]),
            build_conversation(shop, at(9, 40), ticket="human_requested",
                               turns=[Turn("human", used_llm=True, tokens_in=40)]),
            build_conversation(shop, at(23, 5), asked_order=False, turns=[Turn("greeting")])]


def numbers(shop, day, late) -> dict:
    """The page's JSON for the week ending on ``day`` at ``late``; committed, as the view does."""
    result = shop_analytics(shop, Period(day - timedelta(days=6), day, KOLKATA),
                            with_sentiment=True, now=late).as_json()
    db.session.commit()
    return result


def raw(shop, day) -> dict:
    """The open day's numbers from the raw rows alone."""
    return raw_day_numbers(shop.id, Period(day, day, KOLKATA))[day].to_json()


def stored_hours(shop, day) -> list[datetime]:
    """The starts of the day's stored hours (the page stores the other recent days' too)."""
    period = Period(day, day, KOLKATA)
    return list(db.session.scalars(select(AnalyticsHour.starts_at).where(
        AnalyticsHour.shop_id == shop.id, AnalyticsHour.starts_at >= period.start_utc,
        AnalyticsHour.starts_at < period.end_utc).order_by(AnalyticsHour.starts_at)))


def open_day(shop, day, late) -> dict:
    """The open day's numbers as the page sums them (stored hours and raw ones)."""
    days = rollup.day_numbers(shop, Period(day, day, KOLKATA), late)
    db.session.commit()
    return days[day].to_json()


def test_closed_hours_are_stored_once_and_sum_to_the_raw_day(shop, conversations, day, late):
    first = numbers(shop, day, late)
    hours = stored_hours(shop, day)
    assert len(hours) == 23, "every hour that has ended, not the open one (23:00)"
    assert hours[0] == datetime.combine(day, time(0), KOLKATA).astimezone(UTC)
    assert hours[0].minute == 30  # local hours, not UTC ones
    assert numbers(shop, day, late) == first
    assert open_day(shop, day, late) == raw(shop, day)
    assert first["daily"][-1]["conversations"] == 4


def test_a_counted_change_drops_only_its_hour(shop, conversations, day, late):
    numbers(shop, day, late)
    nine = conversations[1]
    nine.sentiment = "negative"
    db.session.commit()
    assert len(stored_hours(shop, day)) == 22
    assert open_day(shop, day, late) == raw(shop, day)
    assert open_day(shop, day, late)["sentiment"]["negative"] == 1
    assert len(stored_hours(shop, day)) == 23, "stored again by the next load"


def test_a_change_no_number_reads_keeps_the_hours(shop, conversations, day, late):
    numbers(shop, day, late)
    statements = []
    engine_listen(statements)
    nine, ticketed = conversations[1], conversations[2]
    nine.ended_at = nine.ended_at + timedelta(minutes=5)
    ticketed.ticket.status = TicketStatus.CLOSED
    ticketed.ticket.note = "refunded"
    db.session.commit()
    assert not [s for s in statements if "analytics" in s], "no query for the rollup"
    assert len(stored_hours(shop, day)) == 23


def engine_listen(statements: list[str]) -> None:
    """Record the SQL the engine runs from now on (the test's app is disposed after it)."""
    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement))


def test_a_gdpr_deletion_drops_the_hours_of_its_conversations(shop, conversations, day, late):
    numbers(shop, day, late)
    privacy.delete_customer_data(shop, "h-9", [])
    db.session.commit()
    assert len(stored_hours(shop, day)) == 22
    assert open_day(shop, day, late) == raw(shop, day)
    assert open_day(shop, day, late)["outcomes"] == raw(shop, day)["outcomes"]


def test_no_hour_is_stored_while_a_writer_may_still_change_one(shop, conversations, day, late):
    with db.engine.connect() as writer:
        writer.begin()
        # What a turn's flush holds, until it commits, when it forgets a stored hour.
        writer.execute(text("SELECT pg_advisory_xact_lock_shared(:kind, :shop)"),
                       {"kind": rollup.LOCK_CLASS, "shop": shop.id})
        assert open_day(shop, day, late) == raw(shop, day)
        assert stored_hours(shop, day) == [], "counted, not stored"
        writer.rollback()
    open_day(shop, day, late)
    assert len(stored_hours(shop, day)) == 23


def test_the_daily_job_stores_the_day_from_its_hours(shop, conversations, day, late):
    numbers(shop, day, late)
    assert rollup.roll_up(shop, day - timedelta(days=2)) == 3
    db.session.commit()
    assert numbers(shop, day, late)["daily"][-1]["conversations"] == 4
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 4


def test_the_hourly_job_stores_todays_closed_hours(shop):
    from lumen.jobs.analytics import roll_up_shop

    now = utcnow()
    today = now.astimezone(KOLKATA).date()
    midnight = datetime.combine(today, time(0), KOLKATA).astimezone(UTC)
    # Three hours ago, unless Kolkata's day began less than three hours ago: then within it.
    started = max(now - timedelta(hours=3), midnight + (now - midnight) / 2)
    build_conversation(shop, started, turns=[Turn(latency_ms=70)])
    roll_up_shop(shop.id)
    closed = [piece for piece in rollup.hour_slices(today, KOLKATA) if piece.ends_at <= now]
    assert stored_hours(shop, today) == [piece.starts_at for piece in closed]
    assert open_day(shop, today, now) == raw(shop, today)
