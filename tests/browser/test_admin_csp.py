"""The admin's Content-Security-Policy in chromium: htmx and Lumen's scripts run under it, and
App Bridge loads from Shopify's CDN when the page is embedded, with no violation reported."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lumen.devstore import load_fixtures
from tests.shopify_signing import session_token

pytestmark = pytest.mark.browser
# App Bridge itself is Shopify's (no network here): a stand-in that says it ran.
APP_BRIDGE_STAND_IN = "window.__appBridgeRan = true;"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (event) => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));
"""


def csp_page(open_page):
    page = open_page(width=1280, height=900)
    page.add_init_script(RECORD_VIOLATIONS)
    page.route("https://cdn.shopify.com/**", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=APP_BRIDGE_STAND_IN))
    return page


def test_htmx_navigation_works_under_the_csp(demo, open_page):
    page = csp_page(open_page)
    page.goto(demo.url + "/admin/")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    assert "script-src 'self'" in page.evaluate(
        "fetch('/admin/settings').then(r => r.headers.get('content-security-policy'))")
    assert page.evaluate("window.__violations") == [] and page.js_errors == []


def test_app_bridge_loads_from_shopifys_cdn_under_the_csp(demo, open_page, screenshots_dir):
    config, shop = demo.app.config, load_fixtures()["shop"]
    token = session_token(shop, api_key=config["SHOPIFY_API_KEY"],
                          secret=config["SHOPIFY_API_SECRET"])
    page = csp_page(open_page)
    response = page.goto(f"{demo.url}/admin/?embedded=1&shop={shop}&host=aG9zdA&id_token={token}")
    assert "https://cdn.shopify.com" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    assert page.evaluate("window.__appBridgeRan") is True
    page.screenshot(path=screenshots_dir / "admin-embedded-csp.png", full_page=True)
    assert page.evaluate("window.__violations") == []
