"""Every behaviour of seeds 000-003 as an engine-level conversation over the demo orders.

Which demo order plays which scenario is documented by the "note" of each order in
lumen/devstore/fixtures/demo_orders.json.
"""

from __future__ import annotations

import pytest

ASK_EMAIL = "For security, please provide the email address associated with this order."
ASK_NUMBER = "What's your order number?"


def details_of(order: dict) -> list[str]:
    """Item titles, tracking numbers, URLs and the email of an order."""
    values = [order["email"], order["statusPageUrl"]]
    values += [line["title"] for line in order["lineItems"]["nodes"]]
    for fulfillment in order.get("fulfillments") or []:
        for info in fulfillment["trackingInfo"]:
            values += [info["number"], info["url"]]
    return values


# --- seed 000: your first conversation ------------------------------------------------------

@pytest.mark.parametrize("opening", ["Where is my order?", "Track my order"])
def test_000_without_an_order_number_lumen_asks_for_one(new_chat, opening):
    assert new_chat().text(opening).startswith(ASK_NUMBER)


def test_000_order_number_then_email_then_details(new_chat, demo_orders):
    chat = new_chat()
    assert chat.text("Can you check order #1042?") == ASK_EMAIL
    text = chat.text("maya.chen@example.com")
    assert "Your order #1042 has been shipped in 2 packages." in text
    assert "USPS" in text and "9400111899223847561042" in text
    links = [link.url for link in chat.results[-1].replies[-1].links]
    tracking = demo_orders["#1042"]["fulfillments"][0]["trackingInfo"][0]["url"]
    assert tracking in links


def test_000_verified_answers_cover_status_payment_items_carrier_tracking(new_chat):
    chat = new_chat()
    chat.send("#1050 jordan.reyes@example.com")
    assert "is: paid" in chat.text("payment status?")
    assert "Packable Rain Jacket" in chat.text("what did I order?")
    assert "USPS" in chat.text("which carrier?")
    assert "9400111899223851050736" in chat.text("tracking number please")
    assert chat.send("tracking link").replies[0].links


def test_000_wrong_email_shows_nothing_and_asks_to_check(new_chat, demo_orders):
    chat = new_chat()
    chat.send("#1042")
    text = chat.text("someone.else@example.com")
    assert "couldn't verify" in text and "check" in text
    assert not [value for value in details_of(demo_orders["#1042"]) if value in text]


@pytest.mark.parametrize(("question", "expected"), [
    ("Can I get the tracking link?", "Here's the tracking link"),
    ("Has it shipped?", "Yes!"),
    ("What if it has not arrived?", "If it still doesn't arrive"),
])
def test_000_follow_ups_use_the_verified_order(new_chat, question, expected):
    chat = new_chat()
    chat.send("Where is order 1050?")
    chat.send("jordan.reyes@example.com")
    result = chat.send(question)
    assert expected in "\n".join(reply.text for reply in result.replies)
    assert ASK_EMAIL not in [reply.text for reply in result.replies]


def test_000_a_new_session_verifies_again(new_chat):
    first = new_chat()
    first.send("#1042 maya.chen@example.com")
    second = new_chat()
    assert second.text("#1042") == ASK_EMAIL
    assert second.text("has it shipped?") == ASK_EMAIL


def test_000_frustration_escalates(new_chat):
    chat = new_chat()
    chat.send("#1050 jordan.reyes@example.com")
    chat.send("this is ridiculous")
    result = chat.send("useless, absolutely terrible")
    assert result.escalation.reason == "frustration"
    assert result.escalation.order_name == "#1050"


