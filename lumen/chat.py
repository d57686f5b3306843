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
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from lumen import plans, ratelimit, sessions, tickets
from lumen.auth import admin_client_for
from lumen.conversation import (
    AttemptLimiter,
    Link,
    LookupUnavailable,
    Reply,
    SealedOrder,
    SessionState,
    ShopProfile,
    TurnResult,
    handle_turn,
    seal,
)
from lumen.conversation.understanding import WISMO_INTENTS
from lumen.errors import ApiError
from lumen.extensions import db
from lumen.llm import assist as llm_assist
from lumen.models import (
    Conversation,
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


class RateLimited(ApiError):
    """Too many requests from one shopper, session or shop; retry after ``retry_after`` s."""

    status = 429
    code = "rate_limited"
    message = "Too many messages. Please wait a moment and try again."

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})
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
    """Open a session with fresh state; the conversation row waits for the first message.

    Past the plan's monthly limit the welcome says politely how to reach the store instead.
    """
    settings = _settings(shop)
    session_id = sessions.new_session_id()
    state = SessionState.new(session_id)
    sessions.save(session_id, sessions.StoredSession(state.to_dict()))
    token = sessions.issue_token(session_id, shop.id)
    if not plans.conversation_allowed(shop):
        return StartedConversation(token, unavailable_reply(shop).text, [])
    return StartedConversation(token, settings.welcome_message, list(settings.quick_prompts))


def take_turn(shop: Shop, token: str, text: str, client_ip: str) -> TurnOutcome:
    """Answer one shopper message and record the turn in the transcript."""
    started = time.perf_counter()
    session_id = sessions.read_token(token, shop.id)
    _enforce(f"widget:session:{session_id}", SESSION_MESSAGES_PER_MINUTE)
    stored = sessions.load(session_id)
    if stored.conversation_id is None and not plans.conversation_allowed(shop):
        # A conversation already under way may finish; a new one waits for next month.
        return TurnOutcome([unavailable_reply(shop).to_dict()], 0.0)
    profile, lookup = shop_profile(shop), ShopifyOrderLookup(shop)
    assist = llm_assist.for_turn(shop, stored.conversation_id, profile.store_name)
    # Shopify can take seconds to answer: hand the database connection back to the pool
    # instead of holding it idle (``shop`` keeps the attributes already loaded).
    db.session.close()
    result = handle_turn(SessionState.from_dict(stored.state), text, shop=profile,
                         lookup=lookup, limiter=AttemptLimiter(), client_ip=client_ip,
                         refine=assist.refine)
    assist.finish(result, text)
    replies = [reply.to_dict() for reply in result.replies]
    latency_ms = (time.perf_counter() - started) * 1000
    conversation = _conversation(shop, stored.conversation_id)
    _record_turn(conversation, text, replies, result, latency_ms, assist)
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
        conversation.refresh_outcome()


def unavailable_reply(shop: Shop) -> Reply:
    """What shoppers read once the shop's plan has no conversations left this month."""
    name = store_name(shop.domain)
    return Reply(f"Sorry, our order assistant isn't available right now. You can still reach "
                 f"the {name} team through the store's contact page.",
                 links=[Link(url=f"https://{shop.domain}/pages/contact", label=f"Contact {name}")])


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
        # The shop's token is refreshed here when due, and a revoked one uninstalls the shop.
        return admin_client_for(self._shop)


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
                                    started_at=utcnow(), llm_turns=0)
        db.session.add(conversation)
        db.session.flush()
    return conversation


def _record_turn(conversation: Conversation, text: str, replies: list[dict[str, Any]],
                 result: TurnResult, latency_ms: float,
                 assist: llm_assist.TurnAssist) -> None:
    """Append the turn's two messages and update the conversation's outcome and metrics."""
    # Both rows name the same columns, so they go to the database in one INSERT.
    db.session.add_all([
        Message(conversation=conversation, role=Role.SHOPPER, text=text, intent=result.intent,
                latency_ms=None, used_llm=False, llm_latency_ms=None, tokens_in=0,
                tokens_out=0, sentiment_score=result.sentiment_score),
        Message(conversation=conversation, role=Role.ASSISTANT, text=transcript_text(replies),
                intent=result.intent, latency_ms=latency_ms, **assist.assistant_metrics(),
                sentiment_score=None),
    ])
    conversation.message_count += 2
    conversation.ended_at = utcnow()
    conversation.order_names = _merged(conversation.order_names, result.order_names)
    conversation.order_ids = _merged(conversation.order_ids, result.state.verified.values())
    conversation.customer_hash = conversation.customer_hash or proven_email_hash(result.state)
    assist.update_conversation(conversation, result.sentiment_score)
    note_outcome_facts(conversation, result, latency_ms, used_llm=assist.used)
    if result.escalation is not None:
        tickets.escalate(conversation, result.escalation)


def _merged(known: list[str], new: Iterable[str]) -> list[str]:
    """``known`` followed by the new entries it lacks, in order."""
    return list(dict.fromkeys([*(known or []), *new]))


def note_outcome_facts(conversation: Conversation, result: TurnResult, latency_ms: float, *,
                       used_llm: bool) -> None:
    """Record what this turn adds to the facts the outcome is decided from, then decide it."""
    # "Thanks" confirms only details already delivered, not a greeting's politeness.
    conversation.thanked = bool(conversation.thanked) or (
        result.intent == "thanks" and bool(conversation.details_delivered))
    conversation.details_delivered = bool(conversation.details_delivered) or result.answered
    conversation.asked_order = bool(conversation.asked_order) or asked_about_order(result)
    conversation.llm_turns = (conversation.llm_turns or 0) + (1 if used_llm else 0)
    if conversation.first_reply_ms is None:
        conversation.first_reply_ms = round(latency_ms, 1)
    conversation.refresh_outcome()


def asked_about_order(result: TurnResult) -> bool:
    """Whether the shopper asked about an order by this turn (a question, number or attempt)."""
    state = result.state
    return (result.intent in WISMO_INTENTS or bool(result.order_names)
            or bool(state.pending_order or state.current_order or state.verified)
            or state.failed_attempts > 0)


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
