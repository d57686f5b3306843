"""Passages chosen by code from a shop's policy HTML, and the replies built from them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lumen.conversation.policies import (
    Policy,
    choose_passage,
    find_country,
    find_policy,
    passages,
    policy_reply,
    quote,
)
from tests.conversation.conftest import SHOP, Chat

SHIPPING = Policy("SHIPPING_POLICY", "Shipping policy", (
    "<p>Orders leave our warehouse within 2 business days.</p>"
    "<table><tr><th>Country</th><th>Time</th><th>Price</th></tr>"
    "<tr><td>Canada</td><td>4&ndash;6 days</td><td>$9</td></tr>"
    "<tr><td>European Union</td><td>6&ndash;9 days</td><td>$14</td></tr></table>"
    "<ul><li>We do not ship to P.O. boxes.</li></ul>"), "https://shop.example/policies/shipping")
REFUND = Policy("REFUND_POLICY", "Refund policy", (
    "<h2>Returns</h2><p>Send items back within 14 days of delivery.</p>"
    "<h2>Refunds</h2><p>Refunds reach your card within 3 business days of approval.</p>"
    "<h2>Exceptions</h2><p>Gift cards cannot be returned.</p>"), "https://shop.example/refund")


def test_passages_are_blocks_with_their_headings_and_labelled_table_rows():
    assert passages(SHIPPING.body) == [
        ("Orders leave our warehouse within 2 business days.", ""),
        ("Canada: Time: 4\u20136 days; Price: $9", ""),
        ("European Union: Time: 6\u20139 days; Price: $14", ""),
        ("We do not ship to P.O. boxes.", ""),
    ]
    assert passages(REFUND.body)[1] == ("Refunds reach your card within 3 business days of "
                                        "approval.", "Refunds")


@pytest.mark.parametrize(("text", "country"), [
    ("do you ship to Canada?", "Canada"), ("shipping to the UK", "United Kingdom"),
    ("deliver to the U.S.?", "United States"), ("ship to us?", None),
    ("how long to new zealand", "New Zealand"), ("what is your return policy", None),
])
def test_countries_are_found_by_rules(text, country):
    assert find_country(text) == country


def test_a_named_country_picks_its_row_or_its_region():
    assert choose_passage(SHIPPING, "policy_shipping", "", "Canada").startswith("Canada:")
    assert choose_passage(SHIPPING, "policy_shipping", "", "France").startswith("European")
    assert choose_passage(SHIPPING, "policy_shipping", "", "Japan") is None


@pytest.mark.parametrize(("question", "start"), [
    ("what's your return policy", "Send items back"),
    ("when will I get my refund", "Refunds reach"),
    ("can I return a gift card", "Gift cards"),
])
def test_the_passage_shares_the_question_words(question, start):
    assert choose_passage(REFUND, "policy_returns", question).startswith(start)


def test_long_passages_are_cut_at_a_sentence():
    text = "First sentence is here. " * 30
    cut = quote(text, limit=100)
    assert cut.endswith(" …") and len(cut) <= 102 and cut[:-2].endswith(".")


def test_free_plans_link_and_paid_plans_quote():
    free = policy_reply([REFUND], "policy_returns", "returns policy, please?", quote_allowed=False)
    paid = policy_reply([REFUND], "policy_returns", "returns policy, please?", quote_allowed=True)
    assert "14 days" not in free.text and "14 days" in paid.text
    assert [link.url for link in free.links] == [link.url for link in paid.links] == [REFUND.url]
    assert free.offers_help and paid.offers_help


def test_a_policy_with_an_unsafe_url_is_not_linked():
    unsafe = Policy("REFUND_POLICY", "Refund policy", "<p>x</p>", "javascript:alert(1)")
    reply = policy_reply([unsafe], "policy_returns", "", quote_allowed=True)
    assert not reply.links and "don't have" in reply.text


def test_a_question_may_be_answered_from_the_other_policy():
    reply = policy_reply([SHIPPING, REFUND], "policy_shipping", "when do refunds reach my card",
                         quote_allowed=True)
    assert "Refunds reach your card" in reply.text
    assert [link.url for link in reply.links] == [REFUND.url]


def test_find_policy_matches_the_question_kind():
    assert find_policy([SHIPPING, REFUND], "policy_returns") is REFUND
    assert find_policy([REFUND], "policy_shipping") is None


def test_the_engine_answers_from_the_policy_source_and_waits_for_a_number(store):
    chat = Chat(store, shop=replace(SHOP, policy_answers=True), policies=(SHIPPING, REFUND))
    result = chat.send("do you ship to canada?")
    assert "Canada: Time: 4\u20136 days" in result.replies[0].text
    assert result.state.pending_intent == "eta"
    assert "For security" in chat.text("it's order 1042")


def test_without_policies_the_engine_offers_the_team(store):
    reply = Chat(store, shop=replace(SHOP, policy_answers=True)).send(
        "what is your refund policy").replies[0]
    assert reply.text.startswith("I don't have the store's return policy")
    assert reply.offers_help
