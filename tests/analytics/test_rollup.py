"""The daily rollup gives exactly what the raw rows give, and forgets days that change."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from lumen import privacy, retention, transcripts
from lumen.analytics import rollup
from lumen.analytics.period import Period
from lumen.analytics.report import shop_analytics
from lumen.conversation import SessionState, TurnResult
from lumen.extensions import db
from lumen.jobs.analytics import roll_up_shop
from lumen.llm.assist import LLMUsage
from lumen.models import AnalyticsDay, Feedback, Ticket, utcnow
from tests.analytics.conftest import Turn

ZONE = ZoneInfo("Australia/Adelaide")  # UTC+10:30 in summer: days do not start on the hour


@pytest.fixture
def shop(create_shop):
    """A shop in Adelaide."""
    return create_shop(iana_timezone="Australia/Adelaide")


@pytest.fixture
def today():
    """Today in Adelaide."""
    return utcnow().astimezone(ZONE).date()


@pytest.fixture
def history(shop, create_conversation, today):
    """Two weeks of conversations, a few per day, with every kind of number."""
    conversations = []
    for days_ago in range(14):
        start = utcnow().astimezone(ZONE).replace(hour=9) - timedelta(days=days_ago)
        conversations += [
            create_conversation(shop, start, delivered=True, sentiment="positive",
                                turns=[Turn(latency_ms=10 + days_ago), Turn("eta")]),
            create_conversation(shop, start + timedelta(hours=14, minutes=50),  # past midnight
                                ticket="not_received", situation="delivered_not_received",
                                customer_hash=f"hash-{days_ago}",
                                turns=[Turn("not_received", used_llm=True, tokens_in=90)]),
            create_conversation(shop, start, asked_order=False, turns=[Turn("greeting")])]
    return conversations


def report(shop, today, days=7):
    """The JSON numbers of the last ``days`` days (and the ones before)."""
    period = Period(today - timedelta(days=days - 1), today, ZONE)
    return shop_analytics(shop, period, with_sentiment=True).as_json()


def stored_days(shop) -> int:
    """How many days the rollup holds for the shop."""
    return db.session.scalar(select(func.count()).select_from(AnalyticsDay)
                             .where(AnalyticsDay.shop_id == shop.id))


def test_stored_days_give_exactly_the_raw_numbers(shop, history, today):
    raw = report(shop, today)
    assert roll_up_shop(shop.id) == 90  # the retention period's days, up to yesterday
    assert stored_days(shop) == 90
    assert report(shop, today) == raw
    assert roll_up_shop(shop.id) == 0, "a re-run stores nothing twice"


def test_open_days_are_never_stored(shop, history, today):
    roll_up_shop(shop.id)
    days = set(db.session.scalars(select(AnalyticsDay.day).where(
        AnalyticsDay.shop_id == shop.id)))
    assert max(days) == today - timedelta(days=rollup.OPEN_DAYS)


def test_a_late_change_to_a_stored_day_is_counted(shop, history, today):
    roll_up_shop(shop.id)
    before = report(shop, today)
    late = history[3 * 5]  # answered, five days ago
    late.feedback = Feedback.UP
    late.refresh_outcome()
    db.session.commit()
    assert stored_days(shop) == 89, "its own day is dropped, no other"
    after = report(shop, today)
    assert after["outcomes"]["confirmed"] == before["outcomes"]["confirmed"] + 1
    assert after["outcomes"]["answered"] == before["outcomes"]["answered"] - 1
    roll_up_shop(shop.id)
    assert report(shop, today) == after


def test_a_turn_recorded_on_a_stored_day_is_counted(shop, history, today):
    # The widget writes a turn's messages with one Core INSERT, which no flush sees: the
    # conversation's own change (two more messages) must drop the day it counts in.
    roll_up_shop(shop.id)
    before = report(shop, today)
    late = history[3 * 5]  # five days ago
    result = TurnResult(replies=[], intent="refund", state=SessionState.new())
    transcripts.record_turn(late, "can I get a refund?", [{"text": "Here is how."}], result,
                            12.0, LLMUsage())
    db.session.commit()
    assert stored_days(shop) == 89, "its own day is dropped, no other"
    after = report(shop, today)
    assert after["top_intents"] != before["top_intents"]
    roll_up_shop(shop.id)
    assert report(shop, today) == after


def test_a_new_ticket_reason_on_a_stored_day_is_counted(shop, history, today):
    roll_up_shop(shop.id)
    ticket = db.session.scalar(select(Ticket).where(
        Ticket.conversation_id == history[3 * 6 + 1].id))
    ticket.reason = "frustration"
    db.session.commit()
    reasons = report(shop, today)["escalation_reasons"]
    assert reasons == {"frustration": 1, "not_received": 6}


def test_the_retention_purge_and_gdpr_deletions_leave_no_stale_day(shop, history, today):
    roll_up_shop(shop.id)
    shop.settings.retention_days = 10
    retention.purge_expired_conversations(shop, 90)
    privacy.delete_customer_data(shop, "hash-3", [])
    db.session.commit()
    stored = report(shop, today, days=14)
    db.session.execute(AnalyticsDay.__table__.delete())
    assert report(shop, today, days=14) == stored, "what is stored is what the raw rows say"
    assert stored["previous"]["conversations"] < 21, "the purge removed older days"


def test_days_counted_in_another_zone_are_ignored(shop, history, today):
    roll_up_shop(shop.id)
    shop.iana_timezone = "America/Los_Angeles"
    db.session.commit()
    la = ZoneInfo("America/Los_Angeles")
    period = Period(today - timedelta(days=6), today - timedelta(days=3), la)
    raw_elsewhere = shop_analytics(shop, period, with_sentiment=True).as_json()
    db.session.execute(AnalyticsDay.__table__.delete())
    assert shop_analytics(shop, period, with_sentiment=True).as_json() == raw_elsewhere


def test_the_daily_job_rolls_up_every_shop(shop, create_shop, history):
    from lumen.jobs.analytics import roll_up_all_shops

    create_shop(iana_timezone="Europe/Berlin")
    assert roll_up_all_shops() == 2  # jobs run inline on the embedded default
    assert stored_days(shop) == 90


def test_a_chat_running_past_midnight_updates_yesterday(shop, history, today):
    from lumen.models import Message, Role

    roll_up_shop(shop.id)
    yesterday = history[3 * 1]  # started at 09:00 yesterday: a closed, stored day
    before = report(shop, today)
    # Its shopper comes back after midnight: one more turn, and now a thank-you.
    yesterday.messages.append(Message(role=Role.SHOPPER, text="thanks", intent="thanks"))
    yesterday.messages.append(Message(role=Role.ASSISTANT, text="You're welcome!",
                                      intent="thanks", latency_ms=5000.0))
    yesterday.thanked = True
    yesterday.refresh_outcome()
    db.session.commit()
    after = report(shop, today)
    assert after["outcomes"]["confirmed"] == before["outcomes"]["confirmed"] + 1
    assert after["top_intents"] != before["top_intents"]
    db.session.execute(AnalyticsDay.__table__.delete())
    assert report(shop, today) == after


def test_every_process_that_creates_the_app_keeps_the_rollup_exact(tmp_path):
    # A worker's retention purge may run before any analytics page: the listeners and
    # SQLite's local-time function must be in place from the start.
    import subprocess
    import sys

    from lumen import PROJECT_ROOT

    code = ("import sys; from tests.conftest import make_app; from pathlib import Path; "
            f"make_app(Path({str(tmp_path)!r})); "
            "assert 'lumen.analytics.rollup' in sys.modules, 'rollup not loaded'; "
            "assert 'lumen.analytics.sql' in sys.modules, 'sql not loaded'")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_turn_in_the_current_hour_asks_the_database_nothing_more(shop, create_conversation):
    from sqlalchemy import event

    from lumen.models import Conversation, Message, Role

    started = create_conversation(shop, utcnow()).id
    db.session.expire_all()  # as after the turn's first commit: the shop must not be re-read
    conversation = db.session.get(Conversation, started)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_: statements.append(statement))
    conversation.messages.append(Message(role=Role.SHOPPER, text="thanks", intent="thanks"))
    conversation.sentiment = "positive"
    db.session.flush()
    assert statements and not [statement for statement in statements
                               if "analytics" in statement or "FROM shops" in statement]
