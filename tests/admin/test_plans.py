"""Plans: one answer to "may this shop use feature X", monthly limits, App Pricing subscriptions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from lumen import plans
from lumen.config import ConfigError, load_config
from lumen.extensions import db
from lumen.models import Conversation, Plan
from lumen.schema import validate_document

# Every gated feature and the plans that include it (from the product's pricing).
EXPECTED = {
    "escalation_email": {Plan.PRO, Plan.PRO_PLUS},
    "store_policy_answers": {Plan.PRO, Plan.PRO_PLUS},
    "ai_persona": {Plan.PRO_PLUS},
    "sentiment_analytics": {Plan.PRO_PLUS},
}


def test_every_feature_is_gated():
    assert set(EXPECTED) == set(plans.FEATURES)


@pytest.mark.parametrize("feature", sorted(EXPECTED))
@pytest.mark.parametrize("plan", list(Plan))
def test_may_use(create_shop, feature, plan):
    shop = create_shop(plan=plan)
    assert plans.may_use(shop, feature) is (plan in EXPECTED[feature])


def test_an_unknown_feature_is_a_bug_not_a_no(create_shop):
    with pytest.raises(ValueError, match="unknown feature 'teleport'"):
        plans.may_use(create_shop(), "teleport")


def month(day: int, month_number: int = 3) -> datetime:
    return datetime(2026, month_number, day, 12, tzinfo=UTC)


ORDER_IDS = itertools.count(1)


def add_conversations(shop, *moments: datetime) -> None:
    """Conversations that each verified a different order (so each counts)."""
    db.session.add_all(Conversation(shop_id=shop.id, started_at=moment,
                                    counted_order_id=f"gid://shopify/Order/{next(ORDER_IDS)}")
                       for moment in moments)
    db.session.commit()


def test_only_conversations_with_a_verified_order_count_each_order_once(app, create_shop):
    shop = create_shop()
    db.session.add_all([
        Conversation(shop_id=shop.id, started_at=month(2)),
        Conversation(shop_id=shop.id, started_at=month(3), counted_order_id="gid://o/1"),
        Conversation(shop_id=shop.id, started_at=month(4), counted_order_id="gid://o/1"),
        Conversation(shop_id=shop.id, started_at=month(5), counted_order_id="gid://o/2"),
    ])
    db.session.commit()
    assert plans.usage(shop, now=month(20)).conversations == 2


def test_usage_counts_this_calendar_month_only(app, create_shop):
    shop = create_shop()
    add_conversations(shop, month(28, 2), month(1), month(15))
    other = create_shop()
    add_conversations(other, month(2))
    usage = plans.usage(shop, now=month(20))
    assert (usage.plan, usage.conversations, usage.limit) == (Plan.FREE, 2, 100)
    assert usage.plan_name == "Free" and not usage.exhausted


@pytest.mark.parametrize(("plan", "limit"), [(Plan.FREE, 2), (Plan.PRO, 3), (Plan.PRO_PLUS, 4)])
def test_conversations_stop_at_the_plans_monthly_limit(app, create_shop, plan, limit):
    app.config["LUMEN_PLAN_LIMITS"] = {"free": 2, "pro": 3, "pro_plus": 4}
    shop = create_shop(plan=plan)
    add_conversations(shop, *[month(2)] * (limit - 1))
    assert plans.conversation_allowed(shop, now=month(3))
    add_conversations(shop, month(3))
    assert not plans.conversation_allowed(shop, now=month(3))
    assert plans.conversation_allowed(shop, now=month(1, 4)), "a new month starts afresh"


def test_a_shop_far_from_its_limit_is_not_recounted_for_half_a_minute(app, create_shop,
                                                                       monkeypatch):
    shop = create_shop()  # Free: 100 a month
    counts = []
    usage = plans.usage
    monkeypatch.setattr(plans, "usage", lambda *args: counts.append(1) or usage(*args))
    at = month(3)
    assert plans.conversation_allowed(shop, now=at)
    assert plans.conversation_allowed(shop, now=at + timedelta(seconds=29))
    assert len(counts) == 1
    assert plans.conversation_allowed(shop, now=at + timedelta(seconds=31))
    assert len(counts) == 2


def test_a_shop_near_its_limit_is_counted_every_time(app, create_shop, monkeypatch):
    app.config["LUMEN_PLAN_LIMITS"] = {"free": 60, "pro": 2000, "pro_plus": 10000}
    shop = create_shop()
    add_conversations(shop, *[month(2)] * 10)  # 50 left: within the margin
    counts = []
    usage = plans.usage
    monkeypatch.setattr(plans, "usage", lambda *args: counts.append(1) or usage(*args))
    assert plans.conversation_allowed(shop, now=month(3))
    assert plans.conversation_allowed(shop, now=month(3))
    assert len(counts) == 2


def test_plan_limits_are_configurable():
    assert load_config({})["LUMEN_PLAN_LIMITS"] == {"free": 100, "pro": 2000, "pro_plus": 10000}
    limits = load_config({"LUMEN_PLAN_LIMITS": "free=50, pro_plus=20000"})["LUMEN_PLAN_LIMITS"]
    assert limits == {"free": 50, "pro": 2000, "pro_plus": 20000}


@pytest.mark.parametrize("raw", ["free", "gold=5", "pro=-1", "pro=lots"])
def test_malformed_plan_limits_are_named(raw):
    with pytest.raises(ConfigError, match="LUMEN_PLAN_LIMITS is malformed"):
        load_config({"LUMEN_PLAN_LIMITS": raw})


@pytest.mark.parametrize(("subscriptions", "plan"), [
    ([], Plan.FREE),
    ([{"name": "Pro", "status": "ACTIVE"}], Plan.PRO),
    ([{"name": "Pro+", "status": "ACTIVE"}], Plan.PRO_PLUS),
    ([{"name": "Pro Plus", "status": "ACTIVE"}], Plan.PRO_PLUS),
    ([{"name": "Pro", "status": "CANCELLED"}], Plan.FREE),
    ([{"name": "Pro", "status": "PENDING"}], Plan.FREE),
    ([{"name": "Enterprise", "status": "ACTIVE"}], Plan.FREE),
])
def test_the_plan_comes_from_the_active_subscription(subscriptions, plan):
    assert plans.plan_from_subscriptions(subscriptions) is plan


def test_the_subscription_query_is_valid_against_shopifys_schema():
    assert validate_document(plans.CURRENT_SUBSCRIPTIONS) == []
