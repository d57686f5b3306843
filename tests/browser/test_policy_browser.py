"""A shopper asks the demo widget about returns: a link on Free, the quoted passage on Pro."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Plan, Shop
from lumen.queue import get_redis
from tests.browser.test_widget_browser import open_chat, say, screenshot

pytestmark = pytest.mark.browser
REFUND_URL = "https://lumen-demo.myshopify.com/policies/refund-policy"


def set_plan(demo, plan: Plan) -> None:
    """Put the demo shop on ``plan`` (and forget its cached policies)."""
    with demo.app.app_context():
        shop = db.session.scalar(select(Shop))
        shop.plan = plan
        db.session.commit()
        get_redis().flushdb()


def test_free_demo_links_the_refund_policy(demo, open_page, screenshots_dir):
    set_plan(demo, Plan.FREE)
    page = open_page(1280, 800)
    open_chat(page, demo.url)
    answer = say(page, "what's your return policy?")
    assert "refund policy here" in answer and "30 days" not in answer
    link = page.locator("a.link").last
    expect(link).to_have_attribute("href", REFUND_URL)
    screenshot(page, screenshots_dir / "widget-returns-free.png")
    assert page.js_errors == []


def test_pro_demo_quotes_the_refund_policy(demo, open_page, screenshots_dir):
    set_plan(demo, Plan.PRO)
    page = open_page(1280, 800)
    open_chat(page, demo.url)
    answer = say(page, "hi, can i return something i bought? how many days do i have")
    assert "within 30 days of delivery" in answer
    expect(page.locator("a.link").last).to_have_attribute("href", REFUND_URL)
    screenshot(page, screenshots_dir / "widget-returns-pro.png")
    shipping = say(page, "and do you ship to canada?")
    assert "Canada: Standard delivery: 5 to 8 business days" in shipping
    screenshot(page, screenshots_dir / "widget-shipping-canada-pro.png")
    assert page.js_errors == []
