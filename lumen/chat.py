"""Shopper conversation actions: start a session, take a turn, record feedback.

Actions change the session (Redis) and the transcript (database) but never commit; the widget
views do. The conversation engine decides what to answer; this module feeds it the shop, the
session state and an order lookup, and records what happened.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from lumen import ratelimit, sessions, tickets
from lumen.conversation import (
    AttemptLimiter,
    LookupUnavailable,
    SealedOrder,
    SessionState,
    ShopProfile,
    TurnResult,
    handle_turn,
    seal,
)
from lumen.extensions import db
from lumen.models import (
    Conversation,
    ConversationStatus,
    Feedback,
    Message,
    Role,
    Shop,
    ShopSettings,
    utcnow,
)
from lumen.shopify import AdminClient, ShopifyError

RATE_WINDOW_SECONDS = 60
_AFTER_COMMIT = "lumen.chat.after_commit"
# Generous per address: a busy store's shoppers may share one NAT.
IP_REQUESTS_PER_MINUTE = 120
SESSION_MESSAGES_PER_MINUTE = 20
# A sanity ceiling per shop (100 requests a second), far above a real store's chat traffic.
SHOP_REQUESTS_PER_MINUTE = 6000


class RateLimited(Exception):
    """Too many requests from one shopper, session or shop; retry after ``retry_after`` s."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limited; retry after {retry_after}s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class StartedConversation:
    """A new widget session: its token and what the widget shows first."""

    token: str
    welcome: str
    quick_prompts: list[str]


@dataclass(frozen=True)
class TurnOutcome:
    """The replies to one shopper message and the time spent waiting for Shopify."""

    replies: list[dict[str, Any]]
    shopify_ms: float


def throttle_client(shop: Shop, client_ip: str) -> None:
    """Count one widget request against the shopper's IP and the shop; RateLimited if over."""
    _enforce(f"widget:ip:{_keyed_digest(client_ip)}", IP_REQUESTS_PER_MINUTE)
    _enforce(f"widget:shop:{shop.id}", SHOP_REQUESTS_PER_MINUTE)


def _keyed_digest(value: str) -> str:
    # Rate-limit keys name the shopper by a keyed digest, so Redis holds no IP address.
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def _enforce(key: str, limit: int) -> None:
    decision = ratelimit.hit(key, limit, RATE_WINDOW_SECONDS)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


def start_conversation(shop: Shop) -> StartedConversation:
    """Open a session with fresh state; the conversation row waits for the first message."""
    settings = _settings(shop)
    session_id = sessions.new_session_id()
    state = SessionState.new(session_id)
    sessions.save(session_id, sessions.StoredSession(state.to_dict()))
    return StartedConversation(sessions.issue_token(session_id, shop.id),
                               settings.welcome_message, list(settings.quick_prompts))


def take_turn(shop: Shop, token: str, text: str, client_ip: str) -> TurnOutcome:
    """Answer one shopper message and record the turn in the transcript."""
    started = time.perf_counter()
    session_id = sessions.read_token(token, shop.id)
    _enforce(f"widget:session:{session_id}", SESSION_MESSAGES_PER_MINUTE)
    stored = sessions.load(session_id)
    profile, lookup = shop_profile(shop), ShopifyOrderLookup(shop)
    # Shopify can take seconds to answer: hand the database connection back to the pool
    # instead of holding it idle (``shop`` keeps the attributes already loaded).
    db.session.close()
    result = handle_turn(SessionState.from_dict(stored.state), text, shop=profile,
                         lookup=lookup, limiter=AttemptLimiter(), client_ip=client_ip)
    replies = [reply.to_dict() for reply in result.replies]
    latency_ms = (time.perf_counter() - started) * 1000
    conversation = _conversation(shop, stored.conversation_id)
    _record_turn(conversation, text, replies, result, latency_ms)
    stored = sessions.StoredSession(result.state.to_dict(), conversation.id)
    _after_commit(lambda: sessions.save(session_id, stored))
    return TurnOutcome(replies, lookup.elapsed_ms)


def _after_commit(action: Callable[[], None]) -> None:
    """Run ``action`` once the view commits this turn's transcript, and not if it fails.

    The session moves on only with its transcript, and no Redis round trip happens while the
    transaction holds database locks (under gevent, SQLite's lock would stall the worker).
    """
    db.session().info.setdefault(_AFTER_COMMIT, []).append(action)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for action in session.info.pop(_AFTER_COMMIT, []):
        action()


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def record_feedback(shop: Shop, token: str, rating: str) -> None:
    """Keep the shopper's thumbs up or down; ignored before the first message."""
    stored = sessions.load(sessions.read_token(token, shop.id))
    if stored.conversation_id is None:
        return
    conversation = db.session.get(Conversation, stored.conversation_id)
    if conversation is not None and conversation.shop_id == shop.id:
        conversation.feedback = Feedback(rating)


def shop_profile(shop: Shop) -> ShopProfile:
    """What the engine may know about the shop: its name and how it writes order numbers."""
    settings = _settings(shop)
    return ShopProfile(shop_id=shop.id, domain=shop.domain, store_name=store_name(shop.domain),
                       order_name_prefix=settings.order_name_prefix,
                       order_name_suffix=settings.order_name_suffix)


