"""One small handler per topic: take what its job needs from the payload and enqueue it.

Handlers run inside the request, so they only read the payload (and at most one row) and hand
plain values to an RQ job. The customer's email is hashed here, so no job payload holds it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lumen.errors import ApiError
from lumen.jobs.billing import refresh_plan
from lumen.jobs.privacy import export_customer_data, redact_customer, redact_shop, uninstall_shop
from lumen.privacy import order_gid
from lumen.queue import enqueue
from lumen.security import email_hash
from lumen.shops import shop_for_domain
from lumen.webhooks.hmac_auth import Webhook

# Deleting a large shop's data can take a while; the default job timeout is for small jobs.
PRIVACY_JOB_TIMEOUT = 600


def on_app_uninstalled(webhook: Webhook) -> None:
    """Tokens and store configuration go at once; conversations follow retention."""
    enqueue(uninstall_shop, webhook.shop_domain, webhook.received_at.isoformat())


def on_app_subscriptions_update(webhook: Webhook) -> None:
    """The merchant's plan changed: read the active subscription again."""
    shop = shop_for_domain(webhook.shop_domain)
    if shop is not None:
        enqueue(refresh_plan, shop.id)


def on_shop_redact(webhook: Webhook) -> None:
    """48 hours after uninstall: delete everything about the store."""
    enqueue(redact_shop, webhook.shop_domain, timeout=PRIVACY_JOB_TIMEOUT)


def on_customers_redact(webhook: Webhook) -> None:
    """Delete one customer's conversations, found by email hash and by order."""
    enqueue(redact_customer, webhook.shop_domain, customer_hash(webhook.payload),
            order_ids(webhook.payload, "orders_to_redact"), timeout=PRIVACY_JOB_TIMEOUT)


def on_customers_data_request(webhook: Webhook) -> None:
    """Gather one customer's transcripts for the merchant to download."""
    request = webhook.payload.get("data_request")
    request_id = request.get("id") if isinstance(request, dict) else None
    enqueue(export_customer_data, webhook.shop_domain, str(request_id or webhook.webhook_id),
            customer_hash(webhook.payload), order_ids(webhook.payload, "orders_requested"),
            timeout=PRIVACY_JOB_TIMEOUT)


HANDLERS: dict[str, Callable[[Webhook], None]] = {
    "app/uninstalled": on_app_uninstalled,
    "app_subscriptions/update": on_app_subscriptions_update,
    "shop/redact": on_shop_redact,
    "customers/redact": on_customers_redact,
    "customers/data_request": on_customers_data_request,
}


def customer_hash(payload: dict[str, Any]) -> str | None:
    """The keyed hash of the payload's customer email, or None when it has none."""
    customer = payload.get("customer")
    email = customer.get("email") if isinstance(customer, dict) else None
    return email_hash(email) if isinstance(email, str) and email.strip() else None


def order_ids(payload: dict[str, Any], key: str) -> list[str]:
    """The order GIDs listed under ``key`` (Shopify sends numeric ids)."""
    values = payload.get(key) or []
    try:
        if not isinstance(values, list):
            raise ValueError(key)
        return [order_gid(value) for value in values]
    except (TypeError, ValueError):
        raise ApiError(400, "invalid_payload", f"{key} must be a list of order ids.") from None
