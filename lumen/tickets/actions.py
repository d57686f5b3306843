"""Escalation tickets: at most one per conversation, created or updated by each escalation."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lumen.extensions import db
from lumen.models import Conversation, Ticket, TicketStatus, utcnow
from lumen.security import redact


class EscalationRequest(Protocol):
    """What an escalation says: why, a short summary, and the verified order if any."""

    reason: str
    summary: str
    order_name: str | None


def escalate(conversation: Conversation, escalation: EscalationRequest) -> Ticket:
    """Open the conversation's ticket, or update it with the latest reason and summary."""
    ticket = _ticket_for(conversation) or _new_ticket(conversation)
    ticket.reason = escalation.reason
    # The engine writes summaries without personal data; redacting again costs nothing.
    ticket.summary = redact(escalation.summary)
    ticket.order_name = escalation.order_name or ticket.order_name
    ticket.status = TicketStatus.OPEN
    ticket.closed_at = None
    ticket.updated_at = utcnow()
    conversation.refresh_outcome(escalated=True)
    return ticket


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
