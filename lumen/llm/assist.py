"""Gemini's part in one turn: a second reading when code is unsure, the shop's voice, the mood.

The engine stays in charge. A reading only replaces the engine's own when it names an allowed
intent with confidence; an order number from it is only a number to look up, which still needs
the checkout email before anything is shown. All calls of a turn share one deadline.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from flask import current_app
from sqlalchemy import select

from lumen.conversation import INTENTS, Reply, TurnResult, Understanding
from lumen.conversation import replies as templates
from lumen.conversation.understanding import CONFIDENT
from lumen.extensions import db
from lumen.llm.client import get_gemini
from lumen.llm.jobs import Answer
from lumen.llm.reading import Reading, read_message
from lumen.llm.voice import DEFAULT_TONE, VoiceRequest, rewrite, wants_voice
from lumen.models import Conversation, Message, Role, Shop
from lumen.plans import may_use
from lumen.sentiment import (
    RECENT_WEIGHT,
    Sentiment,
    label_for,
    message_sentiment,
    sustained_frustration,
)

MIN_CALL_SECONDS = 0.05  # less time than this left in the turn is not worth a call
HISTORY_MESSAGES = 3


@dataclass
class TurnAssist:
    """Gemini's help for one turn and what it cost; it does nothing when the LLM is off."""

    deadline_at: float
    history: Sequence[str] = ()
    tone: str = DEFAULT_TONE
    persona: str = ""
    store_name: str = ""
    calls: int = 0
    latency_ms: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    sentiment: Sentiment | None = None
    failures: list[str] = field(default_factory=list)
    earlier_scores: Sequence[float] = ()

    @classmethod
    def start(cls, *, history: Sequence[str] = (), tone: str = DEFAULT_TONE, persona: str = "",
              store_name: str = "", earlier_scores: Sequence[float] = ()) -> TurnAssist:
        """Help for a turn starting now, within the configured per-turn deadline."""
        deadline = current_app.config.get("LUMEN_LLM_DEADLINE") or 4.0
        return cls(time.monotonic() + deadline, tuple(history), tone or DEFAULT_TONE,
                   persona or "", store_name, earlier_scores=tuple(earlier_scores))

    @property
    def used(self) -> bool:
        """Whether this turn called Gemini at all."""
        return self.calls > 0

    def refine(self, understanding: Understanding, text: str) -> Understanding:
        """The engine's unsure reading, replaced by Gemini's where code accepts it."""
        if not self._can_call():
            return understanding
        reading, answer = read_message(text, self.history, self._remaining())
        self._count(answer)
        if reading is None:
            return understanding
        self.sentiment = reading.sentiment
        return merge(understanding, reading)

    def voice(self, replies: list[Reply], text: str) -> list[Reply]:
        """The turn's replies with the main one in the shop's voice, when it has one."""
        if not replies or not wants_voice(self.tone, self.persona) or not self._can_call():
            return replies
        index = max(range(len(replies)), key=lambda i: len(replies[i].text))
        reply = replies[index]
        request = VoiceRequest(reply.text, [*self.history, text], link_facts(reply),
                               self.tone, self.persona, self.store_name)
        result = rewrite(request, deadline=self._remaining())
        self._count(result.answer)
        self.sentiment = result.sentiment or self.sentiment
        if not result.rewritten:
            return replies
        return [*replies[:index], replace(reply, text=result.text), *replies[index + 1:]]

    def finish(self, result: TurnResult, text: str) -> None:
        """The shop's voice, the message's mood, and a person offered if the mood stays low."""
        result.replies = self.voice(result.replies, text)
        mood = message_sentiment(text, self.sentiment)
        result.sentiment_score = mood.score
        offer_help_if_frustrated(result, [*self.earlier_scores, mood.score])

    def assistant_metrics(self) -> dict[str, object]:
        """The assistant message's LLM columns for this turn."""
        return {"used_llm": self.used, "llm_latency_ms": self.latency_ms if self.used else None,
                "tokens_in": self.tokens_in, "tokens_out": self.tokens_out}

    def update_conversation(self, conversation: Conversation, score: float | None) -> None:
        """Add this turn's tokens and mood to the conversation's totals."""
        conversation.llm_tokens_in = (conversation.llm_tokens_in or 0) + self.tokens_in
        conversation.llm_tokens_out = (conversation.llm_tokens_out or 0) + self.tokens_out
        if score is None:
            return
        previous = conversation.sentiment_score
        # The same moving average as sentiment.conversation_sentiment, one message at a time.
        blended = score if previous is None else (
            RECENT_WEIGHT * score + (1 - RECENT_WEIGHT) * previous)
        conversation.sentiment_score = round(blended, 4)
        conversation.sentiment = label_for(blended)

    def _can_call(self) -> bool:
        return get_gemini() is not None and self._remaining() >= MIN_CALL_SECONDS

    def _remaining(self) -> float:
        return self.deadline_at - time.monotonic()

    def _count(self, answer: Answer | None) -> None:
        if answer is None:
            return
        self.calls += 1
        self.latency_ms += answer.waited_ms
        if answer.completion is not None:
            self.tokens_in += answer.completion.tokens_in
            self.tokens_out += answer.completion.tokens_out
        if answer.failure:
            self.failures.append(answer.failure)


def for_turn(shop: Shop, conversation_id: int | None, store_name: str = "") -> TurnAssist:
    """Gemini's help for the next turn: the shop's voice (persona on Pro+) and recent history."""
    settings = shop.settings
    tone = settings.tone if settings else DEFAULT_TONE
    persona = settings.persona if settings and may_use(shop, "ai_persona") else ""
    rows = db.session.execute(
        select(Message.text, Message.sentiment_score)
        .where(Message.conversation_id == conversation_id, Message.role == Role.SHOPPER)
        .order_by(Message.id.desc()).limit(HISTORY_MESSAGES)).all() if conversation_id else []
    rows.reverse()
    return TurnAssist.start(history=[row.text for row in rows], tone=tone, persona=persona,
                            store_name=store_name,
                            earlier_scores=[r.sentiment_score for r in rows
                                            if r.sentiment_score is not None])


def merge(understanding: Understanding, reading: Reading) -> Understanding:
    """Gemini's reading in the engine's terms, or the engine's own when it is not usable."""
    usable = (reading.intent in INTENTS and reading.intent != "unknown"
              and reading.confidence >= CONFIDENT)
    if not usable:
        return understanding
    numbers = understanding.order_numbers or (
        (reading.order_number,) if reading.order_number else ())
    # The email stays the one code found: the model never supplies or sees one.
    return Understanding(reading.intent, reading.confidence, numbers, understanding.email,
                         understanding.flags - {reading.intent})


def link_facts(reply: Reply) -> tuple[str, ...]:
    """The facts a reply carries besides its text: its links."""
    return tuple(part for link in reply.links for part in (link.url, link.label))


def offer_help_if_frustrated(result: TurnResult, scores: Sequence[float]) -> bool:
    """Offer a person when the shopper's mood stays negative and no offer or ticket exists."""
    state = result.state
    settled = result.escalation or state.escalation_reason or state.offered_escalation
    if settled or not sustained_frustration(scores):
        return False
    result.replies.append(templates.empathy())
    state.offered_escalation = "frustration"
    return True
