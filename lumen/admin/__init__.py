"""The embedded admin: one gate (the App Bridge session token), pages, and their errors.

Every request is authenticated before any view runs (`authenticate_request`): inside Shopify by
the session token (`shopify_app.verify_app_home_req`), and in `lumen demo` only by the
development login. The first verified request of a shop installs it (token exchange).
"""

from __future__ import annotations

from flask import Blueprint, Response, g, redirect, request, url_for
from werkzeug.exceptions import HTTPException

from lumen.admin.rendering import layout_context, render_page
from lumen.auth import devlogin
from lumen.auth.admin_auth import AdminAuthRejected, authenticate
from lumen.auth.shopify_io import to_response
from lumen.auth.tokens import InvalidSessionToken, install
from lumen.extensions import htmx
from lumen.jobs.billing import refresh_plan
from lumen.queue import enqueue
from lumen.shopify import ShopifyAuthError, ShopifyError

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.context_processor(layout_context)

# Reachable without a session: the demo's login itself.
PUBLIC_ENDPOINTS = frozenset({"admin.dev_login"})


@bp.before_request
def authenticate_request() -> Response | None:
    """The admin's only gate: a verified shop in `g.shop`, or the response that refuses."""
    # Nothing proven earlier counts (tests reuse one app context, and with it `g`).
    g.pop("verified_admin", None)
    g.pop("shop", None)
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    try:
        g.verified_admin = authenticate(request)
    except AdminAuthRejected as rejected:
        return _refusal(rejected.response)
    try:
        g.shop, installed = install(g.verified_admin)
    except InvalidSessionToken:
        return to_response(g.verified_admin.invalid_token_response)
    if installed:
        # Finishing the installation: the plan comes from the shop's Shopify subscription.
        enqueue(refresh_plan, g.shop.id)
    return None


@bp.after_request
def add_admin_headers(response: Response) -> Response:
    """Every admin response varies on HX-Request, is never sniffed and leaks no referrer path;
    HTML gets the full CSP, framed only by the shop's admin."""
    response.vary.add("HX-Request")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = content_security_policy()
    return response


# Scripts only from Lumen itself and Shopify's CDN (App Bridge, which Shopify requires to load
# from there); no inline script anywhere. App Bridge's web components add inline styles, and
# talk to Shopify's admin and telemetry endpoints.
_SHOPIFY_CDN = "https://cdn.shopify.com"
_POLICY = (
    "default-src 'self'",
    f"script-src 'self' {_SHOPIFY_CDN}",
    f"style-src 'self' 'unsafe-inline' {_SHOPIFY_CDN}",
    f"img-src 'self' data: {_SHOPIFY_CDN}",
    f"font-src 'self' {_SHOPIFY_CDN}",
    "connect-src 'self' https://*.shopify.com https://*.shopifysvc.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def content_security_policy() -> str:
    """The admin's CSP: the fixed policy plus who may frame the page."""
    return "; ".join((*_POLICY, _frame_ancestors()))


@bp.errorhandler(ShopifyAuthError)
def shopify_auth_error(_error: ShopifyAuthError) -> Response:
    """The shop is not installed, or Shopify revoked Lumen's access."""
    return render_page("error", status_code=403, title="Lumen is not connected to this store",
                       message="Open Lumen from your Shopify admin to connect it again.")


@bp.errorhandler(ShopifyError)
def shopify_error(_error: ShopifyError) -> Response:
    """Shopify did not answer in time."""
    return render_page("error", status_code=503, title="Shopify is not answering",
                       message="Nothing was lost. Try again in a moment.")


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Not found, bad request and friends, as an admin page (a partial for htmx)."""
    return render_page("error", status_code=error.code or 500, title=error.name,
                       message=error.description)


def _refusal(response: Response) -> Response:
    if devlogin.enabled() and not htmx and response.status_code == 302:
        # `lumen demo` outside Shopify: App Bridge cannot help, the development login can.
        return redirect(url_for("admin.dev_login"))
    return response


def _frame_ancestors() -> str:
    verified_admin = g.get("verified_admin")
    if verified_admin is None:
        return "frame-ancestors 'none'"
    return f"frame-ancestors https://{verified_admin.shop_domain} https://admin.shopify.com"


from lumen.admin import alerts, data_requests, views  # noqa: E402, F401 - routes register on bp

data_requests.register(bp)
alerts.register(bp)
