"""The analytics page and its JSON: one gate, one function, the same numbers."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Plan, Shop, utcnow
from tests.analytics.conftest import Turn
from tests.embedded_app import SHOP

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def shop(admin) -> Shop:
    """The development store's shop (installed by a first admin load), in Tokyo."""
    admin("/admin/")
    shop = db.session.scalar(select(Shop).where(Shop.domain == SHOP))
    shop.iana_timezone, shop.timezone_checked_at = "Asia/Tokyo", utcnow()  # no refresh
    db.session.commit()
    return shop


@pytest.fixture
def today(shop) -> str:
    """Today in the shop's time zone."""
    return utcnow().astimezone(TOKYO).date().isoformat()


@pytest.fixture
def history(shop, create_conversation):
    """Today: 2 answered (one confirmed), 1 escalated, 1 unanswered, 1 other; 1 earlier."""
    now = utcnow().astimezone(TOKYO).replace(hour=0, minute=5)
    create_conversation(shop, now, delivered=True, turns=[Turn(latency_ms=30), Turn("eta")])
    create_conversation(shop, now, delivered=True, feedback="up", sentiment="positive")
    create_conversation(shop, now, ticket="human_requested", sentiment="negative",
                        turns=[Turn("human", used_llm=True, tokens_in=120, tokens_out=30)])
    create_conversation(shop, now, situation="no_tracking", delivered=True, thanked=True,
                        feedback="down")
    create_conversation(shop, now, asked_order=True)
    create_conversation(shop, now, asked_order=False, turns=[Turn("greeting")])
    create_conversation(shop, now - timedelta(days=1), delivered=True)


def test_json_has_the_numbers_of_the_known_conversations(admin, history, today):
    response = admin(f"/admin/analytics.json?from={today}&to={today}", htmx=False)
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["timezone"] == "Asia/Tokyo" and data["from"] == data["to"] == today
    assert data["outcomes"] == {"escalated": 1, "confirmed": 1, "answered": 2, "unanswered": 1,
                                "other": 1}
    assert data["answered_rate"] == 0.6 and data["confirmed_rate"] == 0.2
    assert data["escalation_rate"] == round(1 / 6, 4)
    assert data["llm_tokens"] == {"in": 120, "out": 30}
    assert data["sentiment"] is None, "sentiment is a Pro+ feature"
    assert data["previous"]["conversations"] == 1
    assert "HX-Request" in response.headers["Vary"]


def test_the_page_shows_the_same_numbers_as_the_json(admin, history, today):
    query = f"?from={today}&to={today}"
    data = admin("/admin/analytics.json" + query).get_json()
    page = admin("/admin/analytics" + query).data.decode()
    shown = dict(re.findall(r'data-number="([\w.]+)"><strong>([^<]+)</strong>', page))
    assert shown == {"answered_rate": f"{data['answered_rate'] * 100:.1f}%",
                     "confirmed_rate": f"{data['confirmed_rate'] * 100:.1f}%",
                     "escalation_rate": f"{data['escalation_rate'] * 100:.1f}%",
                     "conversations": str(data["conversations"])}
    outcomes = dict(re.findall(r'data-outcome="(\w+)">(\d+)<', page))
    assert {key: int(n) for key, n in outcomes.items()} == data["outcomes"]
    assert f'data-number="reply_ms.p50">{data["reply_ms"]["p50"]:,.0f} ms<' in page
    assert 'data-situation="no_tracking">20.0%<' in page  # 1 of 5 order questions
    charts = json.loads(re.search(r'id="analytics-charts">(.*?)</script>', page).group(1))
    assert charts["outcomes"]["datasets"][0]["data"] == [1, 1, 2, 1, 1]
    assert charts["daily"]["datasets"][0]["data"] == [6]
    assert "sentiment" not in charts


def test_every_chart_has_a_table_and_the_library_is_vendored(admin, history):
    page = admin("/admin/analytics").data.decode()
    for figure in re.findall(r'<figure class="chart".*?</figure>', page, re.S):
        assert "<canvas" in figure and "<table" in figure and 'aria-hidden="true"' in figure
    full = admin("/admin/analytics", htmx=False).data.decode()
    assert 'data-chart-library="/static/vendor/chartjs/chart.umd.min.js"' in full
    assert "cdn.jsdelivr" not in full and "unpkg" not in full


def test_sentiment_over_time_for_pro_plus_and_what_it_would_show_for_others(admin, shop,
                                                                           history, today):
    page = admin("/admin/analytics").data.decode()
    assert "Sentiment over time is part of the Pro+ plan" in page
    assert 'data-chart="sentiment"' not in page
    shop.plan = Plan.PRO_PLUS
    db.session.commit()
    data = admin(f"/admin/analytics.json?from={today}&to={today}").get_json()
    assert data["sentiment"] == {"negative": 1, "neutral": 0, "positive": 1}
    page = admin(f"/admin/analytics?from={today}&to={today}").data.decode()
    assert 'data-chart="sentiment"' in page and "part of the Pro+ plan" not in page


def test_the_zone_comes_from_shopify_when_unknown(admin, shop):
    shop.iana_timezone, shop.timezone_checked_at = None, None
    db.session.commit()
    assert admin("/admin/analytics.json").get_json()["timezone"] == "America/New_York"
    db.session.refresh(shop)
    assert shop.iana_timezone == "America/New_York", "kept for the next request"


def test_the_default_range_is_the_last_30_days_in_the_shop_time_zone(admin, shop, today):
    data = admin("/admin/analytics.json").get_json()
    assert data["to"] == today and len(data["daily"]) == 30
    assert data["previous"]["to"] == (datetime.fromisoformat(data["from"])
                                      - timedelta(days=1)).date().isoformat()


@pytest.mark.parametrize("query", ["from=2026-13-01", "from=2026-11-10&to=2026-11-01",
                                   "from=2020-01-01&to=2026-11-01"])
def test_a_bad_range_is_a_400_page_or_json_alike(admin, shop, query):
    assert admin(f"/admin/analytics?{query}").status_code == 400
    assert admin(f"/admin/analytics.json?{query}").status_code == 400


def test_another_shops_conversations_never_show(admin, shop, create_shop, create_conversation,
                                                today):
    other = create_shop(iana_timezone="Asia/Tokyo")
    create_conversation(other, utcnow(), delivered=True)
    assert admin(f"/admin/analytics.json?from={today}&to={today}").get_json()[
        "conversations"] == 0


def test_analytics_is_behind_the_admin_gate(embedded_app):
    client = embedded_app.test_client()
    for path in ("/admin/analytics", "/admin/analytics.json"):
        assert client.get(path).status_code in (401, 302)


def test_htmx_gets_the_partial_with_the_chart_data(admin, shop):
    partial = admin("/admin/analytics").data.decode()
    assert "<html" not in partial and 'id="analytics-charts"' in partial
    assert 'hx-get="/admin/analytics"' in partial
