"""Gemini's part in a turn: readings merged only where code accepts them, one shared deadline."""

from __future__ import annotations

import time

import pytest

from lumen.conversation import (
    Link,
    Reply,
    SessionState,
    TurnResult,
    Understanding,
    offer_help_if_frustrated,
)
from lumen.llm.assist import TurnAssist, link_facts, merge
from lumen.llm.reading import Reading
from lumen.sentiment import from_model
from tests.llm.conftest import DEADLINE_SLACK, TEST_DEADLINE

UNSURE = Understanding("unknown", 0.1)
ANSWER = Reply("Your order #1042 shipped via USPS. Tracking number 9400111899223847561042.",
               links=[Link("https://tools.usps.com/go/TrackConfirmAction?tLabels=94001118",
                           "Track with USPS")])


def reading(intent: str = "track", confidence: float = 0.9,
            order_number: str | None = None) -> Reading:
    """A validated Gemini reading."""
    return Reading(intent, order_number, from_model(0.0), "en", confidence)


def test_with_the_llm_off_nothing_changes_and_nothing_is_called(app, fake_gemini):
    assist = TurnAssist.start(tone="playful")
    assert assist.refine(UNSURE, "hmm 1042?") is UNSURE
    assert assist.voice([ANSWER], "hmm") == [ANSWER]
    assert not assist.used and fake_gemini.requests == []


def test_an_unsure_reading_is_replaced_by_geminis(llm_app, fake_gemini):
    assist = TurnAssist.start()
    refined = assist.refine(UNSURE, "so like the parcel, 1042, what's going on")
    assert (refined.intent, refined.order_numbers) == ("track", ("1042",))
    assert assist.used and assist.calls == 1 and assist.tokens_in > 0
    assert assist.sentiment.source == "gemini"


@pytest.mark.parametrize("candidate", [
    reading("unknown"), reading(confidence=0.3), reading("grant_access"),
])
def test_an_unusable_reading_keeps_the_engines(candidate):
    assert merge(UNSURE, candidate) is UNSURE


def test_code_keeps_its_own_order_number_and_email():
    mine = Understanding("unknown", 0.2, ("1042",), "maya@example.com", frozenset({"track"}))
    merged = merge(mine, reading("track", order_number="1063"))
    assert merged.order_numbers == ("1042",) and merged.email == "maya@example.com"
    assert merged.intent == "track" and "track" not in merged.flags
    assert merge(UNSURE, reading(order_number="1063")).order_numbers == ("1063",)


def test_the_main_reply_takes_the_shops_voice(llm_app, fake_gemini):
    first = Reply("Thanks, that email matches the order.")
    said = TurnAssist.start(tone="playful").voice([first, ANSWER], "where is it")
    assert said[0] is first
    assert said[1].text == f"Happy to help! {ANSWER.text}" and said[1].links == ANSWER.links
    payload = fake_gemini.requests[-1]["body"]["contents"][0]["parts"][0]["text"]
    assert "Track with USPS" in payload


def test_the_default_tone_needs_no_call(llm_app, fake_gemini):
    assert TurnAssist.start().voice([ANSWER], "where is it") == [ANSWER]
    assert fake_gemini.requests == []


def test_all_calls_of_a_turn_share_one_deadline(llm_app, fake_gemini):
    fake_gemini.mode = "hang"
    assist = TurnAssist.start(tone="playful")
    started = time.monotonic()
    assist.refine(UNSURE, "hmm")
    said = assist.voice([ANSWER], "hmm")
    assert time.monotonic() - started < TEST_DEADLINE + DEADLINE_SLACK
    assert said == [ANSWER] and assist.calls == 1 and assist.failures == ["deadline"]


def test_link_facts_are_the_links_urls_and_labels():
    assert link_facts(ANSWER) == (ANSWER.links[0].url, "Track with USPS")


def result_with(state: SessionState, replies: list[Reply] | None = None) -> TurnResult:
    """A finished turn to post-process."""
    return TurnResult(replies=replies or [Reply("Hi")], intent="unknown", state=state)


def moods(*scores: float) -> SessionState:
    """A session whose earlier shopper messages had these sentiment scores."""
    state = SessionState.new()
    state.recent_moods = list(scores)
    return state


def test_sustained_negative_mood_offers_a_person_once():
    result = result_with(moods(-0.6))
    assert offer_help_if_frustrated(result, -0.7)
    assert result.state.offered_escalation == "frustration"
    assert result.replies[-1].quick_replies == ["Talk to a person"]
    assert not offer_help_if_frustrated(result, -0.8)


def test_no_offer_when_the_mood_recovers_or_a_ticket_exists():
    assert not offer_help_if_frustrated(result_with(moods(-0.6)), 0.4)
    assert not offer_help_if_frustrated(result_with(moods(-0.6, 0.4)), -0.5)
    escalated = moods(-0.6)
    escalated.escalation_reason = "human_requested"
    assert not offer_help_if_frustrated(result_with(escalated), -0.7)


def test_the_state_remembers_only_the_latest_moods():
    result = result_with(moods(-0.1, 0.2, 0.3))
    offer_help_if_frustrated(result, 0.5)
    assert result.state.recent_moods == [0.2, 0.3, 0.5]
