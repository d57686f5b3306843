"""The widget blueprint's one auth gate: Shopify's app-proxy signature names the shop.

Nothing in a widget request is trusted until ``verify_app_proxy_req`` has checked the HMAC
Shopify adds to the query string (and refused stale timestamps); the shop then comes only
from that verified query, and must be an installed shop.
"""

from __future__ import annotations

import ipaddress
import time

from flask import Request, current_app, g, request
from shopify_app import verify_app_proxy_req

from lumen.auth.shopify_io import app_config
from lumen.shopify.domains import shop_domain
from lumen.shops import shop_for_domain
from lumen.widget import bp, limits
from lumen.widget.errors import ApiError

# Only the query string is signed, so the host and path given to the verifier do not matter;
# a fixed base keeps a hostile Host header or path out of the URL it parses.
_VERIFY_BASE_URL = "https://app-proxy.invalid/"
UNKNOWN_IP = "unknown"


@bp.before_request
def verify_proxy_request() -> None:
    """Refuse any request without a valid, fresh app-proxy signature for an installed shop."""
    g.request_started, g.shopify_ms = time.perf_counter(), 0.0
    shop_handle = verified_shop_handle(request)
    if shop_handle is None:
        raise ApiError(401, "invalid_signature", "The request is not signed by Shopify.")
    # Settings come in the same query: every endpoint reads them.
    shop = shop_for_domain(shop_domain(shop_handle), with_settings=True)
    if shop is None or not shop.is_installed:
        raise ApiError(401, "unknown_shop", "Lumen is not installed on this shop.")
    g.shop = shop
    g.client_ip = shopper_ip(request)


@bp.before_request
def limit_request_rate() -> None:
    """Per shopper IP and per shop request limits, shared by every web process."""
    limits.limit_client(g.shop, g.client_ip)


def verified_shop_handle(req: Request) -> str | None:
    """The shop handle (``NAME`` of NAME.myshopify.com) from a verified proxy query, or None."""
    query = req.query_string.decode("latin-1")
    request_input = {"method": req.method, "headers": {}, "body": "",
                     "url": f"{_VERIFY_BASE_URL}?{query}"}
    try:
        result = verify_app_proxy_req(request_input, app_config())
    except (TypeError, ValueError):
        # hmac.compare_digest raises TypeError on a non-ASCII signature: a forgery, not a bug.
        return None
    return result.shop if result.ok and result.shop else None


def shopper_ip(req: Request) -> str:
    """The shopper's address as Shopify's proxy forwarded it, never the proxy's own address.

    Shopify's proxy puts the client's IP in X-Forwarded-For. Entries further left may have
    been written by the shopper, so the address is read from the right, skipping the hops
    our own load balancers append (LUMEN_TRUSTED_PROXY_HOPS, default 0).
    """
    hops = [hop.strip() for hop in req.headers.get("X-Forwarded-For", "").split(",")]
    hops = [hop for hop in hops if hop]
    trusted = current_app.config["LUMEN_TRUSTED_PROXY_HOPS"]
    if len(hops) <= trusted:
        return UNKNOWN_IP
    try:
        return str(ipaddress.ip_address(hops[-1 - trusted]))
    except ValueError:
        return UNKNOWN_IP
