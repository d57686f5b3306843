"""Hand-built conversations with known outcomes, for the analytics tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from lumen.extensions import db
from lumen.models import Conversation, Feedback, Message, Role, Shop, Ticket


@dataclass(frozen=True)
class Turn:
    """One shopper message and the assistant's reply: intent, reply time, Gemini's part."""

    intent: str = "track"
    latency_ms: float = 20.0
    used_llm: bool = False
    tokens_in: int = 0
    tokens_out: int = 0


@pytest.fixture
def create_conversation(app) -> Callable[..., Conversation]:
    """Factory: a stored conversation whose outcome is decided from the facts given (see
    `build_conversation`)."""
    return build_conversation


def build_conversation(shop: Shop, started_at: datetime, *, asked_order: bool = True,
                       delivered: bool = False, thanked: bool = False,
                       feedback: str | None = None, ticket: str | None = None,
                       turns: Sequence[Turn] = (Turn(),), sentiment: str | None = None,
                       situation: str | None = None, minutes: float = 3,
                       **fields) -> Conversation:
    """A stored conversation. ``asked_order``, ``delivered`` and ``thanked`` are what the
    transcript writer records; ``feedback`` the thumbs; ``ticket`` an escalation reason."""
    conversation = Conversation(
        shop_id=shop.id, started_at=started_at,
        ended_at=started_at + timedelta(minutes=minutes), message_count=2 * len(turns),
        asked_order=asked_order, details_delivered=delivered, thanked=thanked,
        feedback=Feedback(feedback) if feedback else None, sentiment=sentiment,
        order_situation=situation, llm_turns=sum(turn.used_llm for turn in turns),
        llm_tokens_in=sum(turn.tokens_in for turn in turns),
        llm_tokens_out=sum(turn.tokens_out for turn in turns),
        first_reply_ms=turns[0].latency_ms if turns else None, **fields)
    for index, turn in enumerate(turns):
        at = started_at + timedelta(seconds=30 * index)
        conversation.messages += [
            Message(role=Role.SHOPPER, text="where is my order", intent=turn.intent,
                    created_at=at),
            Message(role=Role.ASSISTANT, text="It is in transit.", intent=turn.intent,
                    latency_ms=turn.latency_ms, used_llm=turn.used_llm,
                    tokens_in=turn.tokens_in, tokens_out=turn.tokens_out, created_at=at)]
    db.session.add(conversation)
    db.session.flush()
    if ticket:
        db.session.add(Ticket(shop_id=shop.id, conversation_id=conversation.id,
                              reason=ticket, summary="needs a person"))
    conversation.refresh_outcome(escalated=bool(ticket))
    db.session.commit()
    return conversation
