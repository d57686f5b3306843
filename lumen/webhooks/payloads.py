"""What each topic's signed body must look like, so a body cannot be replayed as another topic.

Only the body is signed: the topic, shop and time headers are not. A body must therefore have
the keys of the topic it arrives as, and none of the keys that mark the other topics (a
customers/redact body replayed as shop/redact would otherwise erase the whole shop), and the
shop it names must be the one in X-Shopify-Shop-Domain. Deliveries Shopify triggered too long
ago are refused too: Shopify retries for 4 hours, so nothing real is older than that.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from lumen.errors import ApiError

# For each topic we handle: its keys and the type each must have (Shopify's sample payloads).
SHAPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "app/uninstalled": {"id": int, "myshopify_domain": str},
    "app_subscriptions/update": {"app_subscription": dict},
    "shop/redact": {"shop_id": int, "shop_domain": str},
    "customers/redact": {"shop_id": int, "shop_domain": str, "customer": dict,
                         "orders_to_redact": list},
    "customers/data_request": {"shop_id": int, "shop_domain": str, "customer": dict,
                               "orders_requested": list, "data_request": dict},
}
# Keys that say which topic a body was written for ("id" is in every Shopify object).
_MARKERS = frozenset(key for shape in SHAPES.values() for key in shape) - {"id"}
# Shopify retries a failed delivery 8 times over 4 hours; allow for slow queues and clocks.
MAX_DELIVERY_AGE = timedelta(hours=6)
MAX_CLOCK_SKEW = timedelta(minutes=5)


def check_shape(topic: str, shop_domain: str, payload: dict[str, Any]) -> None:
    """400 unless ``payload`` has ``topic``'s shape and names ``shop_domain`` (when it names
    a shop); topics we do not handle are left to the view, which ignores them."""
    shape = SHAPES.get(topic)
    if shape is None:
        return
    wrong = [key for key, kind in shape.items() if not isinstance(payload.get(key), kind)]
    foreign = sorted((_MARKERS - shape.keys()) & payload.keys())
    if wrong or foreign:
        raise ApiError(400, "payload_mismatch", f"The payload is not a {topic} payload.")
    named = payload.get("shop_domain") or payload.get("myshopify_domain")
    if named is not None and str(named).lower() != shop_domain:
        raise ApiError(400, "shop_mismatch", "The payload is for another shop.")


def check_fresh(triggered_at: str | None, now: datetime) -> None:
    """400 when X-Shopify-Triggered-At is malformed, too old, or in the future."""
    if not triggered_at:
        return  # older API versions do not send it; the signature still holds
    try:
        moment = parse_timestamp(triggered_at)
    except ValueError:
        raise ApiError(400, "invalid_headers", "X-Shopify-Triggered-At is malformed.") from None
    if not now - MAX_DELIVERY_AGE <= moment <= now + MAX_CLOCK_SKEW:
        raise ApiError(400, "stale_delivery", "The delivery was triggered too long ago.")


def parse_timestamp(value: str) -> datetime:
    """An aware datetime from Shopify's ISO 8601 (nanosecond digits and "Z" allowed)."""
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[:min(digits, 6)]}{rest[digits:]}"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment
