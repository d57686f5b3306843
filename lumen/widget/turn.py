"""THE shopper turn: one message in, the assistant's replies out, the transcript written.

``answer_message`` feeds the conversation engine the shop, the chat session's state and an
order lookup over Shopify, lets Gemini help where it may, and records the turn. It changes the
chat session (after the view commits) and the transcript, but never commits itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from lumen import plans, transcripts
from lumen.after_commit import after_commit
from lumen.auth import admin_client_for
from lumen.codes.actions import can_send, code_sender
from lumen.conversation import (
    AttemptLimiter,
    LookupUnavailable,
    SealedOrder,
    SessionState,
    ShopProfile,
    TurnResult,
    handle_turn,
    offer_help_if_frustrated,
    seal,
)
from lumen.conversation.policies import Policy, PolicySource
from lumen.conversation.replies import ticket_refused
from lumen.extensions import db
from lumen.llm.assist import LLMUsage, TurnAssist
from lumen.llm.client import get_gemini
from lumen.models import Conversation, Shop
from lumen.sentiment import message_sentiment
from lumen.shopify import AdminClient, ShopifyError
from lumen.shopify.domains import store_name
from lumen.shops import settings_of
from lumen.tickets import actions as tickets
from lumen.widget import chat_sessions, limits, order_cache, store_policies
from lumen.widget.actions import unavailable_reply


@dataclass(frozen=True)
class AnsweredMessage:
    """The replies to one shopper message and the time spent waiting for Shopify."""

    replies: list[dict[str, Any]]
    shopify_ms: float
    # The token for the next request: a new one once the turn verified an order.
    token: str


def answer_message(shop: Shop, token: str, text: str, client_ip: str) -> AnsweredMessage:
    """Answer one shopper message and record the turn in the transcript."""
    started = time.perf_counter()
    session_id = chat_sessions.read_token(token, shop.id)
    limits.limit_session(session_id)
    stored = chat_sessions.load(session_id)
    if stored.conversation_id is None and not plans.conversation_allowed(shop):
        # A conversation already under way may finish; a new one waits for next month.
        return AnsweredMessage([unavailable_reply(shop).to_dict()], 0.0, token)
    verified_before = stored.state.get("verified") or {}
    lookup = ShopifyOrderLookup(shop, stored.state["session_id"], verified_before,
                                located=stored.state.get("located") or {})
    profile = shop_profile(shop)
    result, usage = _converse(shop, profile, stored, text, lookup, client_ip)
    lookup.keep_verified(result.state.verified)
    conversation = transcripts.conversation_for(shop, stored.conversation_id)
    result = _within_ticket_caps(result, conversation, client_ip, profile)
    replies = [reply.to_dict() for reply in result.replies]
    latency_ms = (time.perf_counter() - started) * 1000
    transcripts.record_turn(conversation, result.recorded_text or text, replies, result,
                            latency_ms, usage)
    stored = chat_sessions.StoredSession(result.state.to_dict(), conversation.id)
    token = _next_token(shop, token, session_id, stored, len(verified_before))
    return AnsweredMessage(replies, lookup.elapsed_ms, token)


def _converse(shop: Shop, profile: ShopProfile, stored: chat_sessions.StoredSession, text: str,
              lookup: ShopifyOrderLookup, client_ip: str) -> tuple[TurnResult, LLMUsage]:
    """The engine's answer, Gemini's help where it may, and the message's mood."""
    # Only Gemini reads the shopper's earlier messages (the mood of recent ones is in the state).
    gemini = get_gemini() is not None
    history = transcripts.recent_shopper_messages(stored.conversation_id) if gemini else ()
    assist = _assist_for(shop, history, profile.store_name)
    # Shopify or Gemini can take seconds to answer: the database connection goes back to the
    # pool before the first such wait instead of idling through it (``shop`` keeps the
    # attributes already loaded). A turn that waits for neither keeps it: no second checkout.
    if gemini:
        _release_database()
    lookup.before_waiting = _release_database
    result = handle_turn(SessionState.from_dict(stored.state), text, shop=profile,
                         lookup=lookup, limiter=AttemptLimiter(), client_ip=client_ip,
                         refine=assist.refine, policy_source=_policies_for(shop),
                         send_code=code_sender(shop))
    # A one-time code is shown to neither Gemini nor the transcript ("[code]" instead).
    said = result.recorded_text or text
    result.replies = assist.voice(result.replies, said)
    # Back in the new session without a query: the transcript's flush (the analytics rollup
    # reads the shop's time zone) finds it there instead of selecting it again.
    db.session.add(shop)
    mood = message_sentiment(said, assist.sentiment)
    result.sentiment_score = mood.score
    offer_help_if_frustrated(result, mood.score)
    return result, assist.usage()


def _release_database() -> None:
    """Hand the connection back before waiting on another service (a no-op once done)."""
    db.session.close()


