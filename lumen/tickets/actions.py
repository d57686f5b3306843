"""Escalation tickets: at most one per conversation, created or updated by each escalation.

New tickets are capped per hour, per shopper address and per shop, so a script cannot fill
the Tickets page. Conversations that verified no order share a smaller per-shop cap, so a
flood of anonymous ones cannot crowd out shoppers who proved an order (they have a ceiling
of their own, far above real traffic). A conversation's existing ticket is always updated.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lumen import ratelimit
from lumen.alerts import actions as alert_actions
from lumen.extensions import db
from lumen.models import Conversation, Shop, Ticket, TicketStatus, utcnow
from lumen.ratelimit import Bucket
from lumen.security import keyed_digest, redact

HOUR = 3600
TICKETS_PER_ADDRESS_PER_HOUR = 5
ANONYMOUS_TICKETS_PER_SHOP_PER_HOUR = 30
TICKETS_PER_SHOP_PER_HOUR = 300


class EscalationRequest(Protocol):
    """What an escalation says: why, a short summary, and the verified order if any."""

    reason: str
    summary: str
    order_name: str | None


def escalate(conversation: Conversation, escalation: EscalationRequest) -> Ticket:
    """Open the conversation's ticket, or update it with the latest reason and summary.

    Opening it, or a new reason, alerts the shop's team by email on plans that include it.
    """
    ticket = _ticket_for(conversation) or _new_ticket(conversation)
    new_reason = ticket.reason != escalation.reason
    ticket.reason = escalation.reason
    # The engine writes summaries without personal data; redacting again costs nothing.
    ticket.summary = redact(escalation.summary)
    ticket.order_name = escalation.order_name or ticket.order_name
    ticket.status = TicketStatus.OPEN
    ticket.closed_at = None
    ticket.updated_at = utcnow()
    conversation.refresh_outcome(escalated=True)
    alert_actions.ticket_escalated(db.session.get(Shop, conversation.shop_id), ticket,
                                   new_reason=new_reason)
    return ticket


def may_open(conversation: Conversation, escalation: EscalationRequest, client_ip: str) -> bool:
    """Whether ``escalate`` may go ahead: the conversation has a ticket already, or a new one
    fits this hour's caps (and is counted against them now, in one Redis operation)."""
    if _ticket_for(conversation) is not None:
        return True
    address = keyed_digest(ratelimit.address_bucket(client_ip))
    shop = conversation.shop_id
    buckets = [Bucket(f"tickets:address:{address}", TICKETS_PER_ADDRESS_PER_HOUR, HOUR),
               Bucket(f"tickets:shop:{shop}", TICKETS_PER_SHOP_PER_HOUR, HOUR)]
    if escalation.order_name is None:
        buckets.append(Bucket(f"tickets:shop-anonymous:{shop}",
                              ANONYMOUS_TICKETS_PER_SHOP_PER_HOUR, HOUR))
    return ratelimit.reserve(buckets).allowed


def _ticket_for(conversation: Conversation) -> Ticket | None:
    return db.session.scalar(select(Ticket).where(Ticket.conversation_id == conversation.id))


def _new_ticket(conversation: Conversation) -> Ticket:
    """Insert the ticket in a savepoint; if a concurrent turn won the race, use theirs."""
    ticket = Ticket(shop_id=conversation.shop_id, conversation_id=conversation.id,
                    reason="", summary="")
    try:
        with db.session.begin_nested():
            db.session.add(ticket)
    except IntegrityError:
        existing = _ticket_for(conversation)
        if existing is None:
            raise
        return existing
    return ticket


NOTE_MAX = 2000


class NoteTooLong(ValueError):
    """A merchant note longer than NOTE_MAX characters."""


def close_ticket(ticket: Ticket) -> Ticket:
    """Mark the ticket done (the caller commits); closing a closed ticket changes nothing."""
    if ticket.status is not TicketStatus.CLOSED:
        ticket.status = TicketStatus.CLOSED
        ticket.closed_at = utcnow()
        ticket.updated_at = utcnow()
    return ticket


def reopen_ticket(ticket: Ticket) -> Ticket:
    """Put the ticket back on the team's list (the caller commits)."""
    if ticket.status is not TicketStatus.OPEN:
        ticket.status = TicketStatus.OPEN
        ticket.closed_at = None
        ticket.updated_at = utcnow()
    return ticket


def set_note(ticket: Ticket, note: str) -> Ticket:
    """Replace the merchant's note (redacted like everything stored); NoteTooLong if over."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise NoteTooLong(f"Keep the note under {NOTE_MAX} characters (it has {len(note)}).")
    ticket.note = redact(note)
    ticket.updated_at = utcnow()
    return ticket
