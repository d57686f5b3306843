"""Uninstall and the compliance topics, end to end: signed delivery -> job -> the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lumen.extensions import db
from lumen.jobs.privacy import redact_customer, uninstall_shop
from lumen.jobs.retention import purge_shop
from lumen.models import Conversation, DataRequest, Plan, Shop, ShopSettings, utcnow
from lumen.privacy import data_request_export
from lumen.security import email_hash
from tests.webhooks.conftest import add_conversation, payload_for
from tests.webhooks.dbscan import rows_reachable_from, rows_still_present, tables_mentioning


@pytest.fixture
def shop(create_shop):
    """An installed shop with expiring tokens, a paid plan and configured settings."""
    return create_shop(domain="doomed.myshopify.com", refresh_token="shprt_refresh",
                       access_token_expires_at=utcnow() + timedelta(hours=1), plan=Plan.PRO)


@pytest.fixture
def bystander(create_shop):
    """Another shop whose data no webhook about ``shop`` may touch."""
    shop = create_shop(domain="bystander.myshopify.com")
    add_conversation(shop, email="ada@example.com", order_ids=(1001,))
    return shop


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_uninstall_deletes_tokens_and_configuration_at_once(webhooks, shop, bystander):
    add_conversation(shop, email="ada@example.com", order_ids=(1001,))
    response = webhooks.post("app/uninstalled", payload_for("app/uninstalled", shop), shop.domain)
    assert response.get_json() == {"status": "accepted"}
    db.session.expire_all()
    stored = db.session.get(Shop, shop.id)
    assert (stored.access_token, stored.refresh_token) == (None, None)
    assert stored.access_token_expires_at is None and stored.uninstalled_at is not None
    assert stored.plan is Plan.FREE and not stored.is_installed
    assert db.session.get(ShopSettings, shop.id) is None
    assert tables_mentioning("shpat_test_token", "shprt_refresh") == {}
    # Conversations follow the retention policy instead of going with the configuration.
    assert count(Conversation) == 2
    assert db.session.get(ShopSettings, bystander.id) is not None


def test_after_uninstall_conversations_expire_with_the_default_retention(app, webhooks, shop):
    shop.settings.retention_days = 365
    db.session.commit()
    add_conversation(shop, days_old=app.config["LUMEN_RETENTION_DAYS"] + 1)
    recent_id = add_conversation(shop, days_old=1).id
    webhooks.post("app/uninstalled", payload_for("app/uninstalled", shop), shop.domain)
    assert purge_shop(shop.id) == 1
    assert db.session.scalars(select(Conversation.id)).all() == [recent_id]


def test_a_late_uninstall_job_spares_a_newer_installation(shop):
    webhook_arrived = shop.installed_at - timedelta(minutes=5)
    assert uninstall_shop(shop.domain, webhook_arrived.isoformat()) is False
    db.session.expire_all()
    assert shop.access_token == "shpat_test_token" and shop.settings is not None


def test_uninstall_of_an_unknown_shop_is_a_no_op(app):
    assert uninstall_shop("ghost.myshopify.com", utcnow().isoformat()) is False


def test_shop_redact_leaves_nothing_of_the_shop_in_any_table(webhooks, shop, bystander):
    domain = shop.domain
    add_conversation(shop, email="ada@example.com", order_ids=(2001,), text="marker-shop-text")
    add_conversation(shop, order_ids=(2002,))
    db.session.add(DataRequest(shop_id=shop.id, shopify_request_id="77", customer_hash="h",
                               expires_at=utcnow() + timedelta(days=30)))
    db.session.commit()
    webhooks.post("app/uninstalled", payload_for("app/uninstalled", shop), shop.domain)
    owned = rows_reachable_from("shops", {shop.id})
    assert set(owned) >= {"shops", "shop_settings", "conversations", "messages", "tickets",
                          "data_requests"}

    response = webhooks.post("shop/redact", payload_for("shop/redact", shop), domain)

    assert response.get_json() == {"status": "accepted"}
    assert rows_still_present(owned) == {}
    assert tables_mentioning(domain, "marker-shop-text", "gid://shopify/Order/2001") == {}
    assert tables_mentioning(bystander.domain)  # the other shop is untouched
    assert count(Conversation) == 1


def test_shop_redact_is_safe_to_repeat_for_a_forgotten_shop(webhooks, shop):
    domain, payload = shop.domain, payload_for("shop/redact", shop)
    assert webhooks.post("shop/redact", payload, domain).status_code == 200
    assert webhooks.post("shop/redact", payload, domain).status_code == 200
    assert tables_mentioning(domain) == {}


def test_customer_redact_deletes_by_email_hash_and_by_order(webhooks, shop, bystander):
    by_email = add_conversation(shop, email="Ada@Example.com", text="marker-by-email")
    by_order = add_conversation(shop, order_ids=(3001,), text="marker-by-order")
    someone_else_id = add_conversation(shop, email="bob@example.com", order_ids=(3002,)).id
    owned = rows_reachable_from("conversations", {by_email.id, by_order.id})
    payload = payload_for("customers/redact", shop, email="ada@example.com",
                          order_ids=(3001,))

    response = webhooks.post("customers/redact", payload, shop.domain)

    assert response.get_json() == {"status": "accepted"}
    assert rows_still_present(owned) == {}
    assert set(owned) == {"conversations", "messages", "tickets"}
    assert tables_mentioning("marker-by-email", "marker-by-order") == {}
    # The same customer's chat in another store is that store's to redact.
    assert tables_mentioning(email_hash("ada@example.com"),
                             "gid://shopify/Order/1001") == {"conversations": 1}
    assert set(db.session.scalars(select(Conversation.shop_id).where(
        Conversation.customer_hash == email_hash("ada@example.com")))) == {bystander.id}
    assert db.session.get(Conversation, someone_else_id) is not None


def test_customer_redact_without_an_email_matches_orders_only(webhooks, shop):
    add_conversation(shop, order_ids=(4001, 4002))
    unrelated_id = add_conversation(shop, email="ada@example.com", order_ids=(4003,)).id
    payload = payload_for("customers/redact", shop, order_ids=(4002,))
    payload["customer"]["email"] = None
    webhooks.post("customers/redact", payload, shop.domain)
    assert set(db.session.scalars(select(Conversation.id))) == {unrelated_id}


def test_customer_redact_also_deletes_gathered_data_requests(webhooks, shop):
    add_conversation(shop, email="ada@example.com", order_ids=(5001,))
    webhooks.post("customers/data_request",
                  payload_for("customers/data_request", shop, order_ids=(5001,)), shop.domain)
    assert count(DataRequest) == 1
    webhooks.post("customers/redact", payload_for("customers/redact", shop, order_ids=()),
                  shop.domain)
    assert count(DataRequest) == 0
    assert tables_mentioning(email_hash("ada@example.com"), "gid://shopify/Order/5001") == {}


def test_customer_redact_for_an_unknown_shop_deletes_nothing(app, bystander):
    assert redact_customer("ghost.myshopify.com", email_hash("ada@example.com"),
                           ["gid://shopify/Order/1001"]) == 0
    assert count(Conversation) == 1


def test_data_request_gathers_the_redacted_transcripts_for_the_merchant(webhooks, shop,
                                                                         bystander):
    add_conversation(shop, email="ada@example.com", order_ids=(6001,),
                     text="it is ada@example.com, call +44 20 7946 0958")
    add_conversation(shop, order_ids=(6002,), text="second order")
    add_conversation(shop, email="bob@example.com", text="not ada")
    payload = payload_for("customers/data_request", shop, order_ids=(6002,))

    webhooks.post("customers/data_request", payload, shop.domain)

    [request] = db.session.scalars(select(DataRequest)).all()
    assert request.shop_id == shop.id and request.shopify_request_id == "9999"
    assert request.expires_at > utcnow() + timedelta(days=29)
    texts = [message["text"] for conversation in request.transcripts
             for message in conversation["messages"]]
    assert "it is [email], call [phone]" in texts and "second order" in texts
    assert "not ada" not in texts
    assert tables_mentioning("ada@example.com", "7946 0958") == {}


def test_data_request_rerun_refreshes_instead_of_duplicating(webhooks, shop):
    payload = payload_for("customers/data_request", shop)
    webhooks.post("customers/data_request", payload, shop.domain)
    add_conversation(shop, email="ada@example.com", text="a later chat")
    webhooks.post("customers/data_request", payload, shop.domain)  # a new webhook id
    [request] = db.session.scalars(select(DataRequest)).all()
    assert [c["messages"][0]["text"] for c in request.transcripts] == ["a later chat"]


def test_data_request_export_is_only_for_its_own_shop_until_it_expires(webhooks, shop,
                                                                        bystander):
    add_conversation(shop, email="ada@example.com", text="hello")
    webhooks.post("customers/data_request", payload_for("customers/data_request", shop),
                  shop.domain)
    request = db.session.scalars(select(DataRequest)).one()
    filename, document = data_request_export(shop, request.id)
    assert filename == "lumen-data-request-9999.json"
    assert document["shop"] == shop.domain and "redacted" in document["notice"]
    assert document["conversations"][0]["messages"][0]["text"] == "hello"
    assert request.downloaded_at is not None
    assert data_request_export(bystander, request.id) is None
    request.expires_at = utcnow() - timedelta(seconds=1)
    assert data_request_export(shop, request.id) is None
