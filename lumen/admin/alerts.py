"""Admin routes of escalation alerts: "send again" on a ticket, "send a test alert" in Settings.

Like data requests, they live in the admin (the blueprint layer) and call ``lumen.alerts``.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, redirect, request

from lumen.admin.rendering import admin_url
from lumen.alerts import actions
from lumen.extensions import db
from lumen.mail import MailError
from lumen.models import Ticket
from lumen.shops import cached_zone


def register(bp: Blueprint) -> None:
    """Add the routes to the admin blueprint (behind its session-token gate)."""
    bp.add_url_rule("/tickets/<int:ticket_id>/alert", "resend_alert", resend_alert,
                    methods=["POST"])
    bp.add_url_rule("/settings/test-alert", "test_alert", test_alert, methods=["POST"])
    bp.context_processor(lambda: {"alert_status": _alert_status})


def _alert_status(ticket: Ticket) -> actions.AlertStatus | None:
    return actions.alert_status(ticket, cached_zone(g.shop))


def resend_alert(ticket_id: int) -> Response:
    """Send the ticket's alert again (after a failure); back to the Tickets page."""
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or ticket.shop_id != g.shop.id:
        abort(404)
    actions.send_again(g.shop, ticket)
    db.session.commit()
    status = request.form.get("status", "all")
    return redirect(admin_url("admin.tickets", status=status), code=303)


def test_alert() -> Response:
    """Send a sample alert to the saved escalation address and say how it went."""
    from lumen.admin.views import settings_page

    try:
        address = actions.send_test_alert(g.shop)
    except MailError as error:
        return settings_page(test_alert_error=error.reason, status_code=502)
    return settings_page(test_alert_sent=address)
