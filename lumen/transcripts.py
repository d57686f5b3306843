"""The transcript: a turn's two messages, the conversation's per-turn bookkeeping, and its text.

Writers here add rows and update columns but never commit; the widget view does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lumen.conversation import SessionState, TurnResult
from lumen.extensions import db
from lumen.llm import assist as llm_assist
from lumen.models import Conversation, ConversationStatus, Message, Role, Shop, utcnow
from lumen.tickets import actions as tickets


def conversation_for(shop: Shop, conversation_id: int | None) -> Conversation:
    """The chat session's conversation row, created at its first message."""
    conversation = db.session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None or conversation.shop_id != shop.id:
        # Also after retention deleted it mid-session: the rest is a new record.
        conversation = Conversation(shop_id=shop.id, order_names=[], message_count=0,
                                    started_at=utcnow())
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