@pytest.mark.parametrize(("message", "action"), [
    ("Please cancel the order I placed", "cancel"), ("I want a refund", "refund"),
    ("can I change the items in my order", "change the items"),
    ("I want to return it", "return"), ("can I exchange it for a bigger size", "exchange"),
    ("please change my delivery address", "address"),
])
def test_000_lumen_does_not_modify_orders_and_escalates(new_chat, message, action):
    chat = new_chat()
    chat.send("#1042 maya.chen@example.com")
    result = chat.send(message)
    text = "\n".join(reply.text for reply in result.replies)
    assert "I'm not able to" in text and "order status, tracking and delivery" in text
    assert result.escalation.reason == "out_of_scope"
    assert action in result.escalation.summary
    assert result.escalation.order_name == "#1042"
    assert "They'll follow up using the contact details on your order." in text


def test_000_no_product_recommendations(new_chat):
    text = new_chat().text("can you recommend a good jacket?")
    assert "product" in text and "only check order status" in text


def test_000_multiple_orders_per_customer(new_chat):
    chat = new_chat()
    chat.send("#1019 jordan.reyes@example.com")
    assert "delivered" in chat.text("I have another order") + chat.text("#1019")
    text = chat.text("and #1050?")
    assert "matches the email you already verified" in text and "in transit" in text
    assert chat.results[-1].order_names == ["#1019", "#1050"]


# --- seed 001: customer experience ----------------------------------------------------------

@pytest.mark.parametrize("message", [
    "Where's my stuff?", "I placed an order last Tuesday, has it shipped?",
    "My order hasn't arrived",
])
def test_001_natural_language_asks_for_the_missing_detail(new_chat, message):
    assert new_chat().text(message).startswith(ASK_NUMBER)


def test_001_order_status_with_number_asks_for_email(new_chat):
    assert new_chat().text("Order 1042 status") == ASK_EMAIL


def test_001_question_asked_before_verification_is_answered_after(new_chat):
    chat = new_chat()
    chat.send("I placed an order last Tuesday, has it shipped?")
    chat.send("1050")
    assert chat.text("jordan.reyes@example.com").count("Yes!") == 1


def test_001_response_format_status_tracking_carrier_eta_link(new_chat):
    chat = new_chat()
    result = chat.send("where is #1050? my email is jordan.reyes@example.com")
    text = "\n".join(reply.text for reply in result.replies)
    for expected in ("in transit", "USPS", "9400111899223851050736",
                     "estimated delivery February 27"):
        assert expected in text
    assert any("usps.com" in link.url for reply in result.replies for link in reply.links)


@pytest.mark.parametrize("message", [
    "I need a refund", "I need to change my address", "the bottle arrived damaged",
])
def test_001_out_of_scope_is_acknowledged_explained_and_escalated(new_chat, message):
    result = new_chat().send(message)
    text = "\n".join(reply.text for reply in result.replies)
    assert "I'm not able to" in text
    assert "I can only check order status, tracking and delivery details" in text
    assert result.escalation.reason == "out_of_scope"
    assert "contact page" in text


# --- seed 002: common scenarios -------------------------------------------------------------

def test_002_delivered_but_not_received(new_chat):
    chat = new_chat()
    chat.send("It says delivered but I never got my package.")
    chat.send("1036")
    result = chat.send("sam.okafor@example.com")
    text = "\n".join(reply.text for reply in result.replies)
    assert "delivered on February 16 at 7:12 PM UTC by USPS" in text
    assert result.escalation.reason == "not_received"
    assert result.escalation.order_name == "#1036"
    assert "support team" in text


def test_002_split_shipment(new_chat):
    text = new_chat().text("Where is my order? #1042 maya.chen@example.com")
    assert "Your order #1042 has been shipped in 2 packages." in text
    assert "Package 1 (2 × Blue T-Shirt) shipped via USPS" in text
    assert "estimated delivery February 28" in text
    assert "Package 2 (Running Shoes) shipped via FedEx" in text
    assert "789104256318, currently in transit" in text


