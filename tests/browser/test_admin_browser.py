"""The embedded admin in headless chromium, on the demo's development login (outside Shopify)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(demo, open_page):
    """A page logged in to the demo shop's admin, recording requests that leave the demo."""
    page = open_page(width=1280, height=900)
    page.outside_requests = []
    page.on("request", lambda request: None if request.url.startswith(demo.url)
            else page.outside_requests.append(request.url))
    page.goto(demo.url + "/admin/")
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    return page


def test_admin_home(admin_page, screenshots_dir):
    page = admin_page
    embed = page.locator("#embed-status")
    expect(embed.locator(".badge")).to_have_text("On")  # loaded by htmx after the page
    expect(embed).to_contain_text("“Dawn”")
    expect(page.get_by_text(re.compile(r"\d+ of 100 conversations this month"))).to_be_visible()
    expect(page.locator(".badge-plan")).to_have_text("Free")
    expect(page.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    page.screenshot(path=screenshots_dir / "admin-home.png", full_page=True)
    assert page.js_errors == []
    assert page.outside_requests == [], "outside Shopify nothing is loaded from a CDN"


def test_navigation_swaps_the_page_and_settings_errors_keep_the_input(admin_page,
                                                                        screenshots_dir):
    page = admin_page
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/settings$"))
    expect(page.get_by_role("link", name="Settings")).to_have_attribute("aria-current", "page")
    page.get_by_label("Welcome message").fill("Hi there! Got an order number?")
    page.get_by_label("Keep conversations for (days)").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing you typed was lost")
    expect(page.get_by_text("Enter a whole number of days from 1 to 365.")).to_be_visible()
    expect(page.get_by_label("Welcome message")).to_have_value("Hi there! Got an order number?")
    page.screenshot(path=screenshots_dir / "admin-settings-error.png", full_page=True)
    page.get_by_label("Keep conversations for (days)").fill("30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Settings saved.")
    page.reload()
    expect(page.get_by_label("Welcome message")).to_have_value("Hi there! Got an order number?")
    expect(page.get_by_label("Keep conversations for (days)")).to_have_value("30")
    assert page.js_errors == [] and page.outside_requests == []
