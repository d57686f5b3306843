"""What a conversation leaves behind: redacted transcript, metrics, outcome, feedback, tickets."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from lumen.extensions import db
from lumen.models import Conversation, Feedback, Role, Ticket
from lumen.outcomes import Outcome
from lumen.security import email_hash
from lumen.tickets import actions as tickets
from lumen.widget import chat_sessions
from tests.widget.conftest import order
from tests.widget.proxy import Chat


def only_conversation() -> Conversation:
    db.session.expire_all()
    return db.session.scalars(select(Conversation)).one()


def test_the_conversation_row_waits_for_the_first_message(proxy):
    chat = Chat(proxy)
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0
    chat.say("hello")
    conversation = only_conversation()
    assert conversation.message_count == 2
    assert conversation.outcome is Outcome.OTHER
    assert conversation.started_at <= conversation.ended_at


def test_each_turn_stores_both_messages_with_intent_and_latency(proxy):
    chat = Chat(proxy)
    chat.say("Where is my order?")
    shopper, assistant = only_conversation().messages
    assert (shopper.role, assistant.role) == (Role.SHOPPER, Role.ASSISTANT)
    assert shopper.text == "Where is my order?"
    assert "order number" in assistant.text
    assert shopper.intent == assistant.intent == "track"
    assert assistant.latency_ms > 0 and shopper.latency_ms is None
    assert not shopper.used_llm and not assistant.used_llm


def test_verification_records_the_keyed_hash_and_orders_but_never_the_email(proxy):
    email = order("#1050")["email"]
    chat = Chat(proxy)
    chat.say(f"Where is order #1050? It's {email}, call me on +1 415 555 0134")
    conversation = only_conversation()
    assert conversation.customer_hash == email_hash(email)
    assert conversation.order_names == ["#1050"]
    assert conversation.order_ids == [order("#1050")["id"]]
    assert conversation.outcome is Outcome.ANSWERED and conversation.details_delivered
    shopper_text = conversation.messages[0].text
    assert email not in shopper_text and "415 555 0134" not in shopper_text
    assert "[email]" in shopper_text and "[phone]" in shopper_text


def test_transcript_keeps_the_links_without_their_secrets(proxy):
    chat = Chat(proxy)
    shown = chat.say("order 1019 jordan.reyes@example.com")
    stored = only_conversation().messages[-1].text
    tracking = order("#1019")["fulfillments"][0]["trackingInfo"][0]["url"]
    status_page = order("#1019")["statusPageUrl"]
    # The shopper sees the full links; the transcript keeps them without query or key.
    assert tracking in shown and status_page in shown
    assert tracking.split("?")[0] in stored and tracking not in stored
    assert "Order status page: [order status page]" in stored
    assert "key=" not in stored and status_page.split("/authenticate")[0] not in stored


def test_orders_accumulate_and_escalation_is_the_final_outcome(proxy):
    chat = Chat(proxy)
    chat.say("order 1019 jordan.reyes@example.com")
    chat.say("and my other order 1050?")
    chat.say("I want to talk to a person")
    chat.say("thanks")
    conversation = only_conversation()
    assert conversation.order_names == ["#1019", "#1050"]
    assert conversation.outcome is Outcome.ESCALATED
    assert conversation.message_count == 8


def test_feedback_is_recorded_on_the_conversation(proxy):
    chat = Chat(proxy)
    chat.say("hello")
    response = chat.feedback("up")
    assert response.status_code == 204 and response.get_data() == b""
    assert only_conversation().feedback is Feedback.UP
    assert chat.feedback("down").status_code == 204
    assert only_conversation().feedback is Feedback.DOWN


def test_feedback_before_any_message_is_accepted_and_ignored(proxy):
    assert Chat(proxy).feedback("up").status_code == 204
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0


def test_feedback_needs_a_live_session(proxy):
    response = proxy.post("api/feedback", {"session": "forged.token.value", "rating": "up"})
    assert response.status_code == 401


def test_server_timing_reports_the_time_spent_waiting_for_shopify(proxy):
    chat = Chat(proxy)
    timing = chat.send("Can you check order #1042?").headers["Server-Timing"]
    parts = dict(part.strip().split(";dur=") for part in timing.split(","))
    assert 0 < float(parts["shopify"]) < float(parts["app"])
    idle = chat.send("hello").headers["Server-Timing"]
    assert idle.endswith("shopify;dur=0.00")


def test_a_retention_deleted_conversation_restarts_the_record(proxy):
    chat = Chat(proxy)
    chat.say("hello")
    db.session.delete(only_conversation())
    db.session.commit()
    chat.say("hello again")
    assert only_conversation().message_count == 2


def escalation(reason: str, order_name: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(reason=reason, summary=f"Summary for {reason}, mail a@b.example",
                           order_name=order_name)


@pytest.fixture
def conversation(shop) -> Conversation:
    conversation = Conversation(shop_id=shop.id, order_names=[], message_count=0)
    db.session.add(conversation)
    db.session.flush()
    return conversation


def test_escalating_twice_updates_the_one_ticket(conversation):
    first = tickets.escalate(conversation, escalation("human_requested", "#1042"))
    db.session.commit()
    second = tickets.escalate(conversation, escalation("frustration"))
    db.session.commit()
    assert first.id == second.id
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 1
    assert (second.reason, second.order_name) == ("frustration", "#1042")
    assert second.summary == "Summary for frustration, mail [email]"
    assert second.updated_at >= second.created_at


def test_a_ticket_created_concurrently_is_reused(conversation, monkeypatch):
    existing = tickets.escalate(conversation, escalation("human_requested"))
    db.session.commit()
    answers = iter([None])

    def looked_too_early(_conversation):
        # The race: this turn looked before the other turn's ticket was committed.
        return next(answers, existing)

    monkeypatch.setattr(tickets, "_ticket_for", looked_too_early)
    ticket = tickets.escalate(conversation, escalation("not_received", "#1036"))
    db.session.commit()
    assert ticket.id == existing.id
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 1
    assert ticket.reason == "not_received"


def test_a_turn_whose_transcript_fails_to_commit_leaves_the_session_unchanged(
        proxy, shop, monkeypatch):
    chat = Chat(proxy)

    def failing_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = chat.send("Can you check order #1042?")
    assert response.status_code == 500
    assert response.get_json()["error"] == "internal_error"
    monkeypatch.undo()
    state = chat_sessions.load(chat_sessions.read_token(chat.token, shop.id)).state
    assert state["pending_order"] is None and state["turns"] == 0
    chat.say("hello")
    assert chat_sessions.load(chat_sessions.read_token(chat.token, shop.id)).state["turns"] == 1
