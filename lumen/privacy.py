"""What Shopify's privacy webhooks ask of Lumen: forget a store, a customer, or gather their data.

Every function here changes rows in the current session and leaves the commit to its caller
(the jobs in lumen.jobs.privacy), so each request is handled in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from lumen.extensions import db
from lumen.models import (
    Conversation,
    DataRequest,
    Plan,
    Shop,
    Ticket,
    WebhookDelivery,
    utcnow,
)

ORDER_GID_PREFIX = "gid://shopify/Order/"
# How long the merchant can download a gathered data request before it is deleted.
DATA_REQUEST_DAYS = 30
# Shopify retries a webhook for hours, not days; a week of ids is ample for de-duplication.
WEBHOOK_DELIVERY_DAYS = 7


def order_gid(order_id: int | str) -> str:
    """Shopify's global id for an order, from a numeric id (webhooks) or a GID (GraphQL)."""
    text = str(order_id)
    if text.startswith(ORDER_GID_PREFIX):
        return text
    return f"{ORDER_GID_PREFIX}{int(text)}"


def forget_installation(shop: Shop, when: datetime | None = None) -> None:
    """Uninstall: tokens and store configuration go now; conversations follow retention."""
    shop.access_token = None
    shop.access_token_expires_at = None
    shop.refresh_token = None
    shop.refresh_token_expires_at = None
    shop.scopes = ""
    shop.plan = Plan.FREE
    shop.uninstalled_at = when or utcnow()
    shop.settings = None  # delete-orphan: the settings row goes at the next flush


def delete_shop_data(domain: str) -> None:
    """shop/redact: every row about the store, including its webhook records."""
    # Conversations, messages, tickets, settings and data requests cascade from the shop row.
    db.session.execute(delete(Shop).where(Shop.domain == domain))
    db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.shop_domain == domain))


def matching_conversation_ids(shop: Shop, customer_hash: str | None,
                              order_ids: Iterable[str]) -> list[int]:
    """The shop's conversations with this customer's email hash or about one of these orders."""
    wanted = {order_gid(order_id) for order_id in order_ids}
    matches = set()
    if customer_hash:
        matches.update(db.session.scalars(select(Conversation.id).where(
            Conversation.shop_id == shop.id, Conversation.customer_hash == customer_hash)))
    if wanted:
        # Order ids sit in a JSON list; comparing in Python works the same on SQLite and
        # PostgreSQL, and one shop's conversations within retention are few enough to stream.
        rows = db.session.execute(select(Conversation.id, Conversation.order_ids).where(
            Conversation.shop_id == shop.id).execution_options(yield_per=1000))
        matches.update(row.id for row in rows if wanted.intersection(row.order_ids or ()))
    return sorted(matches)


def delete_customer_data(shop: Shop, customer_hash: str | None, order_ids: list[str]) -> int:
    """customers/redact: the customer's conversations, tickets and data-request copies."""
    conversation_ids = matching_conversation_ids(shop, customer_hash, order_ids)
    # Messages and tickets cascade from their conversation.
    db.session.execute(delete(Conversation).where(Conversation.id.in_(conversation_ids)))
    db.session.execute(delete(DataRequest).where(
        DataRequest.id.in_(_matching_data_request_ids(shop, customer_hash, order_ids))))
    return len(conversation_ids)


def _matching_data_request_ids(shop: Shop, customer_hash: str | None,
                               order_ids: list[str]) -> list[int]:
    wanted = {order_gid(order_id) for order_id in order_ids}
    rows = db.session.execute(select(DataRequest.id, DataRequest.customer_hash,
                                     DataRequest.order_ids).where(DataRequest.shop_id == shop.id))
    return [row.id for row in rows
            if (customer_hash and row.customer_hash == customer_hash)
            or wanted.intersection(row.order_ids or ())]


def transcript_of(conversation: Conversation) -> dict[str, Any]:
    """One conversation as the merchant receives it for a data request (already redacted)."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.conversation_id == conversation.id))
    return {
        "started_at": conversation.started_at.isoformat(),
        "ended_at": conversation.ended_at.isoformat() if conversation.ended_at else None,
        "outcome": conversation.outcome.value,
        "orders": list(conversation.order_names),
        "messages": [{"at": message.created_at.isoformat(), "from": message.role.value,
                      "text": message.text} for message in conversation.messages],
        "ticket": None if ticket is None else {
            "reason": ticket.reason, "summary": ticket.summary, "status": ticket.status.value},
    }


def record_data_request(shop: Shop, shopify_request_id: str, customer_hash: str | None,
                        order_ids: list[str]) -> DataRequest:
    """customers/data_request: gather the customer's transcripts; re-running refreshes them."""
    gids = sorted({order_gid(order_id) for order_id in order_ids})
    conversations = db.session.scalars(select(Conversation).where(Conversation.id.in_(
        matching_conversation_ids(shop, customer_hash, gids))).order_by(Conversation.started_at))
    request = db.session.scalar(select(DataRequest).where(
        DataRequest.shop_id == shop.id, DataRequest.shopify_request_id == shopify_request_id))
    if request is None:
        request = DataRequest(shop_id=shop.id, shopify_request_id=shopify_request_id,
                              expires_at=utcnow() + timedelta(days=DATA_REQUEST_DAYS))
        db.session.add(request)
    request.customer_hash = customer_hash
    request.order_ids = gids
    request.transcripts = [transcript_of(conversation) for conversation in conversations]
    return request


def pending_data_requests(shop: Shop) -> list[DataRequest]:
    """The shop's data requests the merchant can still download, newest first."""
    return list(db.session.scalars(select(DataRequest).where(
        DataRequest.shop_id == shop.id, DataRequest.expires_at > utcnow())
        .order_by(DataRequest.created_at.desc(), DataRequest.id.desc())))


def data_request_export(shop: Shop, request_id: int) -> tuple[str, dict[str, Any]] | None:
    """A data request as a file name and JSON document for the merchant; None if not theirs."""
    request = db.session.get(DataRequest, request_id)
    if request is None or request.shop_id != shop.id or request.expires_at <= utcnow():
        return None
    request.downloaded_at = request.downloaded_at or utcnow()
    document = {
        "shop": shop.domain,
        "shopify_data_request_id": request.shopify_request_id,
        "gathered_at": request.created_at.isoformat(),
        "notice": ("Chat transcripts Lumen holds for this customer. Emails, phone numbers, "
                   "postal addresses and order status page links were redacted when the "
                   "messages were stored; Lumen keeps no other personal data about the "
                   "customer."),
        "conversations": request.transcripts,
    }
    return f"lumen-data-request-{request.shopify_request_id}.json", document


def delete_expired_records(now: datetime | None = None) -> tuple[int, int]:
    """Delete expired data requests and old webhook ids; return how many of each."""
    now = now or utcnow()
    requests = db.session.execute(delete(DataRequest).where(DataRequest.expires_at <= now))
    deliveries = db.session.execute(delete(WebhookDelivery).where(
        WebhookDelivery.received_at < now - timedelta(days=WEBHOOK_DELIVERY_DAYS)))
    return requests.rowcount, deliveries.rowcount

