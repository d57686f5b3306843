"""The numbers and lists the admin pages show: recent tickets, ticket counts, conversations."""

from __future__ import annotations

from sqlalchemy import func, select

from lumen.extensions import db
from lumen.models import Conversation, Shop, Ticket, TicketStatus

TICKETS_PER_PAGE = 50


def recent_tickets(shop: Shop, status: TicketStatus | None = None) -> list[Ticket]:
    """The shop's newest tickets, optionally only open or closed ones."""
    query = select(Ticket).where(Ticket.shop_id == shop.id)
    if status is not None:
        query = query.where(Ticket.status == status)
    query = query.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(TICKETS_PER_PAGE)
    return list(db.session.scalars(query))


def ticket_counts(shop: Shop) -> dict[TicketStatus, int]:
    """How many of the shop's tickets are open and closed."""
    rows = db.session.execute(select(Ticket.status, func.count(Ticket.id))
                              .where(Ticket.shop_id == shop.id).group_by(Ticket.status))
    counts = dict.fromkeys(TicketStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def conversation_total(shop: Shop) -> int:
    """How many conversations the shop has on record (within its retention period)."""
    total = db.session.scalar(select(func.count(Conversation.id))
                              .where(Conversation.shop_id == shop.id))
    return total or 0
