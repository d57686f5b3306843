"""Store-policy answers through the widget API, policies served by the development store."""

from __future__ import annotations

import pytest

from lumen.extensions import db
from lumen.models import Plan
from lumen.queue import get_redis
from lumen.widget.store_policies import CACHE_SECONDS, cache_key
from tests.widget.conftest import FIXTURES
from tests.widget.proxy import Chat

POLICIES = {policy["type"]: policy for policy in FIXTURES["policies"]}
REFUND_URL = POLICIES["REFUND_POLICY"]["url"]
SHIPPING_URL = POLICIES["SHIPPING_POLICY"]["url"]


@pytest.fixture
def on_plan(shop):
    """Put the fixtures' shop on a plan."""
    def change(plan: Plan):
        shop.plan = plan
        db.session.commit()
    return change


def ask(proxy, text: str) -> dict:
    """The only reply of a new session to ``text``, as JSON (a policy question opens no
    ticket: the reply offers the team instead)."""
    response = Chat(proxy).send(text)
    assert response.status_code == 200, response.get_data(as_text=True)
    replies = response.get_json()["replies"]
    assert len(replies) == 1, replies
    return replies[0]


@pytest.mark.parametrize("plan", [Plan.PRO, Plan.PRO_PLUS])
def test_paid_plans_quote_the_refund_policy_with_a_link(proxy, on_plan, plan):
    on_plan(plan)
    reply = ask(proxy, "What's your return policy?")
    assert "you can return it within 30 days of delivery" in reply["text"]
    assert reply["text"].startswith("From the store's refund policy: \u201c")
    assert [link["url"] for link in reply["links"]] == [REFUND_URL]
    assert "Talk to a person" in reply["quick_replies"]


def test_the_passage_follows_the_question(proxy, on_plan):
    on_plan(Plan.PRO)
    assert "5 to 10 business days" in ask(proxy, "how long do refunds take?")["text"]
    assert "Sale items, gift cards" in ask(
        proxy, "what is your policy on returning sale items")["text"]
    assert "the customer pays return shipping" in ask(
        proxy, "who pays for return shipping from abroad?")["text"]


@pytest.mark.parametrize(("question", "expected"), [
    ("how long does shipping take to Canada?", "Canada: Standard delivery: 5 to 8 business days"),
    ("do you ship to Australia?", "Australia and New Zealand: Standard delivery: 8 to 14"),
    ("do you deliver to germany", "European Union: Standard delivery: 7 to 12"),
    ("shipping to the UK how long", "United Kingdom: Standard delivery: 6 to 10"),
])
def test_country_questions_quote_the_row_of_the_shipping_table(proxy, on_plan, question,
                                                               expected):
    on_plan(Plan.PRO)
    reply = ask(proxy, question)
    assert expected in reply["text"]
    assert [link["url"] for link in reply["links"]] == [SHIPPING_URL]
    assert "what's your order number?" in reply["text"]


def test_a_country_the_policy_does_not_name_is_said_so(proxy, on_plan):
    on_plan(Plan.PRO)
    reply = ask(proxy, "do you ship to Brazil?")
    assert "doesn't mention Brazil" in reply["text"]
    assert [link["url"] for link in reply["links"]] == [SHIPPING_URL]


def test_free_shops_get_the_link_without_a_quote(proxy):
    reply = ask(proxy, "What's your return policy?")
    assert reply["text"].startswith("You'll find the store's refund policy here.")
    assert "30 days" not in reply["text"]
    assert [link["url"] for link in reply["links"]] == [REFUND_URL]


def test_policies_are_cached_per_shop_briefly(app, proxy, on_plan, shop, monkeypatch):
    on_plan(Plan.PRO)
    ask(proxy, "What's your return policy?")
    assert 0 < get_redis().ttl(cache_key(shop.id)) <= CACHE_SECONDS

    def no_shopify(*args, **kwargs):
        raise AssertionError("policies should come from the cache")
    monkeypatch.setattr("lumen.widget.store_policies.admin_client_for", no_shopify)
    assert "Canada" in ask(proxy, "how long does shipping take to Canada?")["text"]


def test_an_unreadable_policy_offers_the_team(app, proxy, on_plan, monkeypatch):
    from lumen.shopify import ShopifyError

    def down(*args, **kwargs):
        raise ShopifyError("Shopify is down")
    on_plan(Plan.PRO)
    monkeypatch.setattr("lumen.widget.store_policies.admin_client_for", down)
    reply = ask(proxy, "What's your return policy?")
    assert reply["text"].startswith("I don't have the store's return policy here")
    assert "Talk to a person" in reply["quick_replies"]