def test_002_pre_order(new_chat):
    chat = new_chat()
    chat.send("When will my pre-order ship?")
    chat.send("#1088")
    text = chat.text("chris.alvarez@example.com")
    assert ("Your order #1088 is confirmed and is being prepared. It hasn't shipped yet, so "
            "there's no tracking information available. If you'd like an estimated shipping "
            "date, I can connect you with our support team.") in text
    result = chat.send("yes please")
    assert result.escalation.reason == "human_requested"
    assert result.escalation.order_name == "#1088"


def test_002_international_stale_tracking(new_chat):
    chat = new_chat()
    chat.send("It's been 3 weeks and my order still hasn't arrived.")
    chat.send("1031")
    text = chat.text("lena.fischer@example.com")
    assert "Departed origin country (San Francisco, United States) on February 10" in text
    assert "USPS" in text and "LZ418263075US" in text


def test_002_wrong_order_number(new_chat):
    assert new_chat().text("Check order 9999") == (
        "I wasn't able to find an order matching #9999. Could you double-check the number? You "
        "can find it in your order confirmation email.")


@pytest.mark.parametrize("message", [
    "Where is my Amazon order?", "my etsy order hasn't come", "ebay order 1042",
])
def test_002_other_platforms(new_chat, message):
    chat = new_chat()
    assert chat.text(message) == (
        "I can only look up orders placed on this store. For orders from other platforms, "
        "you'll need to check with that platform directly. If you have an order from our "
        "store, I'm happy to help — just share the order number.")
    assert chat.store.calls == []


def test_002_cancelled(new_chat):
    chat = new_chat()
    chat.send("What happened to my order?")
    chat.send("1055")
    text = chat.text("priya.natarajan@example.com")
    assert "Your order #1055 was cancelled on February 20." in text
    assert "connect you with our support team" in text
    assert chat.send("yes").escalation.reason == "human_requested"


def test_002_3pl_without_tracking(new_chat):
    text = new_chat().text("Where is my package? #1039 dana.whitfield@example.com")
    assert "has been fulfilled" in text
    assert "no tracking details have been added" in text


def test_002_partially_fulfilled(new_chat):
    text = new_chat().text("status of #1063 alex.murphy@example.com")
    assert "Part of your order #1063 has shipped." in text
    assert "Not shipped yet: Down Sleeping Bag." in text


def test_002_payment_pending(new_chat):
    chat = new_chat()
    chat.send("#1077 jordan.reyes@example.com")
    assert "is: pending" in chat.text("has my payment gone through?")


# --- seed 003: verification first -----------------------------------------------------------

def test_003_before_verification_lumen_still_helps(new_chat):
    chat = new_chat()
    assert "verify your email before showing details" in chat.text("what can you do?")
    assert chat.text("#1042") == ASK_EMAIL
    result = chat.send("can I talk to a person?")
    assert result.escalation.reason == "human_requested"
    assert result.escalation.order_name is None


def test_003_order_number_is_not_a_password(new_chat, demo_orders):
    chat = new_chat()
    said = [chat.text(message) for message in (
        "Track order 1042", "has it shipped?", "what's the tracking link?", "what did I buy?",
        "was it paid?", "which carrier?", "when was it fulfilled?")]
    leaked = [value for value in details_of(demo_orders["#1042"]) if value in "\n".join(said)]
    assert not leaked
    assert all(text == ASK_EMAIL for text in said)


def test_003_after_verification_the_follow_ups(new_chat):
    chat = new_chat()
    chat.send("#1042")
    chat.send("maya.chen@example.com")
    assert "USPS" in chat.text("What carrier is it with?")
    assert "fulfilled on February 23" in chat.text("When was it fulfilled?")


def test_003_missing_tracking_is_said_not_invented(new_chat):
    chat = new_chat()
    chat.send("#1088 chris.alvarez@example.com")
    assert "no tracking information available" in chat.text("tracking number?")


def test_003_escalation_carries_the_verified_order(new_chat):
    chat = new_chat()
    chat.send("#1036 sam.okafor@example.com")
    result = chat.send("I want to talk to a human")
    assert result.escalation.order_name == "#1036"
    assert "@" not in result.escalation.summary