def store_name(domain: str) -> str:
    """A readable store name from its myshopify domain ("blue-fox" -> "Blue Fox")."""
    return domain.removesuffix(".myshopify.com").replace("-", " ").title()


class ShopifyOrderLookup:
    """The engine's OrderLookup over the shop's Admin API, timing Shopify for Server-Timing."""

    def __init__(self, shop: Shop):
        self._shop = shop
        self.elapsed_ms = 0.0

    def __call__(self, order_name: str) -> SealedOrder | None:
        """The sealed order named exactly ``order_name``, or None; LookupUnavailable if down."""
        started = time.perf_counter()
        try:
            order = self._client().find_order_by_name(order_name)
        except ShopifyError as error:
            raise LookupUnavailable(str(error)) from error
        finally:
            self.elapsed_ms += (time.perf_counter() - started) * 1000
        return seal(order) if order is not None else None

    def _client(self) -> AdminClient:
        config = current_app.config
        return AdminClient(self._shop.domain, self._shop.access_token or "",
                           base_url=config.get("LUMEN_SHOPIFY_ADMIN_URL"),
                           timeout=config["LUMEN_SHOPIFY_TIMEOUT"],
                           transport=shared_shopify_transport())


class _KeptOpenTransport(httpx.BaseTransport):
    """An HTTP connection pool that outlives the AdminClient that borrows it."""

    def __init__(self) -> None:
        self._pool = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the shared pool."""
        return self._pool.handle_request(request)

    def close(self) -> None:
        """Keep the pool open: each AdminClient closes its transport when it is done."""


@cache
def shared_shopify_transport() -> httpx.BaseTransport:
    """This process's keep-alive pool for the Admin API.

    A new pool per turn would build a TLS context (tens of milliseconds) and open a new
    connection to Shopify for every lookup.
    """
    return _KeptOpenTransport()


def _settings(shop: Shop) -> ShopSettings:
    # Installation always creates settings; this only guards an incomplete row.
    return shop.settings or default_settings()


def default_settings() -> ShopSettings:
    """Unsaved settings holding the model's column defaults."""
    values = {}
    for column in ShopSettings.__table__.columns:
        default = column.default
        if default is not None and default.is_scalar:
            values[column.key] = default.arg
        elif default is not None and default.is_callable:
            values[column.key] = default.arg(None)
    return ShopSettings(**values)


def _conversation(shop: Shop, conversation_id: int | None) -> Conversation:
    """The session's conversation row, created at its first message."""
    conversation = db.session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None or conversation.shop_id != shop.id:
        # Also after retention deleted it mid-session: the rest is a new record.
        conversation = Conversation(shop_id=shop.id, order_names=[], message_count=0,
                                    started_at=utcnow())
        db.session.add(conversation)
        db.session.flush()
    return conversation


def _record_turn(conversation: Conversation, text: str, replies: list[dict[str, Any]],
                 result: TurnResult, latency_ms: float) -> None:
    """Append the turn's two messages and update the conversation's outcome and metrics."""
    # Both rows name the same columns, so they go to the database in one INSERT.
    db.session.add_all([
        Message(conversation=conversation, role=Role.SHOPPER, text=text, intent=result.intent,
                latency_ms=None, used_llm=False, sentiment_score=result.sentiment_score),
        Message(conversation=conversation, role=Role.ASSISTANT, text=transcript_text(replies),
                intent=result.intent, latency_ms=latency_ms, used_llm=False,
                sentiment_score=None),
    ])
    conversation.message_count += 2
    conversation.ended_at = utcnow()
    conversation.order_names = _merged(conversation.order_names, result.order_names)
    conversation.order_ids = _merged(conversation.order_ids, result.state.verified.values())
    conversation.customer_hash = conversation.customer_hash or proven_email_hash(result.state)
    if result.sentiment_score is not None:
        conversation.sentiment_score = result.sentiment_score
    conversation.status = _status(conversation.status, result)
    if result.escalation is not None:
        tickets.escalate(conversation, result.escalation)


def _merged(known: list[str], new: Iterable[str]) -> list[str]:
    """``known`` followed by the new entries it lacks, in order."""
    return list(dict.fromkeys([*(known or []), *new]))


def _status(current: ConversationStatus, result: TurnResult) -> ConversationStatus:
    # Escalated and resolved are outcomes: a later small-talk turn does not undo them.
    if result.escalation is not None or current is ConversationStatus.ESCALATED:
        return ConversationStatus.ESCALATED
    if result.resolved or current is ConversationStatus.RESOLVED:
        return ConversationStatus.RESOLVED
    return ConversationStatus.PENDING


def proven_email_hash(state: SessionState) -> str | None:
    """The keyed hash of the email this session proved, once it verified an order."""
    hashes = list(state.proven_email_hashes)
    return hashes[0] if hashes else None


def transcript_text(replies: list[dict[str, Any]]) -> str:
    """The assistant's replies as one transcript entry, links written out after each text."""
    parts = []
    for reply in replies:
        links = [f"{link['label']}: {link['url']}" for link in reply.get("links", [])]
        parts.append("\n".join([reply["text"], *links]))
    return "\n\n".join(parts)
