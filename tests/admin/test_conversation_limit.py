"""Past the plan's monthly conversation limit the widget says politely that chat is unavailable
and how to reach the store; a conversation already under way may finish."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lumen.devstore import load_fixtures
from lumen.extensions import db
from lumen.models import Conversation, Plan, Shop
from tests.embedded_app import API_SECRET, SHOP
from tests.widget.proxy import Chat, ProxyClient

UNAVAILABLE = "isn't available right now"
LIMITS = {"free": 1, "pro": 3, "pro_plus": 10}


@pytest.fixture
def shop(admin, embedded_app) -> Shop:
    """The development store's shop, installed through the admin, with small plan limits."""
    embedded_app.config["LUMEN_PLAN_LIMITS"] = LIMITS
    admin("/admin/")
    return db.session.scalar(select(Shop).where(Shop.domain == SHOP))


@pytest.fixture
def proxy(embedded_app, shop) -> ProxyClient:
    """The widget API, signed as Shopify's app proxy signs it."""
    return ProxyClient(embedded_app.test_client(), SHOP, API_SECRET)


def conversations() -> int:
    return db.session.scalar(select(func.count(Conversation.id)))


def use_up_the_month(shop: Shop) -> None:
    db.session.add_all(Conversation(shop_id=shop.id, counted_order_id=f"gid://shopify/Order/{n}")
                       for n in range(LIMITS[shop.plan.value]))
    db.session.commit()


def test_under_the_limit_the_chat_answers_with_shopify_data(proxy):
    order = next(order for order in load_fixtures()["orders"] if order["name"] == "#1042")
    chat = Chat(proxy)
    asked = chat.send("Where is order #1042?").get_json()["replies"][0]["text"]
    assert "email" in asked
    replies = chat.send(order["email"]).get_json()["replies"]
    text = " ".join(reply["text"] for reply in replies)
    assert UNAVAILABLE not in text and "#1042" in text
    tracking = order["fulfillments"][0]["trackingInfo"][0]["number"]
    assert tracking in text, "the order came from the development store through Lumen's client"
    assert conversations() == 1


def test_past_the_limit_new_shoppers_are_told_how_to_reach_the_store(proxy, shop):
    use_up_the_month(shop)
    started = proxy.post("api/sessions", {}).get_json()
    assert UNAVAILABLE in started["welcome"] and started["quick_prompts"] == []
    reply = proxy.post("api/messages", {"session": started["session"],
                                        "text": "Where is my order #1042?"}).get_json()
    [answer] = reply["replies"]
    assert UNAVAILABLE in answer["text"] and "1042" not in answer["text"]
    assert answer["links"] == [{"url": f"https://{SHOP}/pages/contact",
                                "label": "Contact Lumen Demo"}]
    assert conversations() == LIMITS["free"], "no conversation is recorded past the limit"


def test_a_conversation_under_way_may_finish(proxy, shop):
    chat = Chat(proxy)
    chat.send("Where is order #1042?")
    assert conversations() == LIMITS["free"]
    follow_up = chat.send("Thanks, has it shipped?").get_json()["replies"][0]["text"]
    assert UNAVAILABLE not in follow_up


def test_a_bigger_plan_has_room_for_more(proxy, shop):
    use_up_the_month(shop)
    shop.plan = Plan.PRO
    db.session.commit()
    assert UNAVAILABLE not in proxy.post("api/sessions", {}).get_json()["welcome"]
