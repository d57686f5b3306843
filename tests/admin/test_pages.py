"""Admin pages: full page or htmx partial, CSP on every HTML response, Home, Tickets, Settings."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Conversation, Plan, Shop, Ticket, TicketStatus, utcnow
from tests.admin.test_admin_auth import ROUTES
from tests.embedded_app import API_KEY, SHOP

POLICY = ("default-src 'self'; script-src 'self' https://cdn.shopify.com; "
          "style-src 'self' 'unsafe-inline' https://cdn.shopify.com; "
          "img-src 'self' data: https://cdn.shopify.com; font-src 'self' https://cdn.shopify.com; "
          "connect-src 'self' https://*.shopify.com https://*.shopifysvc.com; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; ")
CSP = POLICY + f"frame-ancestors https://{SHOP} https://admin.shopify.com"
# The JSON twins of pages (analytics.json) are not HTML pages.
GET_PAGES = [path for method, path in ROUTES if method == "GET" and not path.endswith(".json")]
NAV_PAGES = ["/admin/", "/admin/conversations", "/admin/tickets", "/admin/analytics",
             "/admin/settings"]
HOST = "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvbHVtZW4tZGVtbw"


@pytest.fixture
def document(embedded_app, make_token):
    """Factory: a document load as Shopify makes it (id_token, shop and host in the query)."""
    client = embedded_app.test_client()

    def load(path: str, **headers: str):
        query = {"embedded": "1", "host": HOST, "id_token": make_token(), "shop": SHOP}
        return client.get(path, query_string=query, headers=headers)

    return load


@pytest.fixture
def shop(admin) -> Shop:
    """The development store's shop, installed by a first admin load."""
    admin("/admin/")
    return db.session.scalar(select(Shop).where(Shop.domain == SHOP))


@pytest.mark.parametrize("path", GET_PAGES)
def test_every_html_response_may_only_be_framed_by_the_shop_admin(admin, document, path):
    # Routes with an id are called with id 1, which may not exist: their 404 page counts too.
    allowed = {200} if path in NAV_PAGES + ["/admin/embed-status"] else {200, 404}
    for response in (admin(path), document(path)):
        assert response.status_code in allowed and response.mimetype == "text/html"
        assert response.headers["Content-Security-Policy"] == CSP
        assert "HX-Request" in response.headers["Vary"]


def test_error_pages_carry_the_csp_too(admin, embedded_app):
    bad_filter = admin("/admin/tickets?status=lost")
    assert bad_filter.status_code == 400 and bad_filter.headers["Content-Security-Policy"] == CSP
    unknown = embedded_app.test_client().get("/admin/dev-login")
    assert unknown.status_code == 404 and unknown.mimetype == "text/html"
    assert unknown.headers["Content-Security-Policy"] == POLICY + "frame-ancestors 'none'"


