"""The shop's voice through the fake: the shopper always gets validated text or the template."""

from __future__ import annotations

import json
import time

import pytest

from lumen.llm import events
from lumen.llm.guard import Allowed, check_reply
from lumen.llm.voice import VoiceRequest, rewrite, wants_voice
from tests.llm.conftest import DEADLINE_SLACK, TEST_DEADLINE
from tests.llm.fake_gemini import FOREIGN, VOICE_ATTACKS

TEMPLATE = ("Your order #1042 shipped via UPS. Tracking number 1Z999AA10123456784: "
            "https://www.ups.com/track?tracknum=1Z999AA10123456784")
FACTS = ("#1042", "UPS", "1Z999AA10123456784",
         "https://www.ups.com/track?tracknum=1Z999AA10123456784", "Blue T-Shirt")
REQUEST = VoiceRequest(TEMPLATE, ["hey where's my stuff? I'm jane@example.com"], FACTS,
                       tone="playful", persona="", store_name="Northwind")


def assert_safe(text: str) -> None:
    """The reply is the template or passes the rules, and holds nothing of another order."""
    if text != TEMPLATE:
        check_reply(text, Allowed(TEMPLATE, (*FACTS, "Northwind")), "en")
    for leaked in FOREIGN.values():
        assert leaked not in text
    assert "<" not in text and "@" not in text


def test_a_valid_rewrite_is_used(llm_app, fake_gemini):
    result = rewrite(REQUEST)
    assert result.rewritten and result.text == f"Happy to help! {TEMPLATE}"
    assert result.sentiment.source == "gemini"
    assert result.answer.completion.tokens_out > 0


def test_the_model_sees_only_the_template_allowed_facts_and_redacted_messages(llm_app,
                                                                            fake_gemini):
    rewrite(REQUEST)
    body = fake_gemini.requests[-1]["body"]
    payload = json.loads(body["contents"][0]["parts"][0]["text"])
    assert payload["facts"] == list(FACTS)
    assert payload["template"] == TEMPLATE
    assert payload["shopper_messages"] == ["hey where's my stuff? I'm [email]"]
    assert payload["language"] == "en" and payload["tone"] == "playful"
    assert "jane@example.com" not in json.dumps(body)


def test_every_adversarial_answer_gives_the_template(llm_app, fake_gemini):
    fake_gemini.mode = "adversarial"
    for _ in VOICE_ATTACKS:
        result = rewrite(REQUEST)
        assert_safe(result.text)
        assert result.text == TEMPLATE and not result.rewritten and result.sentiment is None
    rejected = {key: n for key, n in events.counts().items() if key.startswith("rejected:")}
    assert sum(rejected.values()) == len(VOICE_ATTACKS)


@pytest.mark.parametrize(("mode", "status", "event"), [
    ("malformed", 0, "rejected:voice:schema"),
    ("garbage", 0, "failure:voice:malformed"),
    ("error", 429, "failure:voice:rate_limited"),
    ("error", 500, "failure:voice:server_error"),
    ("error", 503, "failure:voice:server_error"),
])
def test_every_failure_gives_the_template_and_is_recorded(llm_app, fake_gemini, mode, status,
                                                          event):
    fake_gemini.mode, fake_gemini.status = mode, status
    result = rewrite(REQUEST)
    assert result.text == TEMPLATE and not result.rewritten
    assert events.counts() == {event: 1}


def test_a_hanging_model_gives_the_template_within_the_deadline(llm_app, fake_gemini):
    fake_gemini.mode = "hang"
    started = time.monotonic()
    result = rewrite(REQUEST)
    assert time.monotonic() - started < TEST_DEADLINE + DEADLINE_SLACK
    assert result.text == TEMPLATE and result.answer.failure == "deadline"
    assert events.counts() == {"deadline:call_gemini": 1}


def test_without_a_key_the_template_is_sent_untouched(app, fake_gemini):
    result = rewrite(REQUEST)
    assert result == type(result)(TEMPLATE, False)
    assert fake_gemini.requests == []


def test_a_shopper_writing_french_gets_french_or_the_template(llm_app, fake_gemini):
    french = VoiceRequest(TEMPLATE, ["Bonjour, où est ma commande ? Je ne l'ai pas reçue."],
                          FACTS, tone="playful")
    result = rewrite(french)
    # The fake answers in English, so code must refuse it and send the template.
    assert result.text == TEMPLATE
    assert events.counts() == {"rejected:voice:language": 1}


@pytest.mark.parametrize(("tone", "persona", "wanted"), [
    ("friendly", "", False), ("", "", False), (" Friendly ", "  ", False),
    ("formal", "", True), ("friendly", "I'm Ava, the shop's helper.", True),
])
def test_voice_runs_only_for_a_tone_or_persona_the_templates_lack(tone, persona, wanted):
    assert wants_voice(tone, persona) is wanted
