"""Every seed scenario as a conversation through the widget API, orders from the dev store."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lumen.conversation.replies import ASK_EMAIL, ASK_ORDER_NUMBER, OTHER_PLATFORM, WRONG_EMAIL
from lumen.extensions import db
from lumen.models import Ticket
from tests.widget.conftest import FIXTURES, order
from tests.widget.proxy import Chat


def private_details(name: str) -> list[str]:
    """What must never be shown before verification: items, tracking, links, carriers."""
    fixture = order(name)
    details = [item["title"] for item in fixture["lineItems"]["nodes"]]
    details.append(fixture["statusPageUrl"])
    for fulfillment in fixture.get("fulfillments", []):
        for tracking in fulfillment.get("trackingInfo", []):
            details += [tracking["number"], tracking["url"], tracking["company"]]
    return details


def all_private_details() -> list[str]:
    return [detail for fixture in FIXTURES["orders"] for detail in private_details(fixture["name"])]


def assert_reveals_nothing(text: str) -> None:
    leaked = [detail for detail in all_private_details() if detail in text]
    assert not leaked, f"revealed before verification: {leaked}"


def trackings(name: str) -> list[dict]:
    return [tracking for fulfillment in order(name).get("fulfillments", [])
            for tracking in fulfillment.get("trackingInfo", [])]


def verified_chat(proxy, name: str) -> Chat:
    chat = Chat(proxy)
    assert chat.say(f"Can you check order {name}?").startswith(ASK_EMAIL)
    assert "matches the order" in chat.say(order(name)["email"])
    return chat


def tickets() -> list[Ticket]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ticket)))


# --- seed 000 / 001: the expected flow, in the shopper's own words --------------------------

@pytest.mark.parametrize("message", [
    "Where is my order?", "Track my order", "Where's my stuff?", "wheres my pakage",
    "I placed an order last Tuesday, has it shipped?", "My order hasn't arrived",
])
def test_without_an_order_number_lumen_asks_for_one(proxy, message):
    text = Chat(proxy).say(message)
    assert ASK_ORDER_NUMBER in text
    assert_reveals_nothing(text)


@pytest.mark.parametrize("message", [
    "Can you check order #1042?", "Order 1042 status", "order no. 1042", "my order number is 1042",
])
def test_an_order_number_in_any_form_leads_to_the_email_check(proxy, message):
    text = Chat(proxy).say(message)
    assert text == ASK_EMAIL
    assert_reveals_nothing(text)


def test_verified_shopper_gets_status_payment_items_carrier_tracking_and_link(proxy):
    chat = Chat(proxy)
    assert chat.say("Where is my order?").startswith(ASK_ORDER_NUMBER)
    assert chat.say("It's #1042") == ASK_EMAIL
    answer = chat.say("maya.chen@example.com")
    assert "shipped in 2 packages" in answer
    for item in order("#1042")["lineItems"]["nodes"]:
        assert item["title"] in answer
    for tracking in trackings("#1042"):
        assert tracking["company"] in answer and tracking["number"] in answer
        assert tracking["url"] in answer
    assert "paid" in chat.say("Has it been paid?").lower()


def test_follow_ups_in_the_same_session_need_no_new_verification(proxy):
    chat = verified_chat(proxy, "#1042")
    links = chat.say("Can I get the tracking link?")
    assert all(tracking["url"] in links for tracking in trackings("#1042"))
    assert "shipped" in chat.say("Has it shipped?")
    carriers = chat.say("What carrier is it with?")
    assert "USPS" in carriers and "FedEx" in carriers
    assert "fulfilled on February 23" in chat.say("When was it fulfilled?")
    assert "support team" in chat.say("What if it has not arrived?")


def test_a_wrong_email_reveals_nothing_and_asks_to_check(proxy):
    chat = Chat(proxy)
    chat.say("Can you check order #1042?")
    text = chat.say("jordan.reyes@example.com")
    assert WRONG_EMAIL in text
    assert_reveals_nothing(text)
    assert "9400111899223847561042" in chat.say("  Maya.Chen@Example.COM ")


def test_order_number_and_email_in_one_message_verify_in_one_turn(proxy):
    text = Chat(proxy).say("Where is order #1050? my email is jordan.reyes@example.com")
    assert trackings("#1050")[0]["number"] in text


def test_a_new_session_must_verify_again(proxy):
    verified_chat(proxy, "#1042")
    text = Chat(proxy).say("Can you check order #1042?")
    assert text == ASK_EMAIL


def test_too_many_wrong_emails_lock_verification_without_revealing_anything(proxy):
    chat = Chat(proxy)
    chat.say("order 1042")
    texts = [chat.say(f"guess{number}@example.com") for number in range(3)]
    assert "too many unsuccessful attempts" in texts[-1]
    assert "too many unsuccessful attempts" in chat.say("order 1042")
    assert_reveals_nothing("\n".join(texts))
    # A lock alone opens no ticket (scripts can trip locks); asking for a person does.
    assert tickets() == []
    chat.say("talk to a person")
    assert [ticket.reason for ticket in tickets()] == ["verification_locked"]


# --- seed 002: common scenarios ------------------------------------------------------------

def test_delivered_but_not_received_reports_delivery_and_escalates(proxy):
    chat = verified_chat(proxy, "#1036")
    text = chat.say("It says delivered but I never got my package.")
    assert "delivered on February 16" in text and "USPS" in text
    assert "support team" in text
    [ticket] = tickets()
    assert (ticket.reason, ticket.order_name) == ("not_received", "#1036")


def test_split_shipment_lists_each_package_separately(proxy):
    text = verified_chat(proxy, "#1042").say("Where is my order?")
    assert "Package 1 (2 × Blue T-Shirt) shipped via USPS" in text
    assert "Package 2 (Running Shoes) shipped via FedEx" in text
    assert "estimated delivery February 28" in text


def test_pre_order_is_confirmed_without_tracking_and_offers_support(proxy):
    text = Chat(proxy).say("When will my pre-order ship? order #1088 chris.alvarez@example.com")
    assert "#1088 is confirmed and is being prepared" in text
    assert "no tracking information available" in text
    assert "support team" in text


def test_stale_international_tracking_reports_the_last_event_and_carrier(proxy):
    chat = Chat(proxy)
    assert ASK_ORDER_NUMBER in chat.say("It's been 3 weeks and my order still hasn't arrived.")
    chat.say("1031")
    text = chat.say("lena.fischer@example.com")
    assert "Departed origin country" in text and "February 10" in text
    assert "USPS" in text and "LZ418263075US" in text


def test_wrong_order_number_is_not_found_and_asks_to_double_check(proxy):
    text = Chat(proxy).say("Check order 9999")
    assert "I wasn't able to find an order matching #9999. Could you double-check" in text


@pytest.mark.parametrize("platform", ["Amazon", "Etsy"])
def test_orders_from_other_platforms_are_explained(proxy, platform):
    assert OTHER_PLATFORM in Chat(proxy).say(f"Where is my {platform} order?")


def test_cancelled_order_reports_the_date_and_offers_support(proxy):
    chat = Chat(proxy)
    chat.say("What happened to my order? #1055")
    text = chat.say("priya.natarajan@example.com")
    assert "#1055 was cancelled on February 20" in text
    assert "support team" in text


def test_fulfilled_by_a_3pl_without_tracking_says_so(proxy):
    text = Chat(proxy).say("Where is my package? 1039 dana.whitfield@example.com")
    assert "fulfilled on February 15" in text
    assert "no tracking details have been added" in text


def test_another_order_with_the_proven_email_needs_no_new_email(proxy):
    chat = verified_chat(proxy, "#1019")
    text = chat.say("what about my other order 1050?")
    assert trackings("#1050")[0]["number"] in text
    assert chat.say("and #1042") == ASK_EMAIL


def test_busy_sale_conversations_are_independent(proxy):
    first, second = Chat(proxy), Chat(proxy)
    first.say("order 1042")
    second.say("order 1050")
    assert "9400111899223851050736" in second.say("jordan.reyes@example.com")
    assert WRONG_EMAIL in first.say("jordan.reyes@example.com")


# --- out of scope, human help and frustration: one ticket per conversation -----------------

def test_out_of_scope_request_is_explained_and_escalated(proxy):
    text = Chat(proxy).say("I want a refund please")
    assert "not able to process refunds" in text
    assert "support team" in text
    assert [ticket.reason for ticket in tickets()] == ["out_of_scope"]


def test_talking_to_a_human_twice_keeps_one_ticket_updated(proxy):
    chat = verified_chat(proxy, "#1036")
    chat.say("I want to talk to a human")
    [ticket] = tickets()
    first_update = ticket.updated_at
    assert (ticket.reason, ticket.order_name) == ("human_requested", "#1036")
    chat.say("It says delivered but I never got my package.")
    [ticket] = tickets()
    assert ticket.reason == "not_received"
    assert ticket.updated_at > first_update
    assert "@" not in ticket.summary


def test_repeated_frustration_escalates(proxy):
    chat = Chat(proxy)
    chat.say("this is useless")
    chat.say("I'm so angry, this bot is terrible")
    assert [ticket.reason for ticket in tickets()] == ["frustration"]


def test_shopify_being_unreachable_is_an_answer_not_an_error(proxy, shop):
    shop.access_token = "shpat_revoked"
    db.session.commit()
    response = Chat(proxy).send("Can you check order #1042?")
    assert response.status_code == 200
    assert "can't reach the store's order system" in response.get_json()["replies"][0]["text"]
