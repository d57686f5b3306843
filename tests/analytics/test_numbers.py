"""Every analytics number, checked on hand-built conversations with known outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from werkzeug.exceptions import BadRequest

from lumen.analytics.numbers import percentile
from lumen.analytics.period import Period, parse_period
from lumen.analytics.report import shop_analytics
from tests.analytics.conftest import Turn

LA = ZoneInfo("America/Los_Angeles")
DAY = date(2026, 11, 20)  # a Friday
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=LA)


def numbers(shop, first=DAY, last=DAY, zone=LA, with_sentiment=False):
    """The JSON numbers for ``first``..``last`` in ``zone``."""
    return shop_analytics(shop, Period(first, last, zone),
                          with_sentiment=with_sentiment).as_json()


@pytest.fixture
def shop(create_shop):
    """A shop in Los Angeles (UTC-8 in November)."""
    return create_shop(iana_timezone="America/Los_Angeles")


@pytest.fixture
def known(shop, create_conversation):
    """One conversation of each kind the outcome rules distinguish, all on DAY."""
    make = create_conversation
    return {
        "abandoned": make(shop, NOON, asked_order=True),                 # left before verifying
        "unverified": make(shop, NOON, asked_order=True, feedback="down"),  # email didn't match
        "answered": make(shop, NOON, delivered=True),
        "thanked": make(shop, NOON, delivered=True, thanked=True),
        "thumbs_up": make(shop, NOON, delivered=True, feedback="up"),
        "thumbs_down_after_answer": make(shop, NOON, delivered=True, thanked=True,
                                         feedback="down"),
        "escalated_after_answer": make(shop, NOON, delivered=True, thanked=True,
                                       ticket="not_received"),
        "escalated_unverified": make(shop, NOON, ticket="human_requested"),
        "greeting": make(shop, NOON, asked_order=False, turns=[Turn("greeting")]),
        "product": make(shop, NOON, asked_order=False, turns=[Turn("product_question")]),
    }


def test_each_hand_built_conversation_has_the_expected_outcome(known):
    outcomes = {name: conversation.outcome.value for name, conversation in known.items()}
    assert outcomes == {
        "abandoned": "unanswered", "unverified": "unanswered", "answered": "answered",
        "thanked": "confirmed", "thumbs_up": "confirmed",
        "thumbs_down_after_answer": "answered", "escalated_after_answer": "escalated",
        "escalated_unverified": "escalated", "greeting": "other", "product": "other"}


def test_outcome_breakdown_and_rates_follow_the_definitions(shop, known):
    result = numbers(shop)
    assert result["conversations"] == 10
    assert result["outcomes"] == {"escalated": 2, "confirmed": 2, "answered": 2,
                                  "unanswered": 2, "other": 2}
    # (answered + confirmed) / (conversations - other): abandoned chats are not successes.
    assert result["answered_rate"] == 0.5  # 4 / 8
    assert result["confirmed_rate"] == 0.25  # 2 / 8: a thumbs down withdraws a thank-you
    assert result["escalation_rate"] == 0.2  # 2 / 10
    assert result["escalation_reasons"] == {"human_requested": 1, "not_received": 1}


def test_rates_are_null_when_there_is_nothing_to_divide_by(shop, create_conversation):
    assert numbers(shop)["answered_rate"] is None
    create_conversation(shop, NOON, asked_order=False, turns=[Turn("greeting")])
    result = numbers(shop)
    assert (result["answered_rate"], result["confirmed_rate"]) == (None, None)
    assert result["escalation_rate"] == 0.0
    assert result["reply_ms"] == {"p50": 20.0, "p95": 20.0}


def test_a_conversation_spanning_midnight_counts_on_the_local_day_it_started(
        shop, create_conversation):
    late = datetime(2026, 11, 20, 23, 50, tzinfo=LA)  # 07:50 UTC on the 21st
    create_conversation(shop, late, delivered=True, minutes=25)  # ends 00:15 on the 21st
    create_conversation(shop, datetime(2026, 11, 21, 0, 30, tzinfo=LA), delivered=True)
    friday = numbers(shop)
    assert friday["conversations"] == 1
    assert friday["daily"] == [{"date": "2026-11-20", "conversations": 1, "answered": 1,
                                "escalated": 0}]
    assert friday["by_weekday_hour"] == [[4, 23, 1]]  # Friday 23:00 in Los Angeles
    saturday = numbers(shop, DAY + timedelta(days=1), DAY + timedelta(days=1))
    assert saturday["by_weekday_hour"] == [[5, 0, 1]]
    # The same instants in UTC fall on the 21st, at 07:00 and 08:00.
    utc = numbers(shop, DAY + timedelta(days=1), DAY + timedelta(days=1), zone=ZoneInfo("UTC"))
    assert utc["by_weekday_hour"] == [[5, 7, 1], [5, 8, 1]]


def test_daily_trend_lists_every_day_of_the_range(shop, create_conversation):
    create_conversation(shop, NOON, delivered=True)
    create_conversation(shop, NOON, ticket="frustration")
    create_conversation(shop, NOON + timedelta(days=2), delivered=True, thanked=True)
    result = numbers(shop, DAY, DAY + timedelta(days=3))
    assert result["daily"] == [
        {"date": "2026-11-20", "conversations": 2, "answered": 1, "escalated": 1},
        {"date": "2026-11-21", "conversations": 0, "answered": 0, "escalated": 0},
        {"date": "2026-11-22", "conversations": 1, "answered": 1, "escalated": 0},
        {"date": "2026-11-23", "conversations": 0, "answered": 0, "escalated": 0}]


def test_reply_time_percentiles_come_from_every_assistant_turn(shop, create_conversation):
    latencies = [10.4, 12, 15, 20, 25, 30, 40, 60, 90, 400]
    create_conversation(shop, NOON, turns=[Turn(latency_ms=ms) for ms in latencies[:6]])
    create_conversation(shop, NOON, turns=[Turn(latency_ms=ms) for ms in latencies[6:]])
    # Nearest rank over 10 turns: p50 is the 5th value, p95 the 10th (whole ms).
    assert numbers(shop)["reply_ms"] == {"p50": 25.0, "p95": 400.0}


def test_llm_turn_share_and_tokens(shop, create_conversation):
    create_conversation(shop, NOON, turns=[Turn(), Turn(used_llm=True, tokens_in=300,
                                                        tokens_out=40)])
    create_conversation(shop, NOON, turns=[Turn(), Turn(used_llm=True, tokens_in=200,
                                                        tokens_out=10), Turn(), Turn()])
    result = numbers(shop)
    assert result["llm_turn_share"] == round(2 / 6, 4)
    assert result["llm_tokens"] == {"in": 500, "out": 50}


def test_top_intents_count_shopper_messages_but_not_typed_details(shop, create_conversation):
    create_conversation(shop, NOON, turns=[Turn("track"), Turn("provide_details"),
                                           Turn("eta")])
    create_conversation(shop, NOON, turns=[Turn("track"), Turn("refund")])
    assert numbers(shop)["top_intents"] == [["track", 2], ["eta", 1], ["refund", 1]]


def test_sentiment_only_where_the_plan_includes_it(shop, create_conversation):
    create_conversation(shop, NOON, sentiment="negative")
    create_conversation(shop, NOON, sentiment="positive")
    create_conversation(shop, NOON - timedelta(days=1), sentiment="neutral")  # previous day
    assert numbers(shop)["sentiment"] is None
    result = numbers(shop, with_sentiment=True)
    assert result["sentiment"] == {"negative": 1, "neutral": 0, "positive": 1}
    assert result["previous"]["sentiment"] == {"negative": 0, "neutral": 1, "positive": 0}
    report = shop_analytics(shop, Period(DAY, DAY, LA), with_sentiment=True)
    assert report.current.sentiment_by_day() == [
        {"date": "2026-11-20", "negative": 1, "neutral": 0, "positive": 1}]


def test_preventable_situations_are_shares_of_the_order_questions(shop, create_conversation):
    create_conversation(shop, NOON, delivered=True, situation="no_tracking")
    create_conversation(shop, NOON, delivered=True, situation="stale_tracking")
    create_conversation(shop, NOON, ticket="not_received", situation="delivered_not_received")
    create_conversation(shop, NOON, delivered=True)
    create_conversation(shop, NOON, asked_order=False)
    shares = shop_analytics(shop, Period(DAY, DAY, LA), with_sentiment=False)\
        .current.situation_shares()
    assert shares == {"no_tracking": {"count": 1, "share": 0.25},
                      "stale_tracking": {"count": 1, "share": 0.25},
                      "delivered_not_received": {"count": 1, "share": 0.25}}


def test_previous_period_has_the_same_length_and_the_same_numbers(shop, create_conversation):
    first, last = date(2026, 11, 10), date(2026, 11, 16)  # 7 days; previous: Nov 3 .. 9
    create_conversation(shop, datetime(2026, 11, 12, 9, tzinfo=LA), delivered=True)
    create_conversation(shop, datetime(2026, 11, 9, 23, 59, tzinfo=LA), ticket="human_requested")
    create_conversation(shop, datetime(2026, 11, 3, 0, 1, tzinfo=LA), delivered=True)
    create_conversation(shop, datetime(2026, 11, 2, 23, 59, tzinfo=LA), delivered=True)  # out
    result = numbers(shop, first, last)
    previous = result["previous"]
    assert (previous["from"], previous["to"]) == ("2026-11-03", "2026-11-09")
    assert result["conversations"] == 1 and previous["conversations"] == 2
    assert previous["outcomes"]["escalated"] == 1 and previous["escalation_rate"] == 0.5
    assert len(previous["daily"]) == 7 and "previous" not in previous
    assert set(previous) == set(result) - {"previous"}


def test_other_shops_conversations_never_count(shop, create_shop, create_conversation):
    other = create_shop(iana_timezone="America/Los_Angeles")
    create_conversation(other, NOON, delivered=True, ticket="frustration")
    create_conversation(shop, NOON, delivered=True)
    result = numbers(shop)
    assert result["conversations"] == 1 and result["escalation_reasons"] == {}


def test_the_json_shape_is_the_contract(shop, known):
    result = numbers(shop)
    assert set(result) == {"from", "to", "timezone", "conversations", "outcomes",
                           "answered_rate", "confirmed_rate", "escalation_rate", "reply_ms",
                           "llm_turn_share", "llm_tokens", "sentiment", "by_weekday_hour",
                           "daily", "top_intents", "escalation_reasons", "previous"}
    assert (result["from"], result["to"], result["timezone"]) == (
        "2026-11-20", "2026-11-20", "America/Los_Angeles")
    assert set(result["reply_ms"]) == {"p50", "p95"} and set(result["llm_tokens"]) == {"in",
                                                                                          "out"}


@pytest.mark.parametrize(("values", "fraction", "expected"), [
    ({5.0: 1}, 0.5, 5.0), ({1.0: 1, 2.0: 1}, 0.5, 1.0), ({1.0: 1, 2.0: 1}, 0.51, 2.0),
    ({1.0: 99, 1000.0: 1}, 0.95, 1.0), ({1.0: 94, 1000.0: 6}, 0.95, 1000.0), ({}, 0.5, None)])
def test_nearest_rank_percentile(values, fraction, expected):
    from collections import Counter
    assert percentile(Counter(values), fraction) == expected


def test_range_parsing_in_the_shop_time_zone():
    now = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)  # still the 20th in Los Angeles
    default = parse_period({}, LA, now)
    assert (default.first, default.last, default.days) == (date(2026, 10, 22), DAY, 30)
    assert default.start_utc == datetime(2026, 10, 22, 7, 0, tzinfo=UTC)  # PDT, UTC-7
    assert default.end_utc == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)  # PST, UTC-8
    chosen = parse_period({"from": "2026-11-01", "to": "2026-11-07"}, LA, now)
    assert chosen.previous() == Period(date(2026, 10, 25), date(2026, 10, 31), LA)
    for bad in ({"from": "2026-11-08", "to": "2026-11-07"}, {"from": "yesterday"},
                {"from": "2024-01-01", "to": "2026-11-07"}):
        with pytest.raises(BadRequest):
            parse_period(bad, LA, now)
