"""The webhook blueprint's one auth gate: the HMAC Shopify computes over the raw body.

Nothing in a delivery is trusted until ``verify_webhook_req`` has checked the
X-Shopify-Hmac-Sha256 header against the exact bytes received. Only the body is signed, so
the shop, topic and id headers are then checked against each other and against the body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Request, g, request
from shopify_app import verify_webhook_req

from lumen.auth.shopify_io import app_config
from lumen.errors import ApiError
from lumen.models import utcnow
from lumen.shopify.domains import is_shop_domain
from lumen.webhooks import bp
from lumen.webhooks.payloads import check_fresh, check_shape

# The signature covers the body only, so the URL handed to the verifier does not matter;
# a fixed one keeps a hostile Host header out of what it parses and logs.
_VERIFY_URL = "https://webhooks.invalid/"


@dataclass(frozen=True)
class Webhook:
    """A delivery whose body Shopify signed, with the headers that name it."""

    topic: str
    shop_domain: str
    webhook_id: str
    payload: dict[str, Any]
    received_at: datetime


@bp.before_request
def verify_webhook() -> None:
    """Refuse any delivery whose body is not signed with the app's secret (401)."""
    body = signed_body(request)
    if body is None:
        raise ApiError(401, "invalid_hmac", "The webhook signature is missing or invalid.")
    g.webhook = read_delivery(request, body)


def signed_body(req: Request) -> str | None:
    """The raw body as text when its HMAC header is valid for this app, else None."""
    try:
        body = req.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        return None  # Shopify sends UTF-8 JSON; other bytes cannot carry a valid signature
    result = verify_webhook_req(
        {"method": req.method, "headers": dict(req.headers), "url": _VERIFY_URL, "body": body},
        app_config())
    # A missing header (the library suggests 400) is refused like a wrong one: nothing vouches
    # for the body either way, and Shopify's review expects 401.
    return body if result.ok else None


def read_delivery(req: Request, body: str) -> Webhook:
    """The verified delivery's topic, shop, id and JSON payload; 400 when they disagree."""
    topic = req.headers.get("X-Shopify-Topic", "")
    shop_domain = req.headers.get("X-Shopify-Shop-Domain", "").lower()
    webhook_id = req.headers.get("X-Shopify-Webhook-Id", "")
    if not topic or not webhook_id or len(webhook_id) > 100 or not is_shop_domain(shop_domain):
        raise ApiError(400, "invalid_headers",
                       "X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id "
                       "are required.")
    if (req.view_args or {}).get("topic", topic) != topic:
        raise ApiError(400, "topic_mismatch", "X-Shopify-Topic does not match the URL.")
    payload = _json_object(body)
    # The headers are not signed: the body must be one written for this topic and shop.
    check_shape(topic, shop_domain, payload)
    received_at = utcnow()
    check_fresh(req.headers.get("X-Shopify-Triggered-At"), received_at)
    return Webhook(topic, shop_domain, webhook_id, payload, received_at)


def _json_object(body: str) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_payload", "The payload must be a JSON object.")
    return payload
