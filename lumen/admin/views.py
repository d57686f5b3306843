"""Admin pages. Each view parses its input, calls one action, commits if it changed anything,
and renders the page (its partial for htmx requests).
"""

from __future__ import annotations

from flask import Response, abort, current_app, g, redirect, request, url_for

from lumen import plans
from lumen.admin import bp, overview
from lumen.admin.rendering import render_page
from lumen.admin.settings_form import TONES, SettingsForm, update_settings
from lumen.admin.theme_embed import embed_status, theme_editor_url
from lumen.auth import devlogin
from lumen.extensions import db
from lumen.models import TicketStatus
from lumen.privacy import pending_data_requests
from lumen.shopify.domains import shop_handle
from lumen.shops import settings_of


@bp.get("/")
def home() -> Response:
    """Home: the app embed (loaded right after), plan and usage, open tickets, data requests."""
    shop = g.shop
    return render_page("home", usage=plans.usage(shop), pricing_url=_pricing_url(shop.domain),
                       theme_editor_url=theme_editor_url(shop),
                       open_tickets=overview.ticket_counts(shop)[TicketStatus.OPEN],
                       data_requests=pending_data_requests(shop))


@bp.get("/embed-status")
def embed_status_panel() -> Response:
    """The app embed panel of Home, read from the live theme (slow: Home loads it lazily)."""
    return render_page("embed_status", status=embed_status(g.shop),
                       theme_editor_url=theme_editor_url(g.shop))


@bp.get("/settings")
def settings() -> Response:
    """Settings: the current values in the form."""
    return settings_page()


@bp.post("/settings")
def save_settings() -> Response:
    """Save the settings; invalid input comes back with its errors and nothing lost (422)."""
    form = SettingsForm.parse(request.form, g.shop)
    if not form.valid:
        return settings_page(form, status_code=422)
    update_settings(g.shop, form)
    db.session.commit()
    return settings_page(form, saved=True)


@bp.get("/dev-login")
def dev_login() -> Response:
    """`lumen demo` only: log in to the demo shop's admin without Shopify."""
    if not devlogin.enabled():
        abort(404)
    return devlogin.log_in(redirect(url_for("admin.home")), secure=request.is_secure)


def settings_page(form: SettingsForm | None = None, status_code: int = 200,
                  saved: bool = False, **notices: str) -> Response:
    """The Settings page: ``form`` (default: the saved settings) and any notices."""
    shop = g.shop
    saved_settings = settings_of(shop)
    form = form or SettingsForm.from_settings(saved_settings)
    return render_page("settings", status_code=status_code, form=form, saved=saved, tones=TONES,
                       may_email=plans.may_use(shop, "escalation_email"),
                       may_persona=plans.may_use(shop, "ai_persona"),
                       email_plan=plans.required_plan_name("escalation_email"),
                       persona_plan=plans.required_plan_name("ai_persona"),
                       saved_email=saved_settings.escalation_email, **notices)


def _pricing_url(domain: str) -> str:
    """Shopify's hosted plan selection page for this app (Shopify App Pricing)."""
    store = shop_handle(domain)
    app_handle = current_app.config["LUMEN_APP_HANDLE"]
    return f"https://admin.shopify.com/store/{store}/charges/{app_handle}/pricing_plans"
