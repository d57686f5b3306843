"""The development store's webhook sender: signed deliveries to the app, as Shopify makes them.

Shopify POSTs the JSON body with X-Shopify-Topic, X-Shopify-Shop-Domain, X-Shopify-Webhook-Id,
X-Shopify-Api-Version and X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body, keyed
with the app's client secret), to ``<app url>/webhooks/<topic>`` (shopify.app.toml's uris).

From a shell (secret from SHOPIFY_API_SECRET, as ``lumen demo`` honours it)::

    python -m lumen.devstore.webhooks customers/redact --shop demo.myshopify.com \
        --payload payload.json --app-url http://127.0.0.1:5000
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from lumen.shopify import API_VERSION


def webhook_signature(body: bytes, secret: str) -> str:
    """The X-Shopify-Hmac-Sha256 value for ``body``."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def webhook_headers(topic: str, shop_domain: str, body: bytes, secret: str, *,
                    webhook_id: str | None = None) -> dict[str, str]:
    """The headers of one delivery (a fresh webhook id unless one is given, for retries)."""
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop_domain,
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-Event-Id": str(uuid.uuid4()),
        "X-Shopify-Api-Version": API_VERSION,
        "X-Shopify-Triggered-At": datetime.now(UTC).isoformat(),
        "X-Shopify-Hmac-Sha256": webhook_signature(body, secret),
    }


def send_webhook(app_url: str, topic: str, shop_domain: str, payload: dict[str, Any],
                 secret: str, *, webhook_id: str | None = None,
                 timeout: float = 10.0) -> httpx.Response:
    """POST a signed ``topic`` delivery about ``shop_domain`` to the app at ``app_url``."""
    body = json.dumps(payload).encode()
    headers = webhook_headers(topic, shop_domain, body, secret, webhook_id=webhook_id)
    url = f"{app_url.rstrip('/')}/webhooks/{topic}"
    return httpx.post(url, content=body, headers=headers, timeout=timeout)


def main(argv: list[str] | None = None) -> int:
    """Send one webhook from the command line; exit 0 when the app answered 2xx."""
    parser = argparse.ArgumentParser(prog="python -m lumen.devstore.webhooks",
                                     description="Send a signed Shopify webhook to Lumen.")
    parser.add_argument("topic", help="e.g. app/uninstalled, customers/redact, shop/redact")
    parser.add_argument("--shop", required=True, help="the shop's myshopify domain")
    parser.add_argument("--payload", type=Path, required=True, help="JSON body file")
    parser.add_argument("--app-url", default="http://127.0.0.1:5000")
    parser.add_argument("--webhook-id", help="repeat an id to test de-duplication")
    args = parser.parse_args(argv)
    secret = os.environ.get("SHOPIFY_API_SECRET")
    if not secret:
        parser.error("set SHOPIFY_API_SECRET to the app's secret")
    response = send_webhook(args.app_url, args.topic, args.shop,
                            json.loads(args.payload.read_text()), secret,
                            webhook_id=args.webhook_id)
    print(response.status_code, response.text)
    return 0 if response.is_success else 1


if __name__ == "__main__":
    sys.exit(main())
