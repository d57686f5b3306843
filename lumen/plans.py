"""Plans (Free, Pro, Pro+) through Shopify App Pricing, and the one question everything asks:
may this shop use this feature? Plus the monthly conversation limit of each plan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam, func, select

from lumen.auth import admin_client_for
from lumen.extensions import db
from lumen.models import Conversation, Plan, Shop, utcnow
from lumen.shopify.queries import CURRENT_SUBSCRIPTIONS

logger = logging.getLogger(__name__)

# The cheapest plan that includes each feature.
FEATURES: dict[str, Plan] = {
    "escalation_email": Plan.PRO,
    "store_policy_answers": Plan.PRO,
    "ai_persona": Plan.PRO_PLUS,
    "sentiment_analytics": Plan.PRO_PLUS,
}
PLAN_ORDER = (Plan.FREE, Plan.PRO, Plan.PRO_PLUS)
PLAN_NAMES = {Plan.FREE: "Free", Plan.PRO: "Pro", Plan.PRO_PLUS: "Pro+"}

_SUBSCRIPTION_PLANS = {"pro": Plan.PRO, "pro+": Plan.PRO_PLUS, "pro plus": Plan.PRO_PLUS,
                       "pro_plus": Plan.PRO_PLUS}


@dataclass(frozen=True)
class Usage:
    """This calendar month's conversations against the plan's limit."""

    plan: Plan
    conversations: int
    limit: int

    @property
    def plan_name(self) -> str:
        """The plan as merchants see it (Free, Pro, Pro+)."""
        return PLAN_NAMES[self.plan]

    @property
    def exhausted(self) -> bool:
        """True once no more conversations may start this month."""
        return self.conversations >= self.limit


def may_use(shop: Shop, feature: str) -> bool:
    """Whether the shop's plan includes `feature` (one of FEATURES; anything else is a bug)."""
    if feature not in FEATURES:
        raise ValueError(f"unknown feature {feature!r}; known: {', '.join(FEATURES)}")
    return PLAN_ORDER.index(shop.plan) >= PLAN_ORDER.index(FEATURES[feature])


def required_plan_name(feature: str) -> str:
    """The name of the cheapest plan that includes `feature`, for upgrade hints."""
    return PLAN_NAMES[FEATURES[feature]]


def monthly_limit(shop: Shop) -> int:
    """How many conversations the shop's plan allows per calendar month (LUMEN_PLAN_LIMITS)."""
    return current_app.config["LUMEN_PLAN_LIMITS"][shop.plan.value]


# This process's last count per (shop id, month start): (when, conversations). Kept in the
# app's extensions so that every app (and test) has its own.
USAGE_COUNTS_EXTENSION = "lumen.plans.recent_counts"
USAGE_RECOUNT_SECONDS = 30
USAGE_RECOUNT_MARGIN = 50
# Built once, so its cache key is too (it runs at every conversation's first message).
_COUNTED_ORDERS = select(func.count(func.distinct(Conversation.counted_order_id))).where(
    Conversation.shop_id == bindparam("shop"), Conversation.started_at >= bindparam("start"),
    Conversation.counted_order_id.is_not(None))


def usage(shop: Shop, now: datetime | None = None) -> Usage:
    """The shop's counted conversations this calendar month (UTC) and its plan's limit.

    A conversation counts once Lumen verified an order in it and answered about it, and each
    order counts once a month however many conversations ask about it. Greetings, guesses
    and escalations cost nothing, so no script can use up a shop's month: it would need that
    many real orders and their emails.
    """
    start = _month_start(now or utcnow())
    count = db.session.scalar(_COUNTED_ORDERS, {"shop": shop.id, "start": start})
    return Usage(shop.plan, count or 0, monthly_limit(shop))


def conversation_allowed(shop: Shop, now: datetime | None = None) -> bool:
    """Whether the shop may start another conversation this month.

    The count reads the month's conversations and runs as every chat starts, so a shop far
    from its limit is not counted again within USAGE_RECOUNT_SECONDS; one with fewer than
    USAGE_RECOUNT_MARGIN conversations left is counted every time, so the limit holds exactly.
    """
    now = now or utcnow()
    key = (shop.id, _month_start(now))
    recent = current_app.extensions.setdefault(USAGE_COUNTS_EXTENSION, {})
    counted = recent.get(key)
    if (counted is not None and (now - counted[0]).total_seconds() < USAGE_RECOUNT_SECONDS
            and monthly_limit(shop) - counted[1] > USAGE_RECOUNT_MARGIN):
        return True
    current = usage(shop, now)
    recent[key] = (now, current.conversations)
    return not current.exhausted


def plan_from_subscriptions(subscriptions: list[dict]) -> Plan:
    """The plan of the shop's ACTIVE App Pricing subscription; none means Free."""
    for subscription in subscriptions:
        if subscription.get("status") != "ACTIVE":
            continue
        name = str(subscription.get("name", "")).strip().casefold()
        if name in _SUBSCRIPTION_PLANS:
            return _SUBSCRIPTION_PLANS[name]
        logger.warning("active subscription %r matches no Lumen plan", name)
    return Plan.FREE


def sync_plan(shop: Shop) -> Plan:
    """Read the shop's subscriptions from Shopify and store its plan (the caller commits)."""
    with admin_client_for(shop) as client:
        data = client.execute(CURRENT_SUBSCRIPTIONS)
    installation = data.get("currentAppInstallation") or {}
    shop.plan = plan_from_subscriptions(installation.get("activeSubscriptions") or [])
    return shop.plan


def _month_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
