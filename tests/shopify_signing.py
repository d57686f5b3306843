"""Sign requests the way Shopify does, for tests: App Bridge session tokens and webhook HMACs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from typing import Any

import jwt


def session_token(shop: str, *, api_key: str, secret: str, lifetime: int = 60,
                  issued_at: float | None = None, **overrides: Any) -> str:
    """An App Bridge session token (HS256 JWT signed with the app secret) for `shop`.

    `shop` is the myshopify domain; `overrides` replace or add claims (e.g. aud=..., exp=...).
    """
    now = int(time.time() if issued_at is None else issued_at)
    claims = {
        "iss": f"https://{shop}/admin",
        "dest": f"https://{shop}",
        "aud": api_key,
        "sub": "42",
        "exp": now + lifetime,
        "nbf": now,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "sid": uuid.uuid4().hex,
        **overrides,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def sign_webhook(body: bytes, secret: str) -> str:
    """The X-Shopify-Hmac-Sha256 header value for a webhook body: base64 HMAC-SHA256."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
