"""Real conversations through the widget leave what the analytics count, with known outcomes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from lumen.analytics.period import Period
from lumen.analytics.report import shop_analytics
from lumen.models import utcnow
from tests.widget.conftest import order
from tests.widget.proxy import Chat


def test_widget_conversations_are_counted_by_their_outcome_and_situation(proxy, shop):
    confirmed = Chat(proxy)
    confirmed.say(f"where is order #1077? {order('#1077')['email']}")  # not shipped yet
    confirmed.say("thanks!")
    Chat(proxy).say(f"order 1019 never arrived, {order('#1019')['email']}")  # says delivered
    Chat(proxy).say("Where is my order?")  # and leaves before giving the number
    Chat(proxy).say("order 1050 someone.else@example.com")  # the email does not match
    Chat(proxy).say("hello")

    today = utcnow().date()
    report = shop_analytics(shop, Period(today, today, ZoneInfo("UTC")), with_sentiment=True)
    result = report.as_json()
    assert result["outcomes"] == {"escalated": 1, "confirmed": 1, "answered": 0,
                                  "unanswered": 2, "other": 1}
    assert result["answered_rate"] == 0.25  # 1 of the 4 that asked about an order
    assert result["escalation_reasons"] == {"not_received": 1}
    assert result["reply_ms"]["p50"] > 0 and result["llm_turn_share"] == 0.0
    assert result["daily"][0]["conversations"] == 5
    situations = report.current.situation_shares()
    assert situations["no_tracking"]["count"] == 1
    assert situations["delivered_not_received"]["count"] == 1
    assert situations["stale_tracking"]["count"] == 0
