"""Escalation alerts on the embedded default: the inline queue sends to the outbox."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from lumen.alerts import jobs
from lumen.alerts.actions import alert_status
from lumen.alerts.message import reason_words
from lumen.extensions import db
from lumen.models import Conversation, Plan, Shop, Ticket, TicketStatus, utcnow
from lumen.queue import get_queue, get_redis
from lumen.shops import cached_zone
from tests.alerts.conftest import SHOPPER, TEAM, never_arrived, sent
from tests.webhooks.dbscan import tables_mentioning


def only_ticket() -> Ticket:
    db.session.expire_all()
    return db.session.scalars(select(Ticket)).one()


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_an_escalation_on_pro_sends_one_alert_with_the_order_and_reply_to(chat, caplog):
    caplog.set_level(logging.DEBUG)
    never_arrived(chat)
    [message] = sent()
    assert message["Subject"] == "Lumen escalation: order #1036, parcel not received"
    assert message["To"] == TEAM and message["Reply-To"] == SHOPPER
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].startswith("<lumen.ticket-")
    assert message["References"] is None and message["In-Reply-To"] is None
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_part(message), html_part(message)
    for part in (text, html):
        assert "parcel not received" in part
        assert "USPS" in part and "9405511899561234570036" in part
        assert "Delivered, in/at mailbox" in part
        assert "Insulated Water Bottle" in part
        assert "It says delivered but I never got my package" in part
        assert "/tickets?status=all" in part
        # The transcript is the stored, redacted one: the address only ever is the Reply-To.
        assert SHOPPER not in part
    ticket = only_ticket()
    assert ticket.alerted_at is not None and ticket.alerted_reason == "not_received"
    assert ticket.alerts_sent == 1 and ticket.alert_error is None and ticket.alert_due_at is None
    # Never stored: not in any table, not in the job's hash in Redis, not in a log line.
    assert tables_mentioning(SHOPPER, "sam.okafor") == {}
    for key in get_redis().keys("rq:job:*"):
        assert b"sam.okafor" not in b"".join(get_redis().hgetall(key).values())
    assert "sam.okafor" not in caplog.text


def test_the_job_is_queued_by_ticket_id_and_returns_no_personal_data(chat):
    never_arrived(chat)
    [job_id] = [key.decode().removeprefix("rq:job:") for key in get_redis().keys("rq:job:*")]
    job = Job.fetch(job_id, connection=get_redis())
    assert job.func_name == "lumen.alerts.jobs.send_alert"
    assert job.args == (only_ticket().id,) and job.return_value() == "sent"
    assert job.retries_left == 4 and job.timeout == 60


def test_a_retried_job_sends_nothing_more(chat):
    never_arrived(chat)
    assert jobs.send_alert(only_ticket().id) == "already sent"
    assert len(sent()) == 1


def test_the_same_reason_again_sends_nothing(chat):
    never_arrived(chat)
    chat.say("I still never got my package")
    assert len(sent()) == 1


def test_a_new_reason_within_the_hour_waits_for_the_hour_then_sends_an_update(chat):
    never_arrived(chat)
    first = sent()[0]
    chat.say("I want to talk to a person")
    ticket = only_ticket()
    assert ticket.reason == "human_requested" and len(sent()) == 1
    [scheduled] = ScheduledJobRegistry(queue=get_queue()).get_job_ids()
    when = ScheduledJobRegistry(queue=get_queue()).get_scheduled_time(scheduled)
    assert abs(when - (ticket.alerted_at + timedelta(hours=1))) < timedelta(seconds=1)
    assert ticket.alert_due_at == ticket.alerted_at + timedelta(hours=1)
    assert alert_status(ticket).label.startswith("update due ")
    assert jobs.send_alert(ticket.id) == "alerted within the hour"
    ticket.alerted_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    assert jobs.send_alert(ticket.id) == "sent"
    update = sent()[0]
    assert update["Subject"] == "Lumen escalation: order #1036, asked for a person"
    assert update["In-Reply-To"] == first["Message-ID"] == update["References"]
    assert update["Message-ID"] != first["Message-ID"]
    assert "Update: this ticket has a new reason." in text_part(update)
    assert only_ticket().alerts_sent == 2


@pytest.mark.parametrize(("plan", "address"), [(Plan.FREE, TEAM), (Plan.PRO, None)])
def test_no_alert_without_a_paid_plan_or_an_address(client, create_store, plan, address):
    from tests.conftest import TEST_SECRETS
    from tests.widget.proxy import Chat, ProxyClient

    shop = create_store(plan=plan, escalation_email=address)
    never_arrived(Chat(ProxyClient(client, shop.domain, TEST_SECRETS["SHOPIFY_API_SECRET"])))
    assert only_ticket().reason == "not_received"
    assert sent() == [] and get_redis().keys("rq:job:*") == []


def test_no_verified_order_says_so_without_reply_to(chat):
    chat.say("I need to talk to a human")
    [message] = sent()
    assert message["Subject"] == "Lumen escalation: no verified order, asked for a person"
    assert message["Reply-To"] is None
    assert "did not verify an order" in text_part(message)


def test_shopify_unreachable_sends_without_order_block_and_says_so(chat, app, pro_shop):
    pro_shop.settings.escalation_email = None  # no alert while the turn itself reads Shopify
    db.session.commit()
    never_arrived(chat)
    db.session.get(Shop, pro_shop.id).settings.escalation_email = TEAM
    db.session.commit()
    app.config["LUMEN_SHOPIFY_ADMIN_URL"] = "http://127.0.0.1:9"  # nothing listens there
    assert jobs.send_alert(only_ticket().id) == "sent"
    [message] = sent()
    assert message["Reply-To"] is None
    assert message["Subject"] == "Lumen escalation: order #1036, parcel not received"
    text = text_part(message)
    assert "Shopify did not answer when this alert was sent" in text
    assert "ORDER #1036" not in text and "Package 1" not in text


def test_shopper_text_is_escaped_in_the_html_part(chat):
    chat.say("<b>hello</b> I need a human")
    html = html_part(sent()[0])
    # The subject is fixed words only: never what the shopper wrote.
    assert sent()[0]["Subject"] == "Lumen escalation: no verified order, asked for a person"
    assert "&lt;b&gt;hello&lt;/b&gt;" in html and "<b>hello" not in html


def test_a_closed_ticket_sends_nothing(chat):
    chat.say("I need to talk to a human")
    ticket = only_ticket()
    ticket.status, ticket.reason = TicketStatus.CLOSED, "frustration"
    ticket.alerted_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    assert jobs.send_alert(ticket.id) == "ticket closed"


def test_a_deleted_ticket_sends_nothing(app):
    assert jobs.send_alert(12345) == "ticket deleted"


def test_the_transcript_reads_in_the_zone_shopify_gives(chat, pro_shop):
    never_arrived(chat)
    [message] = sent()
    assert "TRANSCRIPT (times in America/New_York;" in text_part(message)
    assert "tracking 9405511899561234570036" in text_part(message)  # Lumen's own words, kept
    db.session.expire_all()
    assert db.session.get(Shop, pro_shop.id).iana_timezone == "America/New_York"


def test_transcript_times_use_the_cached_zone(pro_shop):
    assert str(cached_zone(pro_shop)) == "UTC"
    pro_shop.iana_timezone = "America/New_York"  # as the admin's history pages cache it
    assert str(cached_zone(pro_shop)) == "America/New_York"
    pro_shop.iana_timezone = "Not/AZone"
    assert str(cached_zone(pro_shop)) == "UTC"


def test_the_alert_status_reads_in_the_shop_zone():
    ticket = Ticket(alerted_at=datetime(2026, 7, 1, 16, 5, tzinfo=UTC))
    assert alert_status(ticket).label == "alert sent Jul 01, 16:05 UTC"
    new_york = cached_zone(Shop(iana_timezone="America/New_York"))
    assert alert_status(ticket, new_york).label == "alert sent Jul 01, 12:05 EDT"


def test_reasons_read_as_words():
    assert reason_words("not_received") == "parcel not received"
    assert reason_words("something_new") == "something new"


def test_conversation_keeps_only_the_order_gid(chat):
    never_arrived(chat)
    conversation = db.session.scalars(select(Conversation)).one()
    assert conversation.order_ids and conversation.order_ids[0].startswith("gid://shopify/Order/")


def test_the_job_is_enqueued_only_once_the_escalation_commits(pro_shop):
    from lumen.conversation import Escalation
    from lumen.tickets.actions import escalate

    conversation = Conversation(shop_id=pro_shop.id, order_names=[], message_count=0)
    db.session.add(conversation)
    db.session.commit()
    escalate(conversation, Escalation("human_requested", "The shopper asked for a person."))
    assert sent() == []
    db.session.rollback()
    assert sent() == [] and get_redis().keys("rq:job:*") == []
    escalate(conversation, Escalation("human_requested", "The shopper asked for a person."))
    db.session.commit()
    assert len(sent()) == 1


def test_an_unexpected_error_is_shown_on_the_ticket_once_retries_are_spent(chat, pro_shop,
                                                                          monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template bug")

    monkeypatch.setattr(jobs, "build_alert", broken)
    chat.say("I need to talk to a human")  # the inline queue does not retry
    ticket = only_ticket()
    assert sent() == [] and ticket.alert_error == "unexpected error (see the worker's log)"
    assert ticket.alert_due_at is None
    [job_id] = get_queue().failed_job_registry.get_job_ids()
    assert "template bug" in Job.fetch(job_id, connection=get_redis()).latest_result().exc_string
