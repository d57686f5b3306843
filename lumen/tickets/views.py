"""Tickets in the admin: the filtered list, close, reopen and the merchant's note (htmx).

Registered on the admin blueprint. The actions answer an htmx request with the ticket's own
card (and the navigation, whose open count changed); a plain form post gets the whole page.
"""

from __future__ import annotations

from flask import Response, abort, g, make_response, redirect, render_template, request
from werkzeug.exceptions import BadRequest

from lumen.admin import bp, overview
from lumen.admin.rendering import admin_url, render_page, wants_partial
from lumen.extensions import db, htmx
from lumen.history import display
from lumen.history.timezone import shop_zone
from lumen.models import Ticket, TicketStatus
from lumen.tickets import actions, queries


@bp.get("/tickets")
def tickets() -> Response:
    """Tickets: the newest escalations, open ones by default, filtered by status and reason."""
    shop = g.shop
    status = _status_filter(request.args.get("status", "open"))
    reason = _reason_filter(request.args.get("reason"))
    lists = queries.ticket_lists(shop, status, reason)
    zone = shop_zone(shop)
    db.session.commit()
    return render_page("tickets", lists=lists, counts=overview.ticket_counts(shop),
                       status=status.value if status else "all", reason=reason or "",
                       **display.helpers(zone))


@bp.post("/tickets/<int:ticket_id>/close")
def close_ticket(ticket_id: int) -> Response:
    """Close a ticket: the team dealt with it."""
    ticket = actions.close_ticket(_ticket(ticket_id))
    db.session.commit()
    return _ticket_response(ticket)


@bp.post("/tickets/<int:ticket_id>/reopen")
def reopen_ticket(ticket_id: int) -> Response:
    """Reopen a closed ticket."""
    ticket = actions.reopen_ticket(_ticket(ticket_id))
    db.session.commit()
    return _ticket_response(ticket)


@bp.post("/tickets/<int:ticket_id>/note")
def save_ticket_note(ticket_id: int) -> Response:
    """Save the merchant's note on a ticket."""
    ticket = _ticket(ticket_id)
    try:
        actions.set_note(ticket, request.form.get("note", ""))
    except actions.NoteTooLong as error:
        raise BadRequest(str(error)) from None
    db.session.commit()
    return _ticket_response(ticket, note_saved=True)


def _ticket(ticket_id: int) -> Ticket:
    ticket = queries.shop_ticket(g.shop, ticket_id)
    if ticket is None:
        abort(404)
    return ticket


def _ticket_response(ticket: Ticket, note_saved: bool = False) -> Response:
    zone = shop_zone(g.shop)
    # On the transcript itself the card needs no link to it.
    on_transcript = "/admin/conversations/" in (htmx.current_url or "") if htmx else False
    context = {"ticket": ticket, "note_saved": note_saved, "on_transcript": on_transcript,
               "status": "all", **display.helpers(zone)}
    if wants_partial():
        # The card replaces itself; the navigation's open count follows out of band.
        html = render_template("admin/_ticket.html", **context) + render_template(
            "admin/_nav.html", swap_nav=True)
        return make_response(html)
    return redirect(admin_url("admin.transcript", conversation_id=ticket.conversation_id), 303)


def _status_filter(raw: str) -> TicketStatus | None:
    if raw == "all":
        return None
    try:
        return TicketStatus(raw)
    except ValueError:
        raise BadRequest("'status' must be open, closed or all.") from None


def _reason_filter(raw: str | None) -> str | None:
    if not raw:
        return None
    if raw not in display.REASON_LABELS:
        raise BadRequest(f"'reason' must be one of: {', '.join(display.REASON_LABELS)}.")
    return raw
