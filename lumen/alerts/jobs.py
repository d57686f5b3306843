"""The alert job: by ticket id, safe to re-run (``Ticket.alerted_at``), retried with backoff."""

from __future__ import annotations

import logging

from redis.exceptions import LockError
from rq import get_current_job

from lumen.alerts.message import build_alert
from lumen.alerts.order import order_context
from lumen.alerts.policy import ALERT_TIMEOUT, QUIET_PERIOD, alert_address
from lumen.extensions import db
from lumen.history.timezone import shop_zone
from lumen.mail import MailError, get_mailer
from lumen.models import Conversation, Shop, Ticket, TicketStatus, utcnow
from lumen.queue import get_queue, get_redis

logger = logging.getLogger(__name__)


# Skips after which no alert is due any more (a quiet-hour skip leaves the deferred one due).
_NOTHING_DUE = frozenset({"alerts are off for this shop", "ticket closed", "already sent"})


class AlertBusy(Exception):
    """Another job is sending this ticket's alert right now; retried later."""


def send_alert(ticket_id: int) -> str:
    """Send the ticket's alert unless it went out already; return what happened (no PII)."""
    try:
        with get_redis().lock(f"lumen:alert:{ticket_id}", timeout=ALERT_TIMEOUT + 30,
                              blocking_timeout=5):
            return _send_unless_sent(ticket_id)
    except LockError as error:
        raise AlertBusy(f"the alert of ticket {ticket_id} is being sent by another job") \
            from error
    except MailError:
        raise  # already on the ticket
    except Exception:
        # A bug or an outage outside mail: once retries are spent, the merchant still sees it.
        if not _will_retry(temporary=True):
            _mark_failed(ticket_id, "unexpected error (see the worker's log)")
        raise


def _will_retry(*, temporary: bool) -> bool:
    job = get_current_job()
    return temporary and job is not None and bool(job.retries_left) and get_queue().is_async


def _mark_failed(ticket_id: int, reason: str) -> None:
    db.session.rollback()
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is not None:
        ticket.alert_error, ticket.alert_due_at = reason, None
        db.session.commit()


def _send_unless_sent(ticket_id: int) -> str:
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None:
        return "ticket deleted"
    shop = db.session.get(Shop, ticket.shop_id)
    skipped = _skip_reason(shop, ticket)
    if skipped:
        if skipped in _NOTHING_DUE:
            ticket.alert_due_at = None
            db.session.commit()
        logger.info("alert for ticket %s not sent: %s", ticket_id, skipped)
        return skipped
    conversation = db.session.get(Conversation, ticket.conversation_id)
    shop_zone(shop)  # the transcript's times read in it: refresh the cached zone when stale
    mailer = get_mailer()
    message = build_alert(mailer, shop, ticket, conversation,
                          order_context(shop, ticket, conversation), to=alert_address(shop))
    try:
        mailer.send(message)
    except MailError as error:
        _record_failure(ticket, error)
        raise
    ticket.alerted_at, ticket.alerted_reason = utcnow(), ticket.reason
    ticket.alerts_sent += 1
    ticket.alert_error = ticket.alert_due_at = None
    db.session.commit()
    logger.info("alert %d for ticket %s sent", ticket.alerts_sent, ticket_id)
    return "sent"


def _skip_reason(shop: Shop, ticket: Ticket) -> str | None:
    """Why this run sends nothing, or None to send."""
    if alert_address(shop) is None:
        return "alerts are off for this shop"
    if ticket.status is TicketStatus.CLOSED:
        return "ticket closed"
    if ticket.alerted_at is None:
        return None
    if ticket.alerted_reason == ticket.reason:
        return "already sent"
    if utcnow() - ticket.alerted_at < QUIET_PERIOD:
        # A job deferred to the end of the hour sends the update.
        return "alerted within the hour"
    return None


def _record_failure(ticket: Ticket, error: MailError) -> None:
    """Show the failure on the ticket once no retry is left; a 5xx gets no retry at all."""
    job = get_current_job()
    retrying = _will_retry(temporary=error.temporary)
    if job is not None and not error.temporary:
        # The worker reads this job object when the exception reaches it.
        job.retries_left = 0
    logger.warning("alert for ticket %s failed (%s): %s", ticket.id,
                   "will retry" if retrying else "gave up", error.reason)
    if not retrying:
        ticket.alert_error, ticket.alert_due_at = error.reason[:300], None
        db.session.commit()
