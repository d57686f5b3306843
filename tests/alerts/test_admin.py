"""The admin side of alerts: the address validated on save, a test alert, and the Tickets
page's alert status with "send again"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Conversation, Plan, Shop, Ticket, utcnow
from tests.admin.test_settings import VALID
from tests.embedded_app import SHOP as SHOP_DOMAIN

TEAM = "support@northwind.example"


@pytest.fixture
def shop(admin) -> Shop:
    """The development store's shop, installed by its first admin load, then put on Pro."""
    admin("/admin/")
    shop = db.session.scalar(select(Shop).where(Shop.domain == SHOP_DOMAIN))
    shop.plan = Plan.PRO
    shop.settings.escalation_email = TEAM
    db.session.commit()
    return shop


@pytest.fixture
def ticket(shop) -> Ticket:
    """A ticket without a verified order (so no Shopify call) whose alert failed."""
    conversation = Conversation(shop_id=shop.id, order_names=[], message_count=0)
    db.session.add(conversation)
    db.session.flush()
    ticket = Ticket(shop_id=shop.id, conversation_id=conversation.id, reason="human_requested",
                    summary="The shopper asked for a person.",
                    alert_error="550 5.1.1 Mailbox unavailable")
    db.session.add(ticket)
    db.session.commit()
    return ticket


def outbox_subjects() -> list[str]:
    from lumen.mail import outbox

    return [message["Subject"] for message in outbox().messages()]


@pytest.mark.parametrize("address", ["support@localhost", "Support <support@shop.com>",
                                     "a@shop.com, b@shop.com", "support@shop"])
def test_the_escalation_address_is_validated_on_save(admin, shop, address):
    response = admin("/admin/settings", method="POST",
                     data={**VALID, "escalation_email": address})
    assert response.status_code == 422 and "Enter an email address" in response.text
    db.session.refresh(shop.settings)
    assert shop.settings.escalation_email == TEAM


def test_a_test_alert_goes_to_the_saved_address(admin, shop):
    page = admin("/admin/settings").text
    assert "Send a test alert" in page and f"Send a sample alert to {TEAM}" in page
    response = admin("/admin/settings/test-alert", method="POST")
    assert response.status_code == 200 and f"Test alert sent to {TEAM}." in response.text
    assert outbox_subjects() == ["Lumen escalation: test alert"]


def test_a_failed_test_alert_says_why(admin, shop, embedded_app):
    from lumen.mail import MissingTransport

    embedded_app.extensions["mail"].transport = MissingTransport()
    response = admin("/admin/settings/test-alert", method="POST")
    assert response.status_code == 502
    assert "Test alert failed: mail is not configured (LUMEN_SMTP_URL is unset)" in response.text


def test_no_test_alert_button_on_free_or_without_an_address(admin, shop):
    shop.settings.escalation_email = None
    db.session.commit()
    assert "Send a test alert" not in admin("/admin/settings").text
    shop.settings.escalation_email, shop.plan = TEAM, Plan.FREE
    db.session.commit()
    assert "Send a test alert" not in admin("/admin/settings").text
    response = admin("/admin/settings/test-alert", method="POST")
    assert "Test alert failed: save an escalation email first" in response.text
    assert outbox_subjects() == []


def test_tickets_show_a_failed_alert_and_send_it_again(admin, ticket):
    page = admin("/admin/tickets?status=all").text
    assert "alert failed: 550 5.1.1 Mailbox unavailable" in page and "Send again" in page
    response = admin(f"/admin/tickets/{ticket.id}/alert", method="POST",
                     data={"status": "all"}, follow_redirects=True)
    assert response.status_code == 200
    assert "alert sent" in response.text and "alert failed" not in response.text
    assert outbox_subjects() == ["Lumen escalation: no verified order, asked for a person"]
    db.session.refresh(ticket)
    assert ticket.alert_error is None and ticket.alerts_sent == 1


def test_tickets_show_sent_queued_and_no_alerts(admin, ticket):
    ticket.alert_error, ticket.alerted_at, ticket.alerted_reason = None, utcnow(), ticket.reason
    db.session.commit()
    assert "alert sent" in admin("/admin/tickets?status=all").text
    ticket.alert_due_at = utcnow() + timedelta(minutes=30)
    db.session.commit()
    assert "update due" in admin("/admin/tickets?status=all").text
    ticket.alert_due_at = utcnow()
    db.session.commit()
    assert "alert on its way" in admin("/admin/tickets?status=all").text
    # A ticket no alert was ever asked for (e.g. opened before the address was saved).
    ticket.alert_due_at = ticket.alerted_at = None
    db.session.commit()
    cell = admin("/admin/tickets?status=all").text.split('class="alert-status">', 1)[1]
    assert cell.split("</span>", 1)[0].strip() == "—"  # the ticket card's alert status


def test_send_again_is_scoped_to_the_shop(admin, ticket):
    other = Shop(domain="other-shop.myshopify.com", access_token="x", scopes="read_orders")
    db.session.add(other)
    db.session.flush()
    ticket.shop_id = other.id
    db.session.commit()
    assert admin(f"/admin/tickets/{ticket.id}/alert", method="POST").status_code == 404
