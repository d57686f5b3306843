"""The escalation alert in the demo: a shopper's "it never arrived" reaches the demo outbox,
with the order block and the shopper as Reply-To (no mail server needed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from lumen.models import Plan
from tests.browser.conftest import Demo, served_demo
from tests.browser.test_widget_browser import open_chat, say, screenshot

pytestmark = pytest.mark.browser
TEAM = "support@northwind-outfitters.example"


@pytest.fixture(scope="module")
def pro_demo(tmp_path_factory) -> Iterator[Demo]:
    """``lumen demo --plan pro``: escalation email is a Pro feature."""
    with served_demo(tmp_path_factory.mktemp("pro-demo"), Plan.PRO) as running:
        yield running


def test_a_shopper_escalation_lands_in_the_demo_outbox(pro_demo, open_page, screenshots_dir):
    admin = open_page(width=1280, height=900)
    admin.goto(pro_demo.url + "/admin/")  # the development login lands on Home
    admin.get_by_role("link", name="Settings").click()
    admin.get_by_label("Escalation email").fill(TEAM)
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_role("status")).to_have_text("Settings saved.")
    admin.get_by_role("button", name="Send a test alert").click()
    expect(admin.get_by_role("status")).to_have_text(f"Test alert sent to {TEAM}.")
    admin.screenshot(path=screenshots_dir / "alert-settings-test.png", full_page=True)

    shopper = open_page(width=420, height=860)
    open_chat(shopper, pro_demo.url)
    say(shopper, "Where is my order #1036?")
    assert "delivered" in say(shopper, "sam.okafor@example.com")
    answer = say(shopper, "It says delivered but I never got my package")
    assert "support team" in answer
    screenshot(shopper, screenshots_dir / "alert-shopper-escalates.png")

    admin.goto(pro_demo.url + "/admin/tickets?status=all")
    expect(admin.locator(".alert-status").first).to_contain_text("alert sent")
    admin.screenshot(path=screenshots_dir / "alert-tickets.png", full_page=True)

    admin.get_by_role("link", name="Demo outbox").click()
    expect(admin.get_by_role("heading", name="Demo outbox")).to_be_visible()
    alert = admin.get_by_role("region", name="Message 1")
    headers = alert.locator(".mail-headers")
    expect(headers).to_contain_text("Lumen escalation: order #1036, parcel not received")
    expect(alert.get_by_role("row", name="Reply-To").get_by_role("cell")).to_have_text(
        "sam.okafor@example.com")
    expect(alert.get_by_role("row", name=f"To {TEAM}", exact=True)).to_be_visible()
    text = alert.locator(".mail-text")
    for expected in ("ORDER #1036", "Carrier:   USPS", "9405511899561234570036",
                     "Delivered, in/at mailbox", "I never got my package"):
        expect(text).to_contain_text(expected)
    html = alert.frame_locator("iframe.mail-html")
    expect(html.get_by_role("heading", name="Order #1036")).to_be_visible()
    expect(html.get_by_text("Carrier: USPS")).to_be_visible()
    # The test alert sent first is the older message.
    test_alert = admin.get_by_role("region", name="Message 2")
    expect(test_alert).to_contain_text("Lumen escalation: test alert")
    expect(test_alert.frame_locator("iframe.mail-html").get_by_text(
        "This is a test alert from Lumen")).to_be_visible()
    admin.screenshot(path=screenshots_dir / "alert-outbox.png", full_page=True)
    assert admin.js_errors == [] and shopper.js_errors == []


def test_the_outbox_is_for_the_demo_admin_only(pro_demo, open_page):
    page = open_page()
    response = page.request.get(pro_demo.url + "/demo/outbox", max_redirects=0)
    assert response.status == 302 and response.headers["location"].endswith("/admin/dev-login")
