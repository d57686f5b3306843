"""The shop's voice: Gemini rewrites a template reply, and code decides whether it may be shown.

Gemini sees the shopper's redacted messages, the template answer and only the facts this turn
may use. Any failure, late answer or broken rule gives the template back, and is recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from lumen.llm import events
from lumen.llm.client import get_gemini
from lumen.llm.guard import Allowed, Rejected, check_reply, max_chars
from lumen.llm.jobs import Answer, ask
from lumen.llm.language import detect_language
from lumen.llm.tasks import VoiceDraft
from lumen.security import redact
from lumen.sentiment import Sentiment, from_model

DEFAULT_TONE = "friendly"  # the templates are written in it, so it needs no rewrite
SHOPPER_MESSAGES = 3


@dataclass(frozen=True)
class VoiceRequest:
    """One reply to rewrite, with everything the rewrite may draw on."""

    template: str
    shopper_messages: Sequence[str] = ()
    facts: Sequence[str] = ()
    tone: str = DEFAULT_TONE
    persona: str = ""
    store_name: str = ""
    shop_id: int | None = None  # whose "rewrites held back" count a rejection adds to


@dataclass(frozen=True)
class VoiceResult:
    """The text to send, whether it is Gemini's, and the call's record and mood reading."""

    text: str
    rewritten: bool
    answer: Answer | None = None
    sentiment: Sentiment | None = None


def wants_voice(tone: str, persona: str) -> bool:
    """True when the shop chose a voice the templates do not already speak."""
    return bool(persona.strip()) or (tone or DEFAULT_TONE).strip().lower() != DEFAULT_TONE


def conversation_language(shopper_messages: Sequence[str], template: str) -> str | None:
    """The language replies should be in: the shopper's if it shows, else the template's."""
    return detect_language(" ".join(shopper_messages)) or detect_language(template)


def rewrite(request: VoiceRequest, language: str | None = None,
            deadline: float | None = None) -> VoiceResult:
    """The rewritten reply if Gemini is on, in time and within the rules; else the template."""
    if get_gemini() is None:
        return VoiceResult(request.template, False)
    messages = [redact(m) for m in request.shopper_messages[-SHOPPER_MESSAGES:]]
    language = language or conversation_language(messages, request.template)
    answer = ask("voice", _payload(request, messages, language), deadline)
    if answer.completion is None:
        return VoiceResult(request.template, False, answer)
    try:
        draft = VoiceDraft.model_validate_json(answer.completion.text)
        text = check_reply(draft.reply, _allowed(request), language)
    except ValidationError:
        events.record("rejected", "voice:schema")
        events.record_held_back(request.shop_id)
        return VoiceResult(request.template, False, answer)
    except Rejected as rejected:
        # A rejected draft is untrusted as a whole, its mood reading included.
        events.record("rejected", f"voice:{rejected.rule}")
        events.record_held_back(request.shop_id)
        return VoiceResult(request.template, False, answer)
    return VoiceResult(text, True, answer, from_model(draft.sentiment_score))


def _allowed(request: VoiceRequest) -> Allowed:
    # The merchant's persona and store name are the shop's own words, so a reply may use them.
    extra = tuple(text for text in (request.persona, request.store_name) if text)
    return Allowed(request.template, (*request.facts, *extra))


def _payload(request: VoiceRequest, messages: list[str], language: str | None) -> dict:
    return {"template": request.template, "facts": list(request.facts),
            "tone": request.tone or DEFAULT_TONE, "persona": request.persona,
            "store_name": request.store_name, "language": language or "the shopper's",
            "max_chars": max_chars(request.template), "shopper_messages": messages}
