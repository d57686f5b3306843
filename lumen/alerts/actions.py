"""When a ticket deserves an email alert, and the admin's "send again".

Actions never commit: the alert job is enqueued only once the caller's transaction commits,
so the worker always finds the ticket it was sent for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from lumen.after_commit import after_commit
from lumen.alerts.jobs import send_alert
from lumen.alerts.message import build_test_alert
from lumen.alerts.policy import ALERT_TIMEOUT, QUIET_PERIOD, RETRY_INTERVALS, alert_address
from lumen.mail import MailError, get_mailer
from lumen.models import Shop, Ticket, utcnow
from lumen.queue import enqueue


@dataclass(frozen=True)
class AlertStatus:
    """What the Tickets page says about a ticket's alert."""

    label: str
    failed: bool = False


def ticket_escalated(shop: Shop, ticket: Ticket, *, new_reason: bool) -> bool:
    """A ticket opened or took a new reason: enqueue its alert after the commit, if any."""
    if not new_reason or alert_address(shop) is None:
        return False
    now = utcnow()
    later = quiet_until(ticket, now)
    ticket.alert_due_at = later or now
    _enqueue_after_commit(ticket.id, at=later)
    return True


def quiet_until(ticket: Ticket, now: datetime) -> datetime | None:
    """None to alert now; else the end of the quiet hour that follows the last alert."""
    if ticket.alerted_at is not None and now - ticket.alerted_at < QUIET_PERIOD:
        return ticket.alerted_at + QUIET_PERIOD
    return None


def send_again(shop: Shop, ticket: Ticket) -> None:
    """The merchant asks again after a failure: forget it and enqueue the alert once more."""
    if ticket.shop_id != shop.id:
        raise ValueError("ticket of another shop")
    ticket.alert_error, ticket.alert_due_at = None, utcnow()
    _enqueue_after_commit(ticket.id)


def alert_status(ticket: Ticket, zone: ZoneInfo = UTC,
                 now: datetime | None = None) -> AlertStatus | None:
    """Failed, queued (now or at the end of the quiet hour), or sent; None if never asked."""
    if ticket.alert_error:
        return AlertStatus(f"alert failed: {ticket.alert_error}", failed=True)
    if ticket.alert_due_at is not None:
        if ticket.alert_due_at > (now or utcnow()):
            return AlertStatus(f"update due {_time(ticket.alert_due_at, zone)}")
        return AlertStatus("alert on its way")
    if ticket.alerted_at is not None:
        return AlertStatus(f"alert sent {_time(ticket.alerted_at, zone)}")
    return None


def _time(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%b %d, %H:%M %Z")


def _enqueue_after_commit(ticket_id: int, at: datetime | None = None) -> None:
    app = current_app._get_current_object()

    def enqueue_alert() -> None:
        # An inline queue (the demo) runs the job right here, inside the commit's event, where
        # the committed session can no longer query: give it an app context, and so a
        # session, of its own, as a worker would have.
        with app.app_context():
            enqueue(send_alert, ticket_id, timeout=ALERT_TIMEOUT, retries=len(RETRY_INTERVALS),
                    intervals=RETRY_INTERVALS, at=at)

    after_commit(enqueue_alert)


def send_test_alert(shop: Shop) -> str:
    """Send a sample alert to the shop's saved address now; return the address.

    MailError when it cannot go, with the server's answer, so the merchant sees it at once.
    """
    address = alert_address(shop)
    if address is None:
        raise MailError("save an escalation email first", temporary=False)
    mailer = get_mailer()
    mailer.send(build_test_alert(mailer, shop, to=address))
    return address
