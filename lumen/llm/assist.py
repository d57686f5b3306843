"""Gemini's part in one turn: a second reading when code is unsure, the shop's voice, the cost.

The one seam between the turn and Gemini: ``refine`` returns the engine's understanding with a
validated reading applied (where code accepts it), ``voice`` returns the replies with the main
one rewritten, and ``usage`` reports what the calls cost. Nothing here touches the engine's
state or the database; the turn records what this returns. All calls of a turn share one
deadline.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from flask import current_app

from lumen.conversation import Reply, Understanding
from lumen.conversation.understanding import with_second_reading
from lumen.llm.client import get_gemini
from lumen.llm.jobs import Answer
from lumen.llm.reading import Reading, read_message
from lumen.llm.voice import DEFAULT_TONE, VoiceRequest, rewrite, wants_voice
from lumen.sentiment import Sentiment

MIN_CALL_SECONDS = 0.05  # less time than this left in the turn is not worth a call


@dataclass(frozen=True)
class LLMUsage:
    """What Gemini cost in one turn: calls, time waited, tokens in and out."""

    calls: int = 0
    latency_ms: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0

    @property
    def used(self) -> bool:
        """Whether the turn called Gemini at all."""
        return self.calls > 0


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
    shop_id: int | None = None

    @classmethod
    def start(cls, *, history: Sequence[str] = (), tone: str = DEFAULT_TONE, persona: str = "",
              store_name: str = "", shop_id: int | None = None) -> TurnAssist:
        """Help for a turn starting now, within the configured per-turn deadline."""
        deadline = current_app.config["LUMEN_LLM_DEADLINE"]
        return cls(time.monotonic() + deadline, tuple(history), tone or DEFAULT_TONE,
                   persona or "", store_name, shop_id=shop_id)

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
                               self.tone, self.persona, self.store_name, self.shop_id)
        result = rewrite(request, deadline=self._remaining())
        self._count(result.answer)
        self.sentiment = result.sentiment or self.sentiment
        if not result.rewritten:
            return replies
        return [*replies[:index], replace(reply, text=result.text), *replies[index + 1:]]

    def usage(self) -> LLMUsage:
        """This turn's cost report, for the transcript."""
        return LLMUsage(self.calls, self.latency_ms, self.tokens_in, self.tokens_out)

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


def merge(understanding: Understanding, reading: Reading) -> Understanding:
    """Gemini's reading in the engine's terms, or the engine's own when it is not usable."""
    return with_second_reading(understanding, reading.intent, reading.confidence,
                               reading.order_number)


def link_facts(reply: Reply) -> tuple[str, ...]:
    """The facts a reply carries besides its text: its links."""
    return tuple(part for link in reply.links for part in (link.url, link.label))
