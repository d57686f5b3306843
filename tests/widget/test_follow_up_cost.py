"""What a turn costs in Admin API calls: the order number is one name search, the email one
read by id, and follow-ups about a verified order read it by id with one small query, or not at
all when this conversation read it seconds ago."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lumen.devstore import create_devstore_app
from lumen.devstore.ledger import CallLedger
from lumen.extensions import db
from lumen.models import Shop, ShopSettings
from lumen.queue import get_redis
from lumen.widget import order_cache
from lumen.widget.turn import ShopifyOrderLookup
from tests.conftest import TEST_SECRETS, make_app, served_on_loopback
from tests.widget.conftest import FIXTURES, SHOP_DOMAIN, STORE_TOKEN, order
from tests.widget.proxy import Chat, ProxyClient

ORDER = "#1042"


@pytest.fixture
def store():
    ledger = CallLedger(create_devstore_app(
        FIXTURES, access_tokens={STORE_TOKEN}, bucket_size=1_000_000, restore_rate=1_000_000))
    with served_on_loopback(ledger) as ledger.url:
        yield ledger


@pytest.fixture
def chat(tmp_path, store):
    app = make_app(tmp_path, LUMEN_SHOPIFY_ADMIN_URL=store.url)
    with app.app_context():
        db.create_all()
        db.session.add(Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                            settings=ShopSettings()))
        db.session.commit()
        yield Chat(ProxyClient(app.test_client(), SHOP_DOMAIN,
                               TEST_SECRETS["SHOPIFY_API_SECRET"]))
        db.session.remove()


def verify(chat: Chat, store: CallLedger) -> None:
    chat.say(f"Where is order {ORDER}?")
    assert "matches the order" in chat.say(order(ORDER)["email"])
    store.take()


def forget_cached_orders() -> None:
    for key in get_redis().scan_iter(order_cache.KEY_PREFIX + "*"):
        get_redis().delete(key)


def test_the_order_number_is_one_search_and_the_email_one_read_by_id(chat, store):
    assert "email" in chat.say(f"Where is order {ORDER}?")
    assert [call.operation for call in store.take()] == ["OrderCandidates"]
    assert "matches the order" in chat.say(order(ORDER)["email"])
    [call] = store.take()
    assert call.operation == "OrderFollowUp" and call.requested < 60


def test_an_email_given_first_is_compared_in_the_order_number_turn(chat, store):
    chat.say("My email is " + order(ORDER)["email"])
    store.take()
    assert "matches the order" in chat.say(f"Where is order {ORDER}?")
    assert [call.operation for call in store.take()] == ["OrderCandidates", "OrderFollowUp"]


def test_a_kept_id_answers_only_for_the_name_it_was_found_by(chat, store):
    # As when the order was renamed after the shopper gave its number: read by id, not found.
    shop = db.session.scalar(select(Shop))
    lookup = ShopifyOrderLookup(shop, "session", {}, located={"#1043": order(ORDER)["id"]})
    assert lookup("#1043") is None
    assert [call.operation for call in store.take()] == ["OrderFollowUp"]


def test_a_follow_up_right_after_verifying_asks_shopify_nothing(chat, store):
    verify(chat, store)
    url = order(ORDER)["fulfillments"][0]["trackingInfo"][0]["url"]
    assert url in chat.say("Can I get the tracking link?")
    assert store.take() == []


def test_a_later_follow_up_is_one_query_by_id_under_60_points(chat, store):
    verify(chat, store)
    forget_cached_orders()  # as when the cache entry has expired
    assert "has been shipped" in chat.say("Has it shipped?")
    [call] = store.take()
    assert call.operation == "OrderFollowUp" and call.requested < 60
    chat.say("When will it arrive?")
    assert store.take() == []  # read again just now: cached again


def test_the_cached_order_holds_no_email_and_expires_within_seconds(chat, store):
    verify(chat, store)
    [key] = list(get_redis().scan_iter(order_cache.KEY_PREFIX + "*"))
    cached = get_redis().get(key).decode()
    assert order(ORDER)["email"].split("@")[0] not in cached
    assert ORDER not in key.decode()
    assert 0 < get_redis().ttl(key) <= order_cache.CACHE_SECONDS


def test_an_unverified_order_is_never_cached(chat, store):
    chat.say(f"Where is order {ORDER}?")
    chat.say("nobody@example.com")
    assert list(get_redis().scan_iter(order_cache.KEY_PREFIX + "*")) == []


def test_a_cached_order_of_another_conversation_is_not_used(chat, store):
    verify(chat, store)
    other = Chat(chat.proxy)
    other.say(f"Where is order {ORDER}?")
    assert store.take()  # a new conversation asks Shopify itself
    url = order(ORDER)["fulfillments"][0]["trackingInfo"][0]["url"]
    assert url not in other.say("Can I get the tracking link?")