def _policies_for(shop: Shop) -> PolicySource:
    """The shop's policies for this turn, the connection released before they are read."""
    source = store_policies.policy_source(shop)

    def policies() -> list[Policy]:
        """The policies (Redis, else Shopify)."""
        _release_database()
        return source()
    return policies


def _assist_for(shop: Shop, history: tuple[str, ...], store: str) -> TurnAssist:
    """Gemini's help for this turn: the shop's voice (persona on Pro+) and recent messages."""
    settings = settings_of(shop)
    persona = settings.persona if plans.may_use(shop, "ai_persona") else ""
    return TurnAssist.start(history=history, tone=settings.tone, persona=persona,
                            store_name=store, shop_id=shop.id)


def _next_token(shop: Shop, token: str, session_id: str, stored: chat_sessions.StoredSession,
                verified_before: int) -> str:
    """Save the session once the view commits (it moves on only with its transcript); after
    a verification, under a new id, so a token seen before it cannot read the order."""
    if len(stored.state["verified"]) <= verified_before:
        after_commit(lambda: chat_sessions.save(session_id, stored))
        return token
    new_id = chat_sessions.new_session_id()
    after_commit(lambda: chat_sessions.rotate(session_id, new_id, stored))
    return chat_sessions.issue_token(new_id, shop.id)


def _within_ticket_caps(result: TurnResult, conversation: Conversation, client_ip: str,
                        profile: ShopProfile) -> TurnResult:
    """The turn as it stands once the ticket caps have had their say: past them, no ticket,
    and the contact page instead of the words that announced one."""
    if result.escalation is None or tickets.may_open(conversation, result.escalation, client_ip):
        return result
    kept = [reply for reply in result.replies if not reply.announces_ticket]
    refused = ticket_refused(profile.display_name, profile.domain)
    return replace(result, escalation=None, replies=[*kept, refused])


def shop_profile(shop: Shop) -> ShopProfile:
    """What the engine may know about the shop: its name, how it writes order numbers, and
    whether its plan quotes store policies."""
    settings = settings_of(shop)
    return ShopProfile(shop_id=shop.id, domain=shop.domain, store_name=store_name(shop.domain),
                       order_name_prefix=settings.order_name_prefix,
                       order_name_suffix=settings.order_name_suffix,
                       policy_answers=plans.may_use(shop, "store_policy_answers"),
                       email_codes=can_send())


class ShopifyOrderLookup:
    """The engine's OrderLookup over the shop's Admin API, timing Shopify for Server-Timing.

    An order the session found by name before (``locate``) or verified is read by its id (one
    small query, no name search), or, when this conversation read it seconds ago, from
    ``order_cache`` with no query at all. Orders are cached only once verified
    (``keep_verified``).
    """

    def __init__(self, shop: Shop, session_id: str, verified: dict[str, str], *,
                 located: dict[str, str] | None = None):
        self._shop = shop
        self._session_id = session_id
        self._verified = dict(verified)
        self._ids = {**(located or {}), **verified}
        self._fetched: dict[str, dict[str, Any]] = {}
        self.elapsed_ms = 0.0
        self.before_waiting: Callable[[], None] = lambda: None

    def __call__(self, order_name: str) -> SealedOrder | None:
        """The sealed order named exactly ``order_name``, or None; LookupUnavailable if down."""
        order = None
        if order_name in self._verified:
            order = order_cache.cached_order(self._session_id, order_name)
        if order is None:
            order = self._from_shopify(order_name)
            if order is None:
                return None
            self._fetched[order_name] = order
        return seal(order)

    def locate(self, order_name: str) -> str | None:
        """The id of the order named exactly ``order_name`` (a name search only), or None."""
        if order_name in self._ids:
            return self._ids[order_name]
        with self._admin_client() as client:
            return client.find_order_id(order_name)

    def keep_verified(self, verified: dict[str, str]) -> None:
        """Cache the orders read from Shopify this turn that the session has verified."""
        for name, order in self._fetched.items():
            if verified.get(name) == order.get("id"):
                order_cache.keep_order(self._session_id, name, order)

    def _from_shopify(self, order_name: str) -> dict[str, Any] | None:
        with self._admin_client() as client:
            order_id = self._ids.get(order_name)
            if order_id is not None:
                return client.read_order(order_id, order_name)
            return client.find_order_by_name(order_name)

    @contextmanager
    def _admin_client(self) -> Iterator[AdminClient]:
        """The shop's Admin API client, timed for Server-Timing; failures as LookupUnavailable."""
        self.before_waiting()
        started = time.perf_counter()
        try:
            # The shop's token is refreshed here when due, and a revoked one uninstalls it.
            with admin_client_for(self._shop) as client:
                yield client
        except ShopifyError as error:
            raise LookupUnavailable(str(error)) from error
        finally:
            self.elapsed_ms += (time.perf_counter() - started) * 1000
