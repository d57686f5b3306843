"""Gemini's reading of a message the deterministic layer was unsure about (LLM01/LLM06).

The shopper's text is redacted before it leaves the process, the answer must fit the schema, and
an order number counts only if the shopper typed it. The reading is data: it can pick a reply,
never open an order; the verification gate stays code-only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from lumen.llm import events
from lumen.llm.client import get_gemini
from lumen.llm.intents import INTENT_DESCRIPTIONS
from lumen.llm.jobs import Answer, ask
from lumen.llm.tasks import ReadingDraft
from lumen.security import redact
from lumen.sentiment import Sentiment, from_model

HISTORY_MESSAGES = 2
MAX_ORDER_DIGITS = 8  # the engine's own limit: longer runs are phones or tracking numbers


@dataclass(frozen=True)
class Reading:
    """A validated understanding: intent from the allowed set, order digits the shopper typed."""

    intent: str
    order_number: str | None
    sentiment: Sentiment
    language: str
    confidence: float


def read_message(text: str, history: Sequence[str] = (),
               deadline: float | None = None) -> tuple[Reading | None, Answer | None]:
    """Gemini's reading of ``text`` (None when off, late or invalid) and the call's record."""
    if get_gemini() is None:
        return None, None
    message = redact(text)
    payload = {"message": message,
               "earlier_messages": [redact(m) for m in history[-HISTORY_MESSAGES:]],
               "allowed_intents": INTENT_DESCRIPTIONS}
    answer = ask("understand", payload, deadline)
    if answer.completion is None:
        return None, answer
    try:
        parsed = ReadingDraft.model_validate_json(answer.completion.text)
    except ValidationError:
        events.record("rejected", "understand:schema")
        return None, answer
    return _reading(parsed, message), answer


def _reading(parsed: ReadingDraft, message: str) -> Reading:
    return Reading(parsed.intent, _typed_order_number(parsed.order_number, message),
                   from_model(parsed.sentiment_score), parsed.language, parsed.confidence)


def _typed_order_number(candidate: str | None, message: str) -> str | None:
    digits = re.sub(r"\D", "", candidate or "")
    if not digits or len(digits) > MAX_ORDER_DIGITS:
        return None
    if digits not in re.findall(r"\d+", message):
        # The model named an order the shopper never mentioned: dropped, and counted.
        events.record("ignored", "understand:order_number")
        return None
    return digits
