"""THE shopper turn: one message in, the assistant's replies out, the transcript written.

``answer_message`` feeds the conversation engine the shop, the chat session's state and an
order lookup over Shopify, lets Gemini help where it may, and records the turn. It changes the
chat session (after the view commits) and the transcript, but never commits itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from lumen import plans, transcripts
from lumen.after_commit import after_commit
from lumen.auth import admin_client_for
from lumen.conversation import (
    AttemptLimiter,
    LookupUnavailable,
    SealedOrder,
    SessionState,
    ShopProfile,
    handle_turn,
    seal,
)
from lumen.extensions import db
from lumen.llm import assist as llm_assist
from lumen.models import Shop
from lumen.shopify import AdminClient, ShopifyError
from lumen.shops import settings_of, store_name
from lumen.widget import chat_sessions, limits
from lumen.widget.actions import unavailable_reply


@dataclass(frozen=True)
class AnsweredMessage:
    """The replies to one shopper message and the time spent waiting for Shopify."""

    replies: list[dict[str, Any]]
    shopify_ms: float


def answer_message(shop: Shop, token: str, text: str, client_ip: str) -> AnsweredMessage:
    """Answer one shopper message and record the turn in the transcript."""
    started = time.perf_counter()
    session_id = chat_sessions.read_token(token, shop.id)
    limits.limit_session(session_id)
    stored = chat_sessions.load(session_id)
    if stored.conversation_id is None and not plans.conversation_allowed(shop):
        # A conversation already under way may finish; a new one waits for next month.
        return AnsweredMessage([unavailable_reply(shop).to_dict()], 0.0)
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
    conversation = transcripts.conversation_for(shop, stored.conversation_id)
    transcripts.record_turn(conversation, text, replies, result, latency_ms, assist)
    stored = chat_sessions.StoredSession(result.state.to_dict(), conversation.id)
    # The chat session moves on only with its transcript.
    after_commit(lambda: chat_sessions.save(session_id, stored))
    return AnsweredMessage(replies, lookup.elapsed_ms)


def shop_profile(shop: Shop) -> ShopProfile:
    """What the engine may know about the shop: its name and how it writes order numbers."""
    settings = settings_of(shop)
    return ShopProfile(shop_id=shop.id, domain=shop.domain, store_name=store_name(shop.domain),
                       order_name_prefix=settings.order_name_prefix,
                       order_name_suffix=settings.order_name_suffix)


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
