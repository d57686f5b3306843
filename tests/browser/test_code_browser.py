"""A shopper without the order number in the demo: "I lost my order number", the email, the
one-time code read from the demo outbox, the order list, and the tracking answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_widget_browser import open_chat, say, screenshot

pytestmark = pytest.mark.browser
JORDAN = "jordan.reyes@example.com"  # three demo orders
CODE_SENT = "If that email has orders with us, I've sent a 6-digit code to it."


def test_a_shopper_without_the_order_number_verifies_with_a_code(demo, open_page,
                                                                  screenshots_dir):
    shopper = open_page(width=420, height=860)
    open_chat(shopper, demo.url)
    assert "email address you used at checkout" in say(shopper, "I lost my order number")
    assert CODE_SENT in say(shopper, JORDAN)
    screenshot(shopper, screenshots_dir / "code-1-sent.png")

    # The storefront's demo hint links to the outbox (the demo admin logs in on the way); the
    # open chat panel covers the hint on a phone-sized screen, so the link opens in a new tab.
    link = shopper.get_by_role("link", name="demo outbox")
    assert link.get_attribute("target") == "_blank"
    outbox = shopper.context.new_page()
    outbox.js_errors = []
    outbox.on("pageerror", lambda error: outbox.js_errors.append(str(error)))
    outbox.goto(demo.url + link.get_attribute("href"))
    expect(outbox.get_by_role("heading", name="Demo outbox")).to_be_visible()
    mail = outbox.get_by_role("region", name="Message 1")
    expect(mail.get_by_role("row", name=f"To {JORDAN}", exact=True)).to_be_visible()
    expect(mail.locator(".mail-headers")).to_contain_text("Your Lumen Demo verification code")
    expect(mail.locator(".mail-text")).to_contain_text("didn't ask for this, ignore this email")
    outbox.screenshot(path=screenshots_dir / "code-2-outbox.png", full_page=True)
    code = re.search(r"\b(\d{6})\b", mail.locator(".mail-text").inner_text())[1]

    listing = say(shopper, code)
    for line in ("#1077 · placed", "#1050 · placed", "#1019 · placed"):
        assert line in listing
    assert "USPS" not in listing
    screenshot(shopper, screenshots_dir / "code-3-order-list.png")

    shopper.get_by_role("button", name="#1050").click()
    shopper.wait_for_function("""() => {
      const root = document.querySelector('lumen-chat').shadowRoot;
      return root.querySelector('.log').getAttribute('aria-busy') === 'false'
        && root.querySelector('.log').innerText.includes('Your order #1050');
    }""")
    panel = shopper.locator(".log").inner_text()
    assert "Your order #1050 is in transit" in panel and "9400111899223851050736" in panel
    expect(shopper.get_by_role("link", name="Track package (USPS)")).to_be_visible()
    screenshot(shopper, screenshots_dir / "code-4-tracking.png")
    assert shopper.js_errors == [] and outbox.js_errors == []
