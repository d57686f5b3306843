"""`lumen demo` only: a signed cookie that lets the admin open outside Shopify for the demo shop.

It exists only when the demo set LUMEN_DEMO_SHOP, and never when LUMEN_ENV=production, so a
real deployment has no way in except a Shopify session token.
"""

from __future__ import annotations

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "lumen_dev_login"
MAX_AGE_SECONDS = 12 * 3600


def enabled() -> bool:
    """Whether the development login exists in this app (demo, never production)."""
    config = current_app.config
    return bool(config.get("LUMEN_DEMO_SHOP")) and config["LUMEN_ENV"] != "production"


def demo_shop() -> str:
    """The myshopify domain of the demo shop."""
    return current_app.config["LUMEN_DEMO_SHOP"]


def shop_from_cookie(request: Request) -> str | None:
    """The demo shop when the request carries a valid development-login cookie, else None."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or not enabled():
        return None
    try:
        shop = _serializer().loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    return shop if shop == demo_shop() else None


def log_in(response: Response, *, secure: bool) -> Response:
    """Attach the development-login cookie for the demo shop to `response`."""
    response.set_cookie(COOKIE_NAME, _serializer().dumps(demo_shop()), max_age=MAX_AGE_SECONDS,
                        httponly=True, samesite="Lax", secure=secure)
    return response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="lumen.dev-login")
