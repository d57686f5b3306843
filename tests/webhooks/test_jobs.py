"""The privacy jobs on their own: safe to re-run, and the daily expiry of what they leave."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from lumen.extensions import db
from lumen.jobs.privacy import (
    expire_privacy_records,
    export_customer_data,
    redact_customer,
    redact_shop,
    uninstall_shop,
)
from lumen.models import Conversation, DataRequest, Shop, WebhookDelivery, utcnow
from lumen.privacy import WEBHOOK_DELIVERY_DAYS, order_gid
from lumen.security import email_hash
from tests.webhooks.conftest import add_conversation


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_every_privacy_job_can_run_twice(create_shop):
    shop = create_shop()
    add_conversation(shop, email="ada@example.com", order_ids=(7001,))
    hashed = email_hash("ada@example.com")
    assert export_customer_data(shop.domain, "1", hashed, []) == export_customer_data(
        shop.domain, "1", hashed, [])
    assert redact_customer(shop.domain, hashed, []) == 1
    assert redact_customer(shop.domain, hashed, []) == 0
    now = utcnow().isoformat()
    assert uninstall_shop(shop.domain, now) is True
    assert uninstall_shop(shop.domain, now) is True
    redact_shop(shop.domain)
    redact_shop(shop.domain)
    assert count(Shop) == count(DataRequest) == 0


def test_order_ids_match_whether_numeric_or_global(create_shop):
    shop = create_shop()
    add_conversation(shop, order_ids=(7002,))
    assert order_gid(7002) == order_gid("7002") == order_gid("gid://shopify/Order/7002")
    assert redact_customer(shop.domain, None, ["7002"]) == 1
    assert count(Conversation) == 0


def test_expiry_deletes_old_data_requests_and_webhook_ids_only(create_shop):
    shop = create_shop()
    now = utcnow()
    db.session.add_all([
        DataRequest(shop_id=shop.id, shopify_request_id="old", expires_at=now - timedelta(1)),
        DataRequest(shop_id=shop.id, shopify_request_id="new", expires_at=now + timedelta(1)),
        WebhookDelivery(webhook_id="old", topic="shop/redact", shop_domain=shop.domain,
                        received_at=now - timedelta(days=WEBHOOK_DELIVERY_DAYS + 1)),
        WebhookDelivery(webhook_id="new", topic="shop/redact", shop_domain=shop.domain,
                        received_at=now - timedelta(days=1)),
    ])
    db.session.commit()
    assert expire_privacy_records() == (1, 1)
    assert db.session.scalars(select(DataRequest.shopify_request_id)).all() == ["new"]
    assert db.session.scalars(select(WebhookDelivery.webhook_id)).all() == ["new"]
