"""The engine's state machine: slots, memory, fresh data, outages and escalations."""

from __future__ import annotations

import json

import pytest

from lumen.conversation import (
    AttemptLimiter,
    Escalation,
    SessionState,
    ShopProfile,
    handle_turn,
)
from lumen.conversation.state import ESCALATION_REASONS
from lumen.security import email_hash
from tests.conversation.conftest import STORY_NOW, Chat, FakeStore

ASK_EMAIL = "For security, please provide the email address associated with this order."


def test_both_slots_in_one_message_verify_in_one_turn(new_chat):
    result = new_chat().send("where's order #1042? maya.chen@example.com")
    assert result.order_names == ["#1042"]
    assert result.resolved
    assert result.replies[0].text == "Thanks, that email matches the order."


def test_the_state_keeps_hashes_never_the_email(new_chat):
    chat = new_chat()
    chat.send("#1042")
    chat.send("Maya.Chen@example.com")
    stored = json.dumps(chat.state.to_dict())
    assert "@" not in stored and "maya" not in stored.lower()
    assert email_hash("maya.chen@example.com") in stored
    assert chat.state.verified == {"#1042": "gid://shopify/Order/5830000001042"}


def test_email_first_then_number(new_chat):
    chat = new_chat()
    assert "What's your order number?" in chat.text("jordan.reyes@example.com")
    assert "Thanks, that email matches" in chat.text("1050")


def test_a_wrong_email_given_first_counts_as_an_attempt(new_chat):
    chat = new_chat()
    chat.send("someone@example.com")
    assert "couldn't verify" in chat.text("1050")
    assert chat.state.failed_attempts == 1


def test_a_second_order_with_another_email_asks_again(new_chat):
    chat = new_chat()
    chat.send("#1042 maya.chen@example.com")
    assert chat.text("what about #1050?") == ASK_EMAIL
    assert chat.state.failed_attempts == 0
    assert "in transit" in chat.text("jordan.reyes@example.com")
    assert chat.results[-1].order_names == ["#1042", "#1050"]


def test_switching_back_to_a_verified_order_needs_no_email(new_chat):
    chat = new_chat()
    chat.send("#1042 maya.chen@example.com")
    chat.send("#1050 jordan.reyes@example.com")
    assert "#1042" in chat.text("what's in order 1042?")


def test_follow_ups_read_fresh_data_every_turn(new_chat):
    chat = new_chat()
    chat.send("#1050 jordan.reyes@example.com")
    fulfillment = chat.store.orders["#1050"]["fulfillments"][0]
    fulfillment.update(displayStatus="DELIVERED", deliveredAt="2026-02-27T17:02:00Z")
    chat.store.orders["#1050"]["displayFulfillmentStatus"] = "FULFILLED"
    assert "delivered on February 27" in chat.text("has it arrived yet? any update?")
    assert chat.store.calls.count("#1050") == 2


def test_a_verified_order_whose_email_changed_must_be_verified_again(new_chat):
    chat = new_chat()
    chat.send("#1050 jordan.reyes@example.com")
    chat.store.orders["#1050"]["email"] = "new.owner@example.com"
    text = chat.text("tracking link?")
    assert "can't find that order" in text and "9400" not in text
    assert chat.state.verified == {}


def test_the_store_being_down_is_said_honestly(new_chat):
    chat = new_chat()
    chat.send("#1042")
    chat.store.down = True
    result = chat.send("maya.chen@example.com")
    assert [reply.text for reply in result.replies] == [
        "I can't reach the store's order system right now. Please try again in a minute."]
    assert chat.state.pending_order == "#1042"
    chat.store.down = False
    assert "2 packages" in chat.text("maya.chen@example.com")


def test_handle_turn_leaves_the_callers_state_alone(app, store):
    state = SessionState.new("fixed-session")
    before = state.to_dict()
    handle_turn(state, "#1042 maya.chen@example.com", shop=Chat(store).shop, lookup=store,
                limiter=AttemptLimiter(), client_ip="203.0.113.1", now=STORY_NOW)
    assert state.to_dict() == before


def test_an_escalation_before_verification_gets_the_order_after(new_chat):
    chat = new_chat()
    first = chat.send("I want to talk to a person")
    assert (first.escalation.reason, first.escalation.order_name) == ("human_requested", None)
    assert "contact page" in first.replies[-1].text
    chat.send("#1036")
    result = chat.send("sam.okafor@example.com")
    assert (result.escalation.reason, result.escalation.order_name) == (
        "human_requested", "#1036")
    assert "added your order #1036" in result.replies[-1].text


def test_an_out_of_scope_request_with_an_order_number_waits_for_the_email(new_chat):
    result = new_chat().send("cancel order #1042")
    texts = [reply.text for reply in result.replies]
    assert texts[0].startswith("I'm not able to cancel orders")
    assert "Once you've verified the email" in texts[1]
    assert texts[-1] == ASK_EMAIL


def test_a_question_with_a_refund_gets_both_answers(new_chat):
    chat = new_chat()
    chat.send("#1050 jordan.reyes@example.com")
    result = chat.send("where is it? also I want a refund")
    text = "\n".join(reply.text for reply in result.replies)
    assert "in transit" in text and "process refunds" in text
    assert result.escalation.reason == "out_of_scope"


