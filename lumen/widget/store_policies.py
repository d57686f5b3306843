"""The shop's legal policies for store-policy answers, read from Shopify and cached briefly.

Policies change rarely and every policy question would otherwise cost an Admin API call, so
each shop's policies are kept in Redis for a few minutes (shared by every web process). A
failure to read them is not the shopper's problem: the answer says the policy is not at hand
and offers the store's team.
"""

from __future__ import annotations

import json
import logging

from lumen.auth import admin_client_for
from lumen.conversation.policies import Policy, PolicySource
from lumen.models import Shop
from lumen.queue import get_redis
from lumen.shopify import ShopifyError
from lumen.shopify.queries import SHOP_POLICIES

logger = logging.getLogger(__name__)
CACHE_SECONDS = 300


def cache_key(shop_id: int) -> str:
    """The Redis key holding a shop's policies."""
    return f"lumen:policies:{shop_id}"


def shop_policies(shop: Shop) -> list[Policy]:
    """The shop's policies: from the cache, else from Shopify (then cached); [] if unreadable."""
    cached = get_redis().get(cache_key(shop.id))
    if cached is not None:
        return [Policy.from_shopify(node) for node in json.loads(cached)]
    try:
        with admin_client_for(shop) as client:
            data = client.execute(SHOP_POLICIES)
    except ShopifyError as error:
        logger.warning("could not read the policies of shop %s: %s", shop.id, error)
        return []
    nodes = (data.get("shop") or {}).get("shopPolicies") or []
    policies = [Policy.from_shopify(node) for node in nodes if isinstance(node, dict)]
    get_redis().set(cache_key(shop.id), json.dumps([p.to_dict() for p in policies]),
                    ex=CACHE_SECONDS)
    return policies


def policy_source(shop: Shop) -> PolicySource:
    """The engine's PolicySource for one turn: reads the policies at most once, when asked."""
    read: list[list[Policy]] = []

    def source() -> list[Policy]:
        """The shop's policies (read on first use in this turn)."""
        if not read:
            read.append(shop_policies(shop))
        return read[0]
    return source
