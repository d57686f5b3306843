"""One-time codes by email, through the widget API on the embedded default (inline jobs, the
demo outbox): every branch of the conversation, and what is (not) kept."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from lumen.conversation import AttemptLimiter
from lumen.conversation.replies import SEND_A_CODE
from lumen.extensions import db
from lumen.models import Conversation, Message, Role
from lumen.queue import get_redis
from lumen.security import email_hash
from tests.codes.conftest import (
    CODE_SENT,
    JORDAN,
    MAYA,
    NOBODY,
    code_in,
    edit_state,
    other_than,
    sent,
    state_of,
)
from tests.widget.conftest import order
from tests.widget.proxy import Chat

LOCKED = "too many unsuccessful attempts"


def replies_of(chat: Chat, text: str) -> list[dict]:
    """The raw replies to ``text``."""
    response = chat.send(text)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["replies"]


def ask_code(chat: Chat, email: str) -> str:
    """"I lost my order number", then the email: the reply to the email."""
    assert "What's the email address you used at checkout?" in chat.say("I lost my order number")
    return chat.say(email)


def test_an_address_with_one_order_gets_a_code_that_answers_about_it(chat, shop):
    assert CODE_SENT in ask_code(chat, MAYA)
    [message] = sent()
    assert message["To"] == MAYA
    assert message["From"] == "Lumen Demo <lumen@localhost>"  # the shop's name as sender name
    assert message["Subject"] == "Your Lumen Demo verification code"
    assert message["Auto-Submitted"] == "auto-generated"
    for part in ("plain", "html"):
        body = message.get_body(preferencelist=(part,)).get_content()
        assert code_in(message) in body and "10 minutes" in body
        assert "didn't ask for this, ignore this email" in body
    answer = chat.say(code_in(message))
    assert "This order matches the email you already verified" in answer
    tracking = order("#1042")["fulfillments"][0]["trackingInfo"][0]["number"]
    assert "Your order #1042" in answer and tracking in answer
    assert state_of(chat, shop)["verified"] == {"#1042": "gid://shopify/Order/5830000001042"}


def test_an_address_without_orders_gets_the_same_reply_and_no_mail(proxy, shop):
    with_orders, without = Chat(proxy), Chat(proxy, ip="198.51.100.9")
    with_orders.say("I lost my order number")
    without.say("I lost my order number")
    assert replies_of(with_orders, MAYA) == replies_of(without, NOBODY)
    assert [message["To"] for message in sent()] == [MAYA]
    # Whatever the shopper types, there is no code to match.
    assert "That code isn't right" in without.say("123456")
    assert state_of(without, shop)["verified"] == {}


def test_an_email_without_an_order_number_starts_the_code_path_too(chat):
    assert CODE_SENT in chat.say(f"hi, it's {MAYA}, where is my order?")
    assert "Your order #1042" in chat.say(code_in(sent()[0]))


def test_the_order_number_still_verifies_after_an_email_given_first(chat):
    chat.say(MAYA)
    assert "Thanks, that email matches the order." in chat.say("1042")


def test_three_wrong_codes_end_the_code(chat, shop):
    ask_code(chat, MAYA)
    code = code_in(sent()[0])
    assert "(2 more tries)" in chat.say(other_than(code, 1))
    assert "(1 more try)" in chat.say(other_than(code, 2))
    ended = chat.say(other_than(code, 3))
    assert "that was the last try" in ended and SEND_A_CODE in ended
    # The right code is now worth nothing: it is not even read as a code any more.
    assert "Your order" not in chat.say(code)
    assert state_of(chat, shop)["verified"] == {}


def test_an_expired_code_is_refused_and_a_new_one_can_be_asked_for(chat, shop):
    ask_code(chat, MAYA)
    code = code_in(sent()[0])
    edit_state(chat, shop, code_expires=time.time() - 1)
    expired = chat.say(code)
    assert "That code has expired." in expired and "Your order" not in expired
    assert "What's the email address" in chat.say(SEND_A_CODE)
    assert CODE_SENT in chat.say(MAYA)
    fresh = code_in(sent()[0])
    assert "Your order #1042" in chat.say(fresh)


def test_a_new_code_replaces_the_earlier_one(chat):
    ask_code(chat, MAYA)
    first = code_in(sent()[0])
    chat.say(MAYA)
    second = code_in(sent()[0])
    if first != second:
        assert "That code isn't right" in chat.say(first)
    assert "Your order #1042" in chat.say(second)


def test_three_codes_per_email_an_hour(proxy):
    for index in range(3):
        assert CODE_SENT in ask_code(Chat(proxy, ip=f"198.51.100.{index + 1}"), MAYA)
    limited = ask_code(Chat(proxy, ip="198.51.100.50"), MAYA)
    assert CODE_SENT not in limited and "can't send another code" in limited
    assert len(sent()) == 3


def test_three_codes_per_address_an_hour_whatever_the_emails(proxy):
    chat = Chat(proxy)
    for email in (MAYA, JORDAN, NOBODY):
        assert CODE_SENT in ask_code(chat, email)
    assert "can't send another code" in ask_code(chat, "sam.okafor@example.com")
    # The limit counts requests, not mail: the address without orders used one up too.
    assert [message["To"] for message in sent()] == [JORDAN, MAYA]
    other = Chat(proxy, ip="192.0.2.44")
    assert CODE_SENT in ask_code(other, "sam.okafor@example.com")


def test_a_code_recovers_an_order_locked_by_someone_elses_guesses(proxy, shop):
    # Guessers on other addresses fill #1042's own counter (5 wrong emails an hour).
    for index in range(5):
        guesser = Chat(proxy, ip=f"192.0.2.{index + 1}")
        guesser.say(f"#1042 guess{index}@example.com")
    owner = Chat(proxy, ip="203.0.113.99")
    locked = owner.say(f"#1042 {MAYA}")
    assert LOCKED in locked and "one-time code" in locked and SEND_A_CODE in locked
    assert "What's the email address" in owner.say(SEND_A_CODE)
    assert CODE_SENT in owner.say(MAYA)
    answer = owner.say(code_in(sent()[0]))
    assert "Your order #1042" in answer
    # The order's counter is still full: a guess in another session is still refused.
    assert AttemptLimiter().blocked("any", f"{shop.id}:#1042", "192.0.2.200")
    assert LOCKED in Chat(proxy, ip="192.0.2.200").say(f"#1042 {MAYA}")


def test_several_orders_are_listed_and_each_answered_without_another_code(chat, shop):
    ask_code(chat, JORDAN)
    [listing] = [reply for reply in replies_of(chat, code_in(sent()[0]))
                 if "I found these orders" in reply["text"]]
    lines = listing["text"].splitlines()[1:4]
    assert lines == ["#1077 · placed February 24 · confirmed",
                     "#1050 · placed February 18 · in transit",
                     "#1019 · placed January 12 · delivered"]
    assert listing["quick_replies"] == ["#1077", "#1050", "#1019"]
    # Name, date and status only: nothing else about the orders before one is picked.
    assert "USPS" not in listing["text"] and "tracking" not in listing["text"].lower()
    assert state_of(chat, shop)["verified"] == {}
    assert "Which of your orders" in chat.say("has it shipped?")
    assert "Your order #1050 is in transit" in chat.say("#1050")
    assert "Your order #1019 has been delivered" in chat.say("what about #1019?")
    assert "#1077" in chat.say("and 1077?")
    assert sorted(state_of(chat, shop)["verified"]) == ["#1019", "#1050", "#1077"]
    assert len(sent()) == 1


def test_the_picked_order_is_answered_as_after_a_normal_verification(proxy):
    by_code, by_email = Chat(proxy), Chat(proxy, ip="198.51.100.77")
    ask_code(by_code, JORDAN)
    by_code.say(code_in(sent()[0]))
    picked = replies_of(by_code, "#1050")
    typed = replies_of(by_email, f"#1050 {JORDAN}")
    assert picked[1:] == typed[1:]  # the same answer; only the first line says how it verified


def test_the_session_keeps_hashes_and_the_transcript_keeps_no_code(chat, shop):
    ask_code(chat, MAYA)
    code = code_in(sent()[0])
    stored = json.dumps(state_of(chat, shop))
    assert "maya" not in stored.lower() and code not in stored
    assert state_of(chat, shop)["code_email_hash"] == email_hash(MAYA)
    chat.say(code)
    db.session.commit()
    said = db.session.scalars(select(Message.text).where(Message.role == Role.SHOPPER)).all()
    assert said == ["I lost my order number", "[email]", "[code]"]
    conversation = db.session.scalars(select(Conversation)).one()
    assert conversation.order_names == ["#1042"] and conversation.outcome == "answered"


def test_the_code_job_is_deleted_once_it_has_run(chat):
    ask_code(chat, MAYA)
    ask_code(Chat(chat.proxy, ip="198.51.100.3"), NOBODY)
    assert get_redis().keys("rq:job:*") == []
    assert get_redis().keys("rq:results:*") == []


@pytest.mark.parametrize("text", ["123456", "123 456", "my code is 123456", "Code: 123-456"])
def test_a_pending_code_is_read_from_its_usual_forms(chat, text):
    ask_code(chat, NOBODY)
    assert "That code isn't right" in chat.say(text)


def test_codes_are_off_when_no_mail_can_be_sent(chat, app, monkeypatch):
    from lumen.mail import MissingTransport, get_mailer

    monkeypatch.setattr(get_mailer(), "transport", MissingTransport())
    assert "What's the email address you used" not in chat.say("I lost my order number")
    assert "What's your order number?" in chat.say(MAYA)
