"""The Tickets page's reads: filtered lists, lock-outs apart, and the counts for the nav."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lumen.extensions import db
from lumen.models import Shop, Ticket, TicketStatus

PER_PAGE = 50
LOCKOUT = "verification_locked"


@dataclass(frozen=True)
class TicketLists:
    """Real requests first; verification lock-outs grouped apart so an attack buries nothing."""

    requests: list[Ticket]
    lockouts: list[Ticket]
    lockout_count: int


def ticket_lists(shop: Shop, status: TicketStatus | None, reason: str | None) -> TicketLists:
    """The shop's newest tickets with this status and reason, lock-outs as their own group."""
    query = select(Ticket).where(Ticket.shop_id == shop.id)
    if status is not None:
        query = query.where(Ticket.status == status)
    if reason is not None:
        query = query.where(Ticket.reason == reason)
    newest = (Ticket.created_at.desc(), Ticket.id.desc())
    requests = db.session.scalars(query.where(Ticket.reason != LOCKOUT)
                                  .order_by(*newest).limit(PER_PAGE))
    lockouts = query.where(Ticket.reason == LOCKOUT)
    count = db.session.scalar(select(func.count()).select_from(lockouts.subquery())) or 0
    return TicketLists(list(requests), list(db.session.scalars(
        lockouts.order_by(*newest).limit(PER_PAGE))), count)


def shop_ticket(shop: Shop, ticket_id: int) -> Ticket | None:
    """The shop's ticket with this id, or None (another shop's id is not found)."""
    return db.session.scalar(select(Ticket).where(Ticket.id == ticket_id,
                                                  Ticket.shop_id == shop.id))
