"""The transcript: a turn's two messages, the conversation's per-turn bookkeeping, and its text.

Writers here add rows and update columns but never commit; the widget view does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, insert, select

from lumen.conversation import SessionState, TurnResult
from lumen.conversation.understanding import WISMO_INTENTS
from lumen.extensions import db
from lumen.llm.assist import LLMUsage
from lumen.models import Conversation, Message, Role, Shop, utcnow
from lumen.redaction import safe_link
from lumen.sentiment import blend, label_for
from lumen.tickets import actions as tickets

HISTORY_MESSAGES = 3


# Built once, so its cache key is too (this runs on every turn).
_RECENT_SHOPPER_MESSAGES = (
    select(Message.text)
    .where(Message.conversation_id == bindparam("conversation"), Message.role == Role.SHOPPER)
    .order_by(Message.id.desc()).limit(HISTORY_MESSAGES))


def recent_shopper_messages(conversation_id: int | None) -> tuple[str, ...]:
    """The shopper's last few messages in the conversation (oldest first), for Gemini."""
    if conversation_id is None:
        return ()
    rows = db.session.execute(_RECENT_SHOPPER_MESSAGES, {"conversation": conversation_id}).all()
    return tuple(row.text for row in reversed(rows))


def conversation_for(shop: Shop, conversation_id: int | None) -> Conversation:
    """The chat session's conversation row, created at its first message."""
    conversation = db.session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None or conversation.shop_id != shop.id:
        # Also after retention deleted it mid-session: the rest is a new record.
        conversation = Conversation(shop_id=shop.id, order_names=[], message_count=0,
                                    started_at=utcnow(), llm_turns=0)
        db.session.add(conversation)
        db.session.flush()
    return conversation


def record_turn(conversation: Conversation, text: str, replies: list[dict[str, Any]],
                result: TurnResult, latency_ms: float, usage: LLMUsage) -> None:
    """Append the turn's two messages and update the conversation's outcome and metrics."""
    # Both rows in one Core INSERT: the unit of work's bookkeeping for two objects nothing
    # reads again in this request was a tenth of a turn's CPU. Redacted as the model does.
    db.session.execute(insert(Message.__table__), [
        _message_row(conversation, Role.SHOPPER, text, intent=result.intent,
                     sentiment_score=result.sentiment_score),
        _message_row(conversation, Role.ASSISTANT, transcript_text(replies),
                     intent=result.intent, latency_ms=latency_ms, used_llm=usage.used,
                     llm_latency_ms=usage.latency_ms if usage.used else None,
                     tokens_in=usage.tokens_in, tokens_out=usage.tokens_out),
    ])
    conversation.message_count += 2
    conversation.ended_at = utcnow()
    conversation.order_names = _merged(conversation.order_names, result.order_names)
    conversation.order_ids = _merged(conversation.order_ids, result.state.verified.values())
    conversation.customer_hash = conversation.customer_hash or proven_email_hash(result.state)
    conversation.counted_order_id = (conversation.counted_order_id
                                     or next(iter(result.state.verified.values()), None))
    _add_cost_and_mood(conversation, usage, result.sentiment_score)
    note_outcome_facts(conversation, result, latency_ms, used_llm=usage.used)
    conversation.order_situation = result.order_situation or conversation.order_situation
    if result.escalation is not None:
        tickets.escalate(conversation, result.escalation)


def _message_row(conversation: Conversation, role: Role, text: str, **metrics: Any
                 ) -> dict[str, Any]:
    """One ``messages`` row for the Core insert, its text redacted as ``Message`` redacts."""
    row = {"latency_ms": None, "used_llm": False, "llm_latency_ms": None, "tokens_in": 0,
           "tokens_out": 0, "sentiment_score": None, **metrics}
    return {**row, "conversation_id": conversation.id, "role": role,
            "text": Message.stored_text(role, text), "created_at": utcnow()}


def _add_cost_and_mood(conversation: Conversation, usage: LLMUsage,
                       score: float | None) -> None:
    """Add the turn's tokens to the conversation's totals and its mood to the average."""
    conversation.llm_tokens_in = (conversation.llm_tokens_in or 0) + usage.tokens_in
    conversation.llm_tokens_out = (conversation.llm_tokens_out or 0) + usage.tokens_out
    if score is None:
        return
    blended = blend(conversation.sentiment_score, score)
    conversation.sentiment_score = round(blended, 4)
    conversation.sentiment = label_for(blended)


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
    """The keyed hash of the email this chat session proved, once it verified an order."""
    hashes = list(state.proven_email_hashes)
    return hashes[0] if hashes else None


def transcript_text(replies: list[dict[str, Any]]) -> str:
    """The assistant's replies as one transcript entry, links written out after each text.

    Links are stored without their secrets: the order status page (whose key opens a page
    showing the customer's address) as "[order status page]", any other without its query.
    The live reply keeps the full link; only the stored copy loses it.
    """
    parts = []
    for reply in replies:
        links = [f"{link['label']}: {safe_link(link['url'])}" for link in reply.get("links", [])]
        parts.append("\n".join([reply["text"], *links]))
    return "\n\n".join(parts)