def test_declining_an_offer_withdraws_it(new_chat):
    chat = new_chat()
    chat.send("#1088 chris.alvarez@example.com")
    assert chat.send("no thanks").escalation is None
    assert chat.send("yes").escalation is None


def test_several_numbers_start_with_the_first(new_chat):
    text = new_chat().text("orders 1042 and 1050")
    assert "Let's start with #1042" in text and text.endswith(ASK_EMAIL)


def test_the_shops_own_order_name_format(store):
    store.orders = {"NW-1042" if name == "#1042" else name: {**order, "name": name}
                    for name, order in store.orders.items()}
    store.orders["NW-1042"]["name"] = "NW-1042"
    chat = Chat(store, shop=ShopProfile(1, "nw.myshopify.com", "North Wind", "NW-"))
    assert chat.text("my order is nw1042") == ASK_EMAIL
    assert "NW-1042" in chat.text("maya.chen@example.com")
    assert store.calls == ["NW-1042", "NW-1042"]


@pytest.mark.parametrize(("message", "expected"), [
    ("hi", "Hi! I can check on an order"),
    ("purple monkey dishwasher", "didn't quite get that"),
    ("what can you do", "automated order assistant"),
    ("thank you!", "You're welcome"),
])
def test_small_talk_before_any_order(new_chat, message, expected):
    assert expected in new_chat().text(message)


def test_small_talk_while_an_email_is_awaited_repeats_the_question(new_chat):
    chat = new_chat()
    chat.send("#1042")
    assert chat.text("hello?") == ASK_EMAIL
    assert chat.text("blah") == ASK_EMAIL


def test_small_talk_after_verification_stays_on_the_order(new_chat):
    chat = new_chat()
    chat.send("#1042 maya.chen@example.com")
    assert "#1042" in chat.text("hey")
    assert "#1042" in chat.text("purple monkey dishwasher")


def test_another_order_forgets_the_current_one(new_chat):
    chat = new_chat()
    chat.send("#1042 maya.chen@example.com")
    assert "your other order" in chat.text("I have another order")
    assert "What's your order number?" in chat.text("has it shipped?")


def test_turn_results_report_intent_and_confidence(new_chat):
    result = new_chat().send("where is my pakage")
    assert (result.intent, result.confident, result.resolved) == ("track", True, False)
    assert new_chat().send("zzz").confident is False


@pytest.mark.parametrize("broken", [
    {}, {"session_id": ""}, {"session_id": "s", "verified": []},
    {"session_id": "s", "failed_attempts": "3"},
])
def test_malformed_state_is_rejected(broken):
    with pytest.raises((ValueError, TypeError)):
        SessionState.from_dict(broken)


def test_state_ignores_unknown_keys():
    state = SessionState.from_dict({"session_id": "s", "from_a_newer_version": 1})
    assert state.session_id == "s"


def test_escalation_summaries_hold_no_shopper_words(new_chat):
    chat = new_chat()
    chat.send("#1036 sam.okafor@example.com")
    result = chat.send("call me on 555-123-4567 or write to sam@example.com, I want a human")
    assert result.escalation.reason == "human_requested"
    assert "555" not in result.escalation.summary and "@" not in result.escalation.summary


def test_an_escalation_names_one_of_the_known_reasons():
    assert Escalation("frustration", "summary").reason in ESCALATION_REASONS
    with pytest.raises(ValueError, match="unknown escalation reason"):
        Escalation("frustrated", "summary")


def test_a_number_hidden_by_redaction_is_not_echoed(new_chat):
    # The understanding layer takes "5550123" for an order number; the transcript hides it
    # as a phone number, so the reply must not repeat it.
    reply = new_chat().text("order (415) 5550123")
    assert "5550123" not in reply
    assert "I wasn't able to find an order with that number." in reply


def test_a_plain_order_number_that_is_not_found_is_named(new_chat):
    assert "matching #9999" in new_chat().text("order 9999")


class LocatingStore(FakeStore):
    """A lookup that can also find an order's id alone, as the Shopify one does."""

    def locate(self, name: str) -> str | None:
        self.calls.append(f"locate {name}")
        order = self.orders.get(name)
        return order["id"] if order else None


def test_a_number_alone_only_locates_the_order_and_keeps_its_id(store):
    chat = Chat(LocatingStore(store.orders))
    assert chat.text("#1042") == ASK_EMAIL
    assert chat.store.calls == ["locate #1042"]
    assert chat.state.located == {"#1042": "gid://shopify/Order/5830000001042"}
    assert "matches the order" in chat.text("maya.chen@example.com")
    assert chat.store.calls == ["locate #1042", "#1042"]
    assert chat.state.located == {}, "a verified order's id is kept in verified only"


def test_a_number_not_found_by_locating_is_not_found(store):
    chat = Chat(LocatingStore(store.orders))
    assert "able to find an order matching #9999" in chat.text("#9999")
    assert chat.state.located == {} and chat.state.pending_order is None


def test_a_proven_email_reads_the_next_order_at_once(store):
    chat = Chat(LocatingStore(store.orders))
    chat.send("#1050 jordan.reyes@example.com")
    chat.store.calls.clear()
    assert "#1077" in chat.text("and #1077?")
    assert chat.store.calls == ["#1077"]  # read and compared with the proven email at once
    assert "#1077" in chat.state.verified
