"""The code that decides whether a model-written reply may be shown."""

from __future__ import annotations

import pytest

from lumen.llm.guard import Allowed, Rejected, check_reply, max_chars

TEMPLATE = ("Your order #1042 shipped on Feb 24, 2026 via UPS. Tracking number 1Z999AA10123456784: "
            "https://www.ups.com/track?tracknum=1Z999AA10123456784")
FACTS = ("Blue T-Shirt", "estimated delivery Feb 28, 2026", "$49.99")
ALLOWED = Allowed(TEMPLATE, FACTS)


def rule_broken(reply: str, allowed: Allowed = ALLOWED, language: str | None = "en") -> str:
    """The rule ``reply`` breaks (fails the test if it passes)."""
    with pytest.raises(Rejected) as rejected:
        check_reply(reply, allowed, language)
    return rejected.value.rule


@pytest.mark.parametrize("reply", [
    f"Great news! {TEMPLATE}",
    f"Good news: your Blue T-Shirt is on its way. {TEMPLATE} Expect it Feb 28, 2026.",
    f"{TEMPLATE}\nThanks for shopping with us, I'm glad to help. It cost $49.99.",
    f"- {TEMPLATE}",
])
def test_a_faithful_rewrite_passes(reply):
    assert check_reply(f"  {reply}  ", ALLOWED, "en") == reply


@pytest.mark.parametrize(("addition", "rule"), [
    ("Your new tracking number is 1Z999AA10123456785.", "number"),
    ("Order #1043 shipped too.", "number"),
    ("It will arrive Feb 27.", "number"),
    ("You paid $499.00.", "number"),
    ("Call +1 415 555 0100.", "number"),
    ("It will arrive on Monday.", "name"),
    ("Your Running Shoes are packed.", "name"),
    ("Thanks, Jane Doe!", "name"),
    ("Questions? Write to help@shop.example.", "email"),
    ("We emailed [email] already.", "email"),
    ("We'll ship to [address].", "email"),
    ("See [order status page].", "email"),
    ("<b>Shipped!</b>", "markup"),
    ("<script>alert(1)</script>", "markup"),
    ("[Track](https://www.ups.com/track)", "markup"),
    ("**Shipped!**", "markup"),
    ("Click javascript:alert(1)", "markup"),
    ("Hidden \u202etext", "markup"),
    ("Zero\u200bwidth", "markup"),
    ("Track faster at https://evil.example/track.", "link"),
    ("Track faster at evil-tracker.com/track.", "link"),
    ("Track faster at www.evil.example.", "link"),
    ("It has been handed to fedex.", "carrier"),
    ("Royal Mail has it now.", "carrier"),
])
def test_anything_not_in_the_allowed_facts_is_rejected(addition, rule):
    assert rule_broken(f"{TEMPLATE} {addition}") == rule


def test_a_rewrite_must_keep_the_templates_numbers_and_links():
    assert rule_broken("Your order shipped via UPS, see the tracking page.") == "dropped_fact"
    assert rule_broken(TEMPLATE.replace("https://www.ups.com/track?tracknum=", "")) in (
        "dropped_fact",)


def test_a_reformatted_number_is_a_different_number():
    allowed = Allowed("Total: $1,299.00", ())
    assert rule_broken("Total: $1299.00", allowed) == "number"


def test_length_is_capped_relative_to_the_template():
    assert rule_broken(TEMPLATE + " Thanks!" * 100) == "too_long"
    assert max_chars("x" * 1000) == 1500
    assert max_chars("x" * 10) == 210


def test_empty_is_rejected():
    assert rule_broken("   ") == "empty"


def test_the_conversation_language_is_kept():
    allowed = Allowed("Your order #1042 has shipped and is on its way.", ())
    german = "Ihre Bestellung #1042 wurde versendet und ist unterwegs."
    assert rule_broken(german, allowed, "en") == "language"
    assert check_reply(german, allowed, "de") == german
    # "bald" (soon) is a promise of time that the template does not make.
    assert rule_broken(german.replace(".", " und bald da."), allowed, "de") == "claim"
    french = "Votre commande #1042 a été expédiée et elle est en route."
    assert check_reply(french, allowed, "fr") == french
    assert rule_broken(french, allowed, "es") == "language"


def test_the_persona_and_store_name_count_as_allowed_words():
    allowed = Allowed("Your order #1042 has shipped.", ("I'm Ava from Northwind Outfitters.",))
    reply = "Hi, Ava here from Northwind Outfitters! Your order #1042 has shipped."
    assert check_reply(reply, allowed, "en") == reply


def test_german_capitalised_nouns_are_not_taken_for_names():
    allowed = Allowed("Ihre Bestellung #1042 wurde versendet.", ())
    reply = "Gute Nachricht: Ihre Bestellung #1042 wurde versendet und ist unterwegs."
    assert check_reply(reply, allowed, "de") == reply


def test_a_reply_without_facts_may_not_gain_any():
    allowed = Allowed("For security, please share the email address used at checkout.", ())
    assert rule_broken("For security, please share your email. Order #1042 shipped.",
                       allowed) == "number"
    assert rule_broken("Please share your email. Your tracking: https://t.example/1",
                       allowed) == "link"


LONG = ("Your order #1042 has been shipped in 2 packages.\nPackage 1 (2 × Blue T-Shirt) shipped "
        "via USPS on February 23, tracking 9400111899223847561042, estimated delivery February 28, "
        "currently in transit.\nPackage 2 (Running Shoes) shipped via FedEx on February 24, "
        "tracking 789104256318, currently in transit.")


@pytest.mark.parametrize("reply", [
    "Woohoo, good news! Your order #1042 is on the move in 2 packages.\nThe first one "
    "(2 × Blue T-Shirt) left with USPS on February 23, tracking 9400111899223847561042, and "
    "should land by February 28.\nThe second (Running Shoes) went out with FedEx on "
    "February 24, tracking 789104256318. Both are in transit!",
    "Hey there! Order #1042 shipped in two packages: USPS took the Blue T-Shirt on February 23 "
    "(tracking 9400111899223847561042, expected February 28) and FedEx took the Running Shoes "
    "on February 24 (tracking 789104256318). Both are on their way.",
])
def test_realistic_rewrites_of_a_long_answer_pass(reply):
    assert check_reply(reply, Allowed(LONG, ()), "en") == reply


def test_a_lone_digit_may_become_a_word_but_a_date_may_not_go():
    assert check_reply("Both of the 2 packages are on their way! " + LONG.replace(
        "Package 1", "The first package"), Allowed(LONG, ()), "en")
    assert rule_broken(LONG.replace(" on February 24", ""), Allowed(LONG, ())) == "dropped_fact"