def test_admin_responses_are_not_sniffed_and_send_no_referrer_path(admin):
    for response in (admin("/admin/"), admin("/admin/tickets?status=lost")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_csp_lets_app_bridge_load_from_shopifys_cdn_and_nothing_inline(admin):
    response = admin("/admin/", htmx=False, query_string={"embedded": "1", "host": HOST,
                                                         "shop": SHOP})
    directives = dict(part.split(" ", 1) for part in
                      response.headers["Content-Security-Policy"].split("; "))
    assert "https://cdn.shopify.com" in directives["script-src"].split()
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert 'src="https://cdn.shopify.com/shopifycloud/app-bridge.js"' in response.text
    assert "<script>" not in response.text, "inline scripts would be blocked"


@pytest.mark.parametrize("path", NAV_PAGES)
def test_htmx_gets_the_partial_and_a_document_load_the_full_page(admin, document, path):
    partial, full = admin(path), document(path)
    assert b"<html" not in partial.data and b'id="main"' not in partial.data
    assert b'hx-swap-oob="true"' in partial.data, "the partial refreshes the navigation"
    assert full.data.startswith(b"<!doctype html>") and b'id="main"' in full.data
    heading = re.search(rb"<h1>[^<]+</h1>", partial.data).group()
    assert heading in full.data
    assert partial.headers["Vary"] == full.headers["Vary"]
    # Conversations also varies on HX-Target (its filter form asks for the list alone).
    assert partial.headers["Vary"] in ("HX-Request", "HX-Target, HX-Request")


def test_a_history_restore_gets_the_full_page(admin):
    response = admin("/admin/settings", headers={"HX-History-Restore-Request": "true"})
    assert response.data.startswith(b"<!doctype html>")


def test_the_full_page_loads_app_bridge_from_shopify_and_vendored_htmx(document):
    page = document("/admin/").data.decode()
    assert f'<meta name="shopify-api-key" content="{API_KEY}">' in page
    first_script = page.index("<script")
    assert page.startswith('<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js">',
                           first_script), "App Bridge is the first script"
    assert "/static/vendor/htmx/htmx.min.js" in page and "unpkg" not in page
    assert "/static/admin/admin.js" in page and "<ui-nav-menu>" in page


def test_links_keep_shopifys_parameters_but_never_the_session_token(document):
    page = document("/admin/").data.decode()
    links = re.findall(r'href="(/admin/[^"]*)"', page)
    assert links and all(f"host={HOST}" in link and "shop=" in link for link in links)
    assert "id_token" not in " ".join(links)


def test_home_shows_plan_usage_and_the_theme_editor_link(admin, shop):
    for number, days_ago in enumerate((0, 1, 40)):
        started = utcnow() - timedelta(days=days_ago)
        db.session.add(Conversation(shop_id=shop.id, started_at=started,
                                    counted_order_id=f"gid://shopify/Order/{number}"))
    # Neither counts: no verified order, and an order already counted this month.
    db.session.add(Conversation(shop_id=shop.id, started_at=utcnow()))
    db.session.add(Conversation(shop_id=shop.id, started_at=utcnow(),
                                counted_order_id="gid://shopify/Order/0"))
    db.session.commit()
    this_month = sum(1 for c in db.session.scalars(select(Conversation))
                     if c.started_at.month == utcnow().month and c.started_at.year == utcnow().year
                     and c.counted_order_id) - 1
    page = admin("/admin/").data.decode()
    assert f"<strong>{this_month}</strong> of 100 conversations this month" in page
    assert ">Free</span> plan" in page
    assert "used up" not in page
    editor = (f"https://{SHOP}/admin/themes/current/editor?context=apps&amp;activateAppId="
              f"{API_KEY}/lumen-chat")
    assert editor in page
    assert 'hx-get="/admin/embed-status' in page and 'hx-trigger="load"' in page


def test_home_says_when_the_monthly_limit_is_reached(admin, shop, embedded_app):
    embedded_app.config["LUMEN_PLAN_LIMITS"] = {"free": 1, "pro": 2000, "pro_plus": 10000}
    db.session.add(Conversation(shop_id=shop.id, counted_order_id="gid://shopify/Order/1"))
    db.session.commit()
    assert "used up" in admin("/admin/").data.decode()


def test_tickets_lists_open_tickets_first_and_filters(admin, shop):
    first = Conversation(shop_id=shop.id)
    second = Conversation(shop_id=shop.id)
    db.session.add_all([first, second])
    db.session.flush()
    db.session.add_all([
        Ticket(shop_id=shop.id, conversation_id=first.id, reason="not_received",
               summary="Marked delivered, never arrived", order_name="#1042"),
        Ticket(shop_id=shop.id, conversation_id=second.id, reason="human_requested",
               summary="Wants to change the address", status=TicketStatus.CLOSED),
    ])
    db.session.commit()
    open_page = admin("/admin/tickets").data.decode()
    assert "Marked delivered, never arrived" in open_page and "Parcel not received" in open_page
    assert "change the address" not in open_page
    closed_page = admin("/admin/tickets?status=closed").data.decode()
    assert "change the address" in closed_page and "never arrived" not in closed_page
    everything = admin("/admin/tickets?status=all").data.decode()
    assert "change the address" in everything and "never arrived" in everything


def test_tickets_has_an_empty_state(admin):
    assert "No open tickets" in admin("/admin/tickets").data.decode()


def test_conversations_counts_what_is_on_record(admin, shop):
    db.session.add(Conversation(shop_id=shop.id))
    db.session.commit()
    assert "<strong>1</strong> conversation</p>" in admin("/admin/conversations").text


@pytest.mark.parametrize("store_fixtures", [{"main_theme": None}], indirect=True)
def test_embed_status_says_unknown_without_a_published_theme(admin):
    page = admin("/admin/embed-status").data.decode()
    assert "Unknown" in page and "no published theme" in page


def test_shops_only_see_their_own_tickets(admin, shop):
    other = Shop(domain="other-store.myshopify.com", access_token="x", plan=Plan.FREE)
    db.session.add(other)
    db.session.flush()
    conversation = Conversation(shop_id=other.id)
    db.session.add(conversation)
    db.session.flush()
    db.session.add(Ticket(shop_id=other.id, conversation_id=conversation.id, reason="frustration",
                          summary="Another store's ticket"))
    db.session.commit()
    assert "Another store" not in admin("/admin/tickets?status=all").data.decode()


def theme(*, disabled: bool) -> dict:
    """A main theme whose settings list Lumen's app embed block."""
    block = {"type": "shopify://apps/lumen/blocks/lumen-chat/0f1e2d3c", "disabled": disabled,
             "settings": {"position": "bottom-right"}}
    return {"name": "Dawn", "settings_data": {"current": {"blocks": {"1234": block}}}}


@pytest.mark.parametrize(("store_fixtures", "badge", "action"), [
    ({"main_theme": theme(disabled=False)}, ">On</span>", "Open the theme editor"),
    ({"main_theme": theme(disabled=True)}, ">Off</span>", "Enable in the theme editor"),
], indirect=["store_fixtures"])
def test_home_says_whether_the_app_embed_is_on(admin, badge, action):
    panel = admin("/admin/embed-status").text
    assert badge in panel and action in panel and "“Dawn”" in panel
    assert f"activateAppId={API_KEY}/lumen-chat" in panel and 'target="_top"' in panel


def test_without_the_read_themes_scope_the_embed_state_is_unknown(admin, embedded_app):
    import httpx

    from lumen.auth.tokens import TRANSPORT_EXTENSION

    admin("/admin/")
    embedded_app.extensions[TRANSPORT_EXTENSION] = httpx.MockTransport(
        lambda request: httpx.Response(403, json={"errors": "Access denied for themes field."}))
    panel = admin("/admin/embed-status").text
    assert "Unknown" in panel and "permission to read themes" in panel
