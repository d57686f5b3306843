"""The deterministic understanding layer: intents, slots, typos and what is not an order."""

from __future__ import annotations

import pytest

from lumen.conversation.understanding import (
    INTENTS,
    correct_typos,
    edit_distance,
    find_order_numbers,
    normalise,
    understand,
)

INTENT_TABLE = [
    # track / status (the seeds' own phrasings first)
    ("Where is my order?", "track"),
    ("Track the order I placed", "track"),
    ("Can you check order #1042?", "track"),
    ("Where's my stuff?", "track"),
    ("Order 1042 status", "track"),
    ("What happened to my order?", "track"),
    ("Where is my package?", "track"),
    ("wheres my pakage", "track"),
    ("Where’s my parcel??", "track"),
    ("any update on my order", "track"),
    ("staus of my ordr", "track"),
    # shipped?
    ("I placed an order last Tuesday, has it shipped?", "shipped"),
    ("Has it shipped?", "shipped"),
    ("When will my pre-order ship?", "shipped"),
    ("has my order been dispatched yet", "shipped"),
    ("did it get sent out", "shipped"),
    ("has it shiped", "shipped"),
    # tracking number / link / carrier
    ("what's the tracking number for it", "tracking_number"),
    ("trackng nmber pls", "tracking_number"),
    ("Can I get the tracking link?", "tracking_link"),
    ("send me the link", "tracking_link"),
    ("tracking url?", "tracking_link"),
    ("What carrier is it with?", "carrier"),
    ("which courier are you using", "carrier"),
    ("is it coming by fedex", "carrier"),
    ("who is delivering it", "carrier"),
    # ETA / fulfilled
    ("When will it arrive?", "eta"),
    ("eta?", "eta"),
    ("what's the estimated delivery date", "eta"),
    ("how long until I get it", "eta"),
    ("When was it fulfilled?", "fulfilled_when"),
    ("when did it ship", "fulfilled_when"),
    ("what date was it sent", "fulfilled_when"),
    # items / payment
    ("what did i order", "items"),
    ("which items are in the order", "items"),
    ("what's in my package", "items"),
    ("was I charged?", "payment"),
    ("payment status", "payment"),
    ("has my payment gone through", "payment"),
    # not arrived / delivered but not received
    ("My order hasn't arrived", "not_received"),
    ("hasnt arived", "not_received"),
    ("It says delivered but I never got my package.", "not_received"),
    ("It's been 3 weeks and my order still hasn't arrived.", "not_received"),
    ("What if it has not arrived?", "not_received"),
    ("my order never reached me", "not_received"),
    ("i never recieved it", "not_received"),
    ("my parcel is missing", "not_received"),
    ("tracking said delivered, nothing here", "not_received"),
    # out of scope
    ("please cancel the order I placed", "cancel"),
    ("can u cancel it", "cancel"),
    ("I want a refund", "refund"),
    ("I'd like my money back", "refund"),
    ("how do I return this", "return"),
    ("can I exchange it for a different size", "exchange"),
    ("I need to change my shipping address", "address_change"),
    ("wrong address on the order", "address_change"),
    ("the mug arrived broken", "damaged"),
    ("I received the wrong item", "damaged"),
    ("can I add an item to my order", "change_order"),
    # other platforms, products
    ("Where is my Amazon order?", "other_platform"),
    ("I bought this on etsy", "other_platform"),
    ("my ebay package", "other_platform"),
    ("walmart order status", "other_platform"),
    ("ordered from aliexpress", "other_platform"),
    ("temu order never came", "other_platform"),
    ("do you have this in blue?", "product_question"),
    ("can you recommend a jacket", "product_question"),
    ("is the hoodie back in stock", "product_question"),
    # the store's own policies
    ("what's your return policy?", "policy_returns"),
    ("how many days do I have to send something back", "policy_returns"),
    ("do you ship to Australia?", "policy_shipping"),
    ("how long does shipping take to Canada", "policy_shipping"),
    # people, small talk, feelings
    ("talk to a human", "human"),
    ("Talk to a person", "human"),
    ("can I speak to someone from customer service", "human"),
    ("agent", "human"),
    ("I have another order", "another_order"),
    ("what about my other order", "another_order"),
    ("hi", "greeting"),
    ("Good morning to you!", "greeting"),
    ("thanks!", "thanks"),
    ("thank you so much", "thanks"),
    ("this is ridiculous", "frustration"),
    ("worst service ever", "frustration"),
    ("yes please", "affirm"),
    ("no thanks", "deny"),
    ("what can you do?", "capabilities"),
    ("are you a real person?", "capabilities"),
    ("asdfgh qwerty", "unknown"),
    ("", "unknown"),
]


@pytest.mark.parametrize(("text", "intent"), INTENT_TABLE)
def test_intent(text, intent):
    assert understand(text).intent == intent


def test_the_table_covers_every_intent():
    covered = {intent for _, intent in INTENT_TABLE} | {"provide_details"}
    assert covered == set(INTENTS)


@pytest.mark.parametrize(("text", "numbers"), [
    ("#1042", ("1042",)),
    ("1042", ("1042",)),
    ("order no. 1042", ("1042",)),
    ("order number is 1042", ("1042",)),
    ("No.1042", ("1042",)),
    ("my order # 1042 please", ("1042",)),
    ("Order: 1042", ("1042",)),
    ("order #01042", ("1042",)),
    ("Can you check order #1042?", ("1042",)),
    ("it's 1042.", ("1042",)),
    ("orders 1042 and 1043", ("1042", "1043")),
    ("orders 1042 1043", ("1042", "1043")),
    ("#7", ("7",)),
    ("order 55", ("55",)),
    ("12345678", ("12345678",)),
])
def test_order_number_forms(text, numbers):
    assert find_order_numbers(text) == numbers


