"""Real conversations through the widget API end with the outcome their story deserves."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Conversation
from lumen.outcomes import Outcome
from tests.widget.conftest import order
from tests.widget.proxy import Chat

EMAIL_1019 = order("#1019")["email"]


def the_conversation() -> Conversation:
    db.session.expire_all()
    return db.session.scalars(select(Conversation)).one()


@pytest.mark.parametrize(("messages", "feedback", "expected"), [
    (["hello", "what are your opening hours?"], None, Outcome.OTHER),
    (["hi", "thanks"], "up", Outcome.OTHER),
    (["Where is my order?"], None, Outcome.UNANSWERED),  # left before giving a number
    (["Where is order #9999?"], None, Outcome.UNANSWERED),  # not found
    (["order #1019", "someone.else@example.com"], None, Outcome.UNANSWERED),  # no match
    ([f"order 1019 {EMAIL_1019}"], None, Outcome.ANSWERED),
    ([f"order 1019 {EMAIL_1019}"], "down", Outcome.ANSWERED),
    ([f"order 1019 {EMAIL_1019}", "thanks!"], None, Outcome.CONFIRMED),
    ([f"order 1019 {EMAIL_1019}"], "up", Outcome.CONFIRMED),
    ([f"order 1019 {EMAIL_1019}", "thanks!"], "down", Outcome.ANSWERED),
    ([f"order 1019 {EMAIL_1019}", "I want to talk to a person", "thanks"], "up",
     Outcome.ESCALATED),
    (["I want to talk to a person"], None, Outcome.ESCALATED),
])
def test_outcome_of_a_real_conversation(proxy, messages, feedback, expected):
    chat = Chat(proxy)
    for text in messages:
        chat.say(text)
    if feedback:
        assert chat.feedback(feedback).status_code == 204
    assert the_conversation().outcome is expected


def test_a_locked_verification_opens_a_ticket_and_is_escalated(proxy):
    chat = Chat(proxy)
    chat.say("order #1042")
    for attempt in range(6):
        chat.say(f"wrong{attempt}@example.com")
    conversation = the_conversation()
    assert conversation.asked_order and not conversation.details_delivered
    assert conversation.outcome is Outcome.ESCALATED
    assert conversation.ticket.reason == "verification_locked"


def test_turn_metrics_for_the_csv_and_analytics(proxy):
    chat = Chat(proxy)
    chat.say("Where is my order?")
    chat.say("#1019")
    conversation = the_conversation()
    first_reply = conversation.messages[1].latency_ms
    assert conversation.first_reply_ms == pytest.approx(first_reply, abs=0.1)
    assert conversation.llm_turns == 0
