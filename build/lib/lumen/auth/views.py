"""The auth blueprint: Shopify's patch-id-token page, where App Bridge renews a session token."""

from __future__ import annotations

from flask import Response, request
from shopify_app import app_home_patch_id_token

from lumen.auth import bp
from lumen.auth.shopify_io import app_config, request_input, to_response
from lumen.shopify.domains import is_shop_domain


@bp.get("/patch-id-token")
def patch_id_token() -> Response:
    """App Bridge loads here, fetches a fresh session token and reloads `shopify-reload`."""
    if not is_shop_domain(request.args.get("shop")):
        # The shop lands in a CSP header; only a myshopify domain may frame this page.
        return Response("Bad Request", status=400)
    return to_response(app_home_patch_id_token(request_input(request), app_config()).response)