@pytest.mark.parametrize(("text", "prefix", "suffix"), [
    ("NW-1042", "NW-", ""),
    ("nw1042", "NW-", ""),
    ("my order is NW 1042", "NW-", ""),
    ("1042-EU", "#", "-EU"),
    ("order 1042EU", "#", "-EU"),
    ("#1042", "NW-", ""),
])
def test_shop_prefix_and_suffix(text, prefix, suffix):
    assert find_order_numbers(text, prefix=prefix, suffix=suffix) == ("1042",)


@pytest.mark.parametrize("text", [
    "my phone is 555-123-4567",
    "call me at +1 415 555 0100",
    "my number is (415) 555-0100",
    "text 07700 900123",
    "call 555 0100",
    "555-0100",
    "my number is 5551234567",
    "+447700900123",
    "it cost $120",
    "I paid 120 for this",
    "that's 49.99",
    "€250",
    "120 dollars",
    "I ordered 100 pens",
    "I placed it 3 weeks ago",
    "order 3 weeks ago",
    "I placed an order last Tuesday",
    "ordered in 2024",
    "back in March 2025",
    "since 2023",
    "on 2026-02-20",
    "on 02/20/2026",
    "at 10:30",
    "my zip is 90210",
    "postcode 10115",
    "it's been 21 days",
    "I need 300 items",
    "tracking 9400111899223847561042",
    "",
])
def test_not_order_numbers(text):
    assert find_order_numbers(text) == ()


def test_emails_are_slots_and_never_order_numbers():
    understanding = understand("#1042 my email is Maya.Chen+1042@Example.com.")
    assert understanding.email == "Maya.Chen+1042@Example.com"
    assert understanding.order_numbers == ("1042",)
    assert understand("jane2024@example.com").order_numbers == ()


def test_both_slots_and_an_intent_in_one_message():
    understanding = understand("Where is order 1042? jane@example.com")
    assert (understanding.intent, understanding.order_number, understanding.email) == (
        "track", "1042", "jane@example.com")


def test_slots_alone_are_details_with_high_confidence():
    understanding = understand("1042")
    assert understanding.intent == "provide_details"
    assert understanding.is_confident


def test_email_words_do_not_become_intents():
    assert understand("me@amazon-fan.com").intent == "provide_details"


def test_primary_intent_with_flags_for_the_rest():
    understanding = understand("where is it? also I want a refund")
    assert understanding.intent == "track"
    assert "refund" in understanding.flags
    assert understanding.intents == {"track", "refund"}


def test_an_explicit_request_for_a_person_wins():
    understanding = understand("this is ridiculous, let me talk to a human about my refund")
    assert understanding.intent == "human"
    assert {"frustration", "refund"} <= understanding.flags


def test_frustration_rides_along_and_shouting_counts():
    assert "frustration" in understand("WHERE IS MY ORDER I NEED IT NOW").intents
    assert "frustration" in understand("where is my order!!!").intents
    assert "frustration" not in understand("Where is my order?").intents


def test_confidence_is_lower_for_typos_and_unknowns():
    clean, typo = understand("where is my package"), understand("hasnt arived")
    assert clean.is_confident and typo.is_confident
    assert typo.confidence < understand("hasn't arrived").confidence
    unknown = understand("purple monkey dishwasher")
    assert unknown.intent == "unknown" and not unknown.is_confident


def test_a_bare_mention_of_an_order_is_not_confident():
    assert not understand("about my order").is_confident


def test_a_reading_found_only_by_typo_correction_needs_the_models_agreement():
    # The correction turns the unknown real word "enjoyed" into the keyword "annoyed".
    assert correct_typos("enjoyed it a lot") == "annoyed it a lot"
    assert understand("enjoyed it a lot").intent != "frustration"
    assert understand("so anoyed with this shop").intent == "frustration"


def test_an_unsure_greeting_is_greeted_back_and_left_to_the_llm():
    understanding = understand("ahoy there matey")
    assert understanding.intent == "greeting" and not understanding.is_confident


@pytest.mark.parametrize(("text", "corrected"), [
    ("said", "said"), ("there", "there"), ("shop", "shop"), ("ordered", "ordered"),
    ("pakage", "package"), ("arived", "arrived"), ("recieved", "received"), ("amazn", "amazon"),
])
def test_typo_correction_fixes_keywords_but_not_common_words(text, corrected):
    assert correct_typos(text) == corrected


def test_normalise_expands_contractions_and_curly_apostrophes():
    assert normalise("Where’s my order? It hasn't ARRIVED") == \
        "where is my order it has not arrived"


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("pakage", "package", 1), ("recieved", "received", 1), ("arived", "arrived", 1),
    ("ship", "shop", 1), ("tracking", "trackign", 1), ("abcd", "wxyz", 3),
])
def test_edit_distance_is_capped_above_the_limit(a, b, distance):
    assert edit_distance(a, b, limit=2) == distance


def test_look_alike_letters_are_read_as_plain_ones():
    assert understand("\uff57\uff48\uff45\uff52\uff45 is my order").intent == "track"
    assert understand("\U0001d4d2\U0001d4ea\U0001d4f7\U0001d4ec\U0001d4ee\U0001d4f5 my order"
                      ).intent == "cancel"


def test_long_input_is_bounded():
    understanding = understand("where is my order " * 1000 + " #1042")
    assert understanding.intent == "track"
    assert understanding.order_numbers == ()
