"""Webhook fixtures: signed deliveries as Shopify sends them, and a queue that only records."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from rq import Queue

from lumen.extensions import db
from lumen.models import Conversation, Message, Role, Ticket, utcnow
from lumen.privacy import order_gid
from lumen.security import email_hash
from tests.shopify_signing import sign_webhook

TOPICS = ["app/uninstalled", "app_subscriptions/update", "shop/redact", "customers/redact",
          "customers/data_request"]


class WebhookSender:
    """Posts webhooks to the app exactly as Shopify delivers them (signed raw JSON body)."""

    def __init__(self, client):
        self.client = client

    @property
    def secret(self) -> str:
        """The app's current client secret (read at send time: fixtures may change it)."""
        return self.client.application.config["SHOPIFY_API_SECRET"]

    def post(self, topic: str, payload: Any, shop_domain: str, *, webhook_id: str | None = None,
             body: bytes | None = None, signature: str | None = None,
             headers: dict[str, str] | None = None, path_topic: str | None = None):
        """Deliver ``payload`` (or raw ``body``) for ``topic``; return the test response."""
        body = json.dumps(payload).encode() if body is None else body
        all_headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": shop_domain,
            "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
            "X-Shopify-Api-Version": "2026-04",
            "X-Shopify-Hmac-Sha256": (sign_webhook(body, self.secret)
                                      if signature is None else signature),
            **(headers or {}),
        }
        return self.client.post(f"/webhooks/{path_topic or topic}", data=body,
                                headers=all_headers)


@pytest.fixture
def webhooks(client) -> WebhookSender:
    """Signed deliveries with the app's secret."""
    return WebhookSender(client)


@pytest.fixture
def recorded_jobs(app) -> Queue:
    """Swap the inline queue for one that keeps jobs queued, so tests can count them."""
    queue = Queue("lumen", connection=app.extensions["redis"], is_async=True)
    app.extensions["rq"] = queue
    return queue


def payload_for(topic: str, shop, *, email: str = "ada@example.com",
                order_ids: tuple[int, ...] = (1001,)) -> dict[str, Any]:
    """A payload shaped like Shopify's sample for ``topic``."""
    shop_id = 1_000_000 + shop.id
    customer = {"id": 191167, "email": email, "phone": "555-625-1199"}
    return {
        "app/uninstalled": {"id": shop_id, "name": "Test shop", "domain": shop.domain,
                            "myshopify_domain": shop.domain},
        "app_subscriptions/update": {"app_subscription": {
            "admin_graphql_api_id": "gid://shopify/AppSubscription/1", "name": "Pro",
            "status": "ACTIVE", "admin_graphql_api_shop_id": f"gid://shopify/Shop/{shop_id}"}},
        "shop/redact": {"shop_id": shop_id, "shop_domain": shop.domain},
        "customers/redact": {"shop_id": shop_id, "shop_domain": shop.domain,
                             "customer": customer, "orders_to_redact": list(order_ids)},
        "customers/data_request": {"shop_id": shop_id, "shop_domain": shop.domain,
                                   "customer": customer, "orders_requested": list(order_ids),
                                   "data_request": {"id": 9999}},
    }[topic]


def add_conversation(shop, *, email: str | None = None, order_ids: tuple[int, ...] = (),
                     text: str = "where is my order?", days_old: int = 0,
                     ticket: bool = True) -> Conversation:
    """A stored conversation as the chat layer leaves it: hash, orders, messages, a ticket."""
    conversation = Conversation(
        shop_id=shop.id, customer_hash=email_hash(email) if email else None,
        order_names=[f"#{order_id}" for order_id in order_ids],
        order_ids=[order_gid(order_id) for order_id in order_ids],
        started_at=utcnow() - timedelta(days=days_old), message_count=2)
    conversation.messages.extend([Message(role=Role.SHOPPER, text=text),
                                  Message(role=Role.ASSISTANT, text="Your order has shipped.")])
    db.session.add(conversation)
    db.session.flush()
    if ticket:
        db.session.add(Ticket(shop_id=shop.id, conversation_id=conversation.id,
                              reason="human_requested", summary="wants a person"))
    db.session.commit()
    return conversation
