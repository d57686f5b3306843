"""The guard checks meaning: invented actions, statuses, times and policies are held back."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from lumen.llm import events
from lumen.llm.guard import Allowed, Rejected, check_reply
from lumen.llm.meaning import unsupported_word
from lumen.llm.voice import VoiceRequest, rewrite
from tests.llm.rewrites import (
    LINK_FACTS,
    PERSONA,
    STORE,
    TEMPLATES,
    Case,
    adversarial,
    faithful,
    held_out,
    untuned,
)

MIN_FAITHFUL_ACCEPTANCE = 0.85
# The rewrite from the issue: schema-valid, on-brand, and two lies.
INVENTED = ("Good news! I've issued a full refund to your card as an apology, and your parcel "
            "was delivered to your neighbour yesterday.")


def verdict(case: Case) -> str | None:
    """The rule the case's rewrite breaks, or None when the guard lets it through."""
    try:
        check_reply(case.reply, Allowed(case.template, case.allowed_facts), case.language)
    except Rejected as rejected:
        return rejected.rule
    return None


def test_every_rewrite_adding_a_false_claim_is_rejected():
    cases = adversarial()
    assert len(cases) >= 150
    assert {case.language for case in cases} == {"en", "fr", "es", "de"}
    assert {case.kind for case in cases} == {"action", "status", "time", "policy"}
    passed = [case.reply for case in cases if verdict(case) is None]
    print(f"\nadversarial rewrites: {len(cases)}, rejected {len(cases) - len(passed)} "
          f"({(len(cases) - len(passed)) / len(cases):.1%})")
    assert passed == []


def test_faithful_rewrites_in_every_tone_and_language_are_accepted():
    cases = faithful() + held_out() + untuned()
    assert len(cases) >= 150
    assert {case.tone for case in cases} == {"professional", "concise", "friendly"}
    assert any(case.persona for case in cases)
    rules = Counter(verdict(case) for case in cases)
    accepted = rules.pop(None, 0) / len(cases)
    fresh = untuned()
    fresh_accepted = sum(verdict(case) is None for case in fresh) / len(fresh)
    print(f"\nfaithful rewrites: {len(cases)}, accepted {accepted:.1%}; never tuned on: "
          f"{len(fresh)}, accepted {fresh_accepted:.1%}; held back by rule: {dict(rules)}")
    assert accepted >= MIN_FAITHFUL_ACCEPTANCE


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_the_invented_refund_and_delivery_are_rejected_for_every_template(key):
    allowed = Allowed(TEMPLATES[key], (*LINK_FACTS, PERSONA, STORE))
    with pytest.raises(Rejected) as rejected:
        check_reply(f"{INVENTED} {TEMPLATES[key]}", allowed, "en")
    assert rejected.value.rule in ("claim", "wording", "name")


@pytest.mark.parametrize(("template", "reply"), [
    (TEMPLATES["refund"], "Sorry, refunds aren't something I can process in this chat. I can "
                          "only check order status, tracking and delivery details here."),
    (TEMPLATES["not_shipped"], "Order #1042 is being processed and has not shipped yet, so no "
                               "tracking information is available. I can connect you with our "
                               "support team if you'd like an estimated shipping date."),
    (TEMPLATES["cancel"], "Cancelling orders isn't something I can do in this chat; I can only "
                          "check order status, tracking and delivery details here."),
])
def test_negations_and_the_templates_own_wording_stay_allowed(template, reply):
    assert check_reply(reply, Allowed(template, ()), "en") == reply


@pytest.mark.parametrize(("template", "reply"), [
    (TEMPLATES["refund"], "I've processed your refund in this chat."),
    (TEMPLATES["refund"], "I can process refunds in this chat."),
    (TEMPLATES["not_shipped"], "Your order #1042 has shipped."),
    (TEMPLATES["cancelled"], "I've connected you with our support team."),
    (TEMPLATES["wrong_email"], "That email matches the order."),
    (TEMPLATES["not_found"], "I found your order #1042."),
])
def test_a_template_word_with_its_polarity_or_agent_changed_is_a_claim(template, reply):
    with pytest.raises(Rejected) as rejected:
        check_reply(f"{template} {reply}", Allowed(template, ()), "en")
    assert rejected.value.rule == "claim"


def test_a_word_from_nowhere_is_rejected_even_when_no_list_names_it():
    allowed = Allowed(TEMPLATES["in_transit"], LINK_FACTS)
    reply = f"{TEMPLATES['in_transit']} Our courier is extremely reliable."
    with pytest.raises(Rejected) as rejected:
        check_reply(reply, allowed, "en")
    assert rejected.value.rule == "wording"


@pytest.mark.parametrize("trick", ["I've@refunded you.", "Refunded.Yes", "re_funded", "__p999__",
                                   "__p0__ refunded", "refund3d", "\u0456ssued a credit"])
def test_tricks_around_word_boundaries_do_not_hide_a_claim(trick):
    template = TEMPLATES["ask_email"]
    with pytest.raises(Rejected):
        check_reply(f"{trick} {template}", Allowed(template, ()), "en")


def test_text_cannot_forge_the_checks_own_phrase_tokens():
    template = TEMPLATES["ask_email"]
    # Read as plain text ("p999"), never as a phrase token (which would be out of range).
    assert unsupported_word(f"__p999__ __p0__ {template}", template, "en") == "wording"


def test_the_persona_and_store_name_lend_their_words():
    allowed = Allowed(TEMPLATES["ask_email"], ("I'm Ava, Northwind's cheerful order elf.",
                                               STORE))
    reply = "Your cheerful order elf here! " + TEMPLATES["ask_email"]
    assert check_reply(reply, allowed, "en") == reply


def test_a_language_the_guard_cannot_read_is_held_back():
    allowed = Allowed("Your order #1042 has shipped.", ())
    with pytest.raises(Rejected) as rejected:
        check_reply("Il tuo ordine #1042 è stato spedito e lo stato è in viaggio.", allowed, "it")
    assert rejected.value.rule == "unsupported_language"


def test_held_back_rewrites_are_counted_per_shop_and_hour(app):
    start = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    for minutes in (0, 20, 60, 150):
        events.record_held_back(7, start + timedelta(minutes=minutes))
    events.record_held_back(8, start)
    events.record_held_back(None, start)  # no shop: nothing to count
    assert events.held_back_rewrites(7, start, start + timedelta(days=1)) == 4
    # Bounds fall to the hour: 22:00-23:00 holds the first two.
    assert events.held_back_rewrites(7, start, start.replace(hour=23, minute=0)) == 2
    assert events.held_back_rewrites(7, start + timedelta(hours=2),
                                     start + timedelta(hours=5)) == 1
    assert events.held_back_rewrites(8, start - timedelta(days=3), start + timedelta(days=3)) == 1
    assert events.held_back_rewrites(9, start, start + timedelta(days=1)) == 0


def test_a_rejected_voice_rewrite_is_recorded_with_its_rule_and_counted(llm_app, fake_gemini):
    template = TEMPLATES["ask_email"]
    fake_gemini.voice_reply = f"I've refunded your order. {template}"
    before = datetime.now(UTC) - timedelta(hours=1)
    result = rewrite(VoiceRequest(template, ["where is it"], (), tone="professional",
                                  store_name=STORE, shop_id=42))
    assert result.text == template and not result.rewritten
    assert events.counts() == {"rejected:voice:claim": 1}
    assert events.held_back_rewrites(42, before, datetime.now(UTC) + timedelta(hours=1)) == 1
