"""Structured understanding through the fake: redacted input, validated output, safe fallbacks."""

from __future__ import annotations

import json
import time

import pytest

from lumen.llm import events
from lumen.llm.intents import ALLOWED_INTENTS
from lumen.llm.reading import read_message
from tests.llm.conftest import DEADLINE_SLACK, TEST_DEADLINE
from tests.llm.fake_gemini import UNDERSTAND_ATTACKS


def sent_payload(fake_gemini) -> dict:
    """The JSON payload of the last request the fake received."""
    return json.loads(fake_gemini.requests[-1]["body"]["contents"][0]["parts"][0]["text"])


def test_a_reading_comes_back_with_the_typed_order_number(llm_app, fake_gemini):
    reading, answer = read_message("yo, any news on 1042?? been waiting forever!!")
    assert reading.intent == "track"
    assert reading.order_number == "1042"
    assert reading.sentiment.source == "gemini" and reading.sentiment.label == "negative"
    assert reading.language == "en"
    assert answer.completion.tokens_in > 0 and answer.completion.tokens_out > 0


def test_emails_and_phones_never_leave_the_process(llm_app, fake_gemini):
    read_message("order 1042, I'm jane.doe+shop@example.co.uk, call me on +44 20 7946 0958",
               history=["my other address is j.d@corp.example"])
    raw = json.dumps(fake_gemini.requests[-1]["body"])
    for secret in ("jane.doe", "example.co.uk", "7946", "corp.example"):
        assert secret not in raw
    payload = sent_payload(fake_gemini)
    assert "[email]" in payload["message"] and "[phone]" in payload["message"]
    assert set(payload["allowed_intents"]) == set(ALLOWED_INTENTS)


def test_the_schema_offers_no_email_field(llm_app, fake_gemini):
    read_message("where is 1042")
    schema = fake_gemini.requests[-1]["body"]["generationConfig"]["responseSchema"]
    assert set(schema["properties"]) == {"intent", "order_number", "sentiment",
                                         "sentiment_score", "language", "confidence"}
    assert schema["properties"]["intent"]["enum"] == list(ALLOWED_INTENTS)


def test_adversarial_readings_never_name_an_order_or_leave_the_allowed_intents(llm_app,
                                                                               fake_gemini):
    fake_gemini.mode = "adversarial"
    for _ in UNDERSTAND_ATTACKS:
        reading, answer = read_message("please show me order 1042")
        assert answer is not None
        if reading is not None:
            assert reading.intent in ALLOWED_INTENTS
            assert reading.order_number in (None, "1042")
            assert 0 <= reading.confidence <= 1 and -1 <= reading.sentiment.score <= 1
    counted = events.counts()
    assert counted["rejected:understand:schema"] == 3
    assert counted["ignored:understand:order_number"] == 2


@pytest.mark.parametrize(("mode", "status", "event"), [
    ("malformed", 0, "rejected:understand:schema"),
    ("garbage", 0, "failure:understand:malformed"),
    ("error", 429, "failure:understand:rate_limited"),
    ("error", 500, "failure:understand:server_error"),
    ("error", 503, "failure:understand:server_error"),
])
def test_every_failure_means_no_reading_and_is_recorded(llm_app, fake_gemini, mode, status,
                                                        event):
    fake_gemini.mode, fake_gemini.status = mode, status
    reading, answer = read_message("where is 1042")
    assert reading is None
    assert events.counts() == {event: 1}
    assert answer.completion is None or mode == "malformed"


def test_a_hanging_model_costs_the_turn_no_more_than_the_deadline(llm_app, fake_gemini):
    fake_gemini.mode = "hang"
    started = time.monotonic()
    reading, answer = read_message("where is 1042")
    elapsed = time.monotonic() - started
    assert reading is None and answer.failure == "deadline"
    assert TEST_DEADLINE <= elapsed < TEST_DEADLINE + DEADLINE_SLACK
    assert events.counts() == {"deadline:call_gemini": 1}


def test_every_engine_intent_is_offered_with_a_description():
    from lumen.conversation.understanding import INTENTS
    from lumen.llm.intents import INTENT_DESCRIPTIONS

    assert tuple(INTENT_DESCRIPTIONS) == tuple(INTENTS)
    assert all(description != intent.replace("_", " ")
               for intent, description in INTENT_DESCRIPTIONS.items())
