"""Shopify's app proxy, played locally for ``lumen demo`` (and used by tests to sign requests).

Shopify forwards ``https://{shop}/apps/lumen/<path>?<query>`` to the app's proxy URL with the
original query plus ``shop``, ``logged_in_customer_id``, ``path_prefix`` and ``timestamp``,
and ``signature``: the hex HMAC-SHA256, keyed with the app's client secret, of every other
parameter written ``key=value`` (several values joined by commas), sorted and concatenated.
It strips cookies and puts the shopper's IP in X-Forwarded-For. The shim does the same and
dispatches to ``/proxy/<path>`` inside the same app.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, current_app, request
from werkzeug.wrappers import Response

PROXY_PREFIX = "/apps/lumen"
APP_PROXY_PATH = "/proxy"
_FORWARDED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def sign_proxy_query(params: Iterable[tuple[str, str]], secret: str) -> str:
    """The app-proxy ``signature`` of query parameters, computed as Shopify does."""
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    message = "".join(f"{key}={','.join(values)}" for key, values in sorted(grouped.items()))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def signed_proxy_query(shop_domain: str, secret: str, query: Iterable[tuple[str, str]] = (),
                       *, timestamp: int | None = None, customer_id: str = "") -> str:
    """``query`` with the parameters Shopify's proxy appends, signature last."""
    params = [*query, ("shop", shop_domain), ("logged_in_customer_id", customer_id),
              ("path_prefix", PROXY_PREFIX),
              ("timestamp", str(int(time.time()) if timestamp is None else timestamp))]
    return urlencode([*params, ("signature", sign_proxy_query(params, secret))])


def build_proxy_shim(shop_domain: str) -> Blueprint:
    """A blueprint serving PROXY_PREFIX for ``shop_domain`` the way Shopify's proxy would."""
    bp = Blueprint("demo_proxy_shim", __name__, url_prefix=PROXY_PREFIX)

    @bp.route("/<path:_path>", methods=_FORWARDED_METHODS)
    def forward(_path: str) -> Response:
        """Sign the request as Shopify does and answer with what /proxy/<path> answers."""
        return forward_to_app_proxy(shop_domain)

    return bp


def forward_to_app_proxy(shop_domain: str) -> Response:
    """Run the current request through the app at APP_PROXY_PATH, signed for the shop."""
    environ = dict(request.environ)
    # PATH_INFO keeps the raw (WSGI-encoded) path, so the rest of it is passed on untouched.
    environ["PATH_INFO"] = APP_PROXY_PATH + environ["PATH_INFO"][len(PROXY_PREFIX):]
    original = parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True)
    environ["QUERY_STRING"] = signed_proxy_query(
        shop_domain, current_app.config["SHOPIFY_API_SECRET"], original)
    environ["HTTP_X_FORWARDED_FOR"] = request.remote_addr or ""
    environ["HTTP_X_FORWARDED_HOST"] = shop_domain
    environ.pop("HTTP_COOKIE", None)
    return Response.from_app(current_app.wsgi_app, environ, buffered=True)
