"""The transcript: a turn's two messages, the conversation's per-turn bookkeeping, and its text.

Writers here add rows and update columns but never commit; the widget view does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lumen.conversation import SessionState, TurnResult
from lumen.conversation.understanding import WISMO_INTENTS
from lumen.extensions import db
from lumen.llm import assist as llm_assist
from lumen.models import Conversation, Message, Role, Shop, utcnow
from lumen.tickets import actions as tickets


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
    conversation.order_situation = result.order_situation or conversation.order_situation
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
    """The keyed hash of the email this chat session proved, once it verified an order."""
    hashes = list(state.proven_email_hashes)
    return hashes[0] if hashes else None


def transcript_text(replies: list[dict[str, Any]]) -> str:
    """The assistant's replies as one transcript entry, links written out after each text."""
    parts = []
    for reply in replies:
        links = [f"{link['label']}: {link['url']}" for link in reply.get("links", [])]
        parts.append("\n".join([reply["text"], *links]))
    return "\n\n".join(parts)
