"""Admin pages: the full page on a document load, only the page's partial for htmx requests."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, make_response, render_template, request, url_for

from lumen.extensions import htmx

# The query parameters Shopify adds to the app URL that links must keep (the patch-id-token
# page needs `shop`; App Bridge reads `host`); id_token, hmac and friends are single-use.
CARRIED_PARAMETERS = ("shop", "host", "embedded", "locale")

NAVIGATION = (("admin.home", "Home"), ("admin.conversations", "Conversations"),
              ("admin.tickets", "Tickets"), ("admin.analytics", "Analytics"),
              ("admin.settings", "Settings"))


def render_page(page: str, status_code: int = 200, **context: Any) -> Response:
    """Render `templates/admin/_{page}.html` alone for htmx, else inside the full layout."""
    template = "admin/partial.html" if wants_partial() else "admin/layout.html"
    html = render_template(template, page=page, partial=f"admin/_{page}.html", **context)
    return make_response(html, status_code)


def wants_partial() -> bool:
    """True for htmx requests, except history restores, which need the whole page."""
    return bool(htmx) and not htmx.history_restore_request


def admin_url(endpoint: str, **values: Any) -> str:
    """url_for an admin page, keeping the Shopify parameters of the current request."""
    carried = {name: request.args[name] for name in CARRIED_PARAMETERS if name in request.args}
    return url_for(endpoint, **carried, **values)


def layout_context() -> dict[str, Any]:
    """What every admin template may use (a context processor of the admin blueprint)."""
    verified_admin = g.get("verified_admin")
    return {
        "admin_url": admin_url,
        "navigation": NAVIGATION,
        "shop": g.get("shop"),
        "app_bridge": bool(verified_admin and verified_admin.embedded),
        "api_key": current_app.config["SHOPIFY_API_KEY"],
        "nav_counts": nav_counts,
    }


def nav_counts() -> dict[str, int]:
    """Counts the navigation shows beside its links: the shop's open tickets."""
    from lumen.admin.overview import ticket_counts
    from lumen.models import TicketStatus

    shop = g.get("shop")
    if shop is None:
        return {}
    return {"admin.tickets": ticket_counts(shop)[TicketStatus.OPEN]}
