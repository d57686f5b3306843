"""The escalation alert as an email: subject, threading headers, and text + HTML parts.

Both parts come from Jinja templates (``templates/alerts/``; the HTML one is autoescaped).
The subject names the order and the reason in fixed words only, never the shopper's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, render_template

from lumen.alerts.order import OrderContext
from lumen.auth import devlogin
from lumen.mail import Mailer
from lumen.models import Conversation, Message, Role, Shop, Ticket, utcnow
from lumen.shops import cached_zone

REASONS = {"human_requested": "asked for a person", "out_of_scope": "outside what Lumen handles",
           "not_received": "parcel not received", "frustration": "frustrated shopper",
           "verification_locked": "verification locked"}
ROLES = {Role.SHOPPER: "Shopper", Role.ASSISTANT: "Lumen"}


@dataclass(frozen=True)
class TranscriptLine:
    """One message of the transcript as the alert shows it."""

    time: str
    who: str
    text: str


def reason_words(reason: str) -> str:
    """The escalation reason as the team reads it."""
    return REASONS.get(reason, reason.replace("_", " "))



def message_id(ticket: Ticket, number: int, domain: str) -> str:
    """The Message-ID of the ticket's ``number``-th alert: stable, so a resend threads."""
    created = int(ticket.created_at.timestamp())
    return f"<lumen.ticket-{ticket.id}.{created}.{number}@{domain}>"


def subject(ticket: Ticket) -> str:
    """``Lumen escalation: order #1042, parcel not received`` (or ``no verified order``)."""
    order = f"order {ticket.order_name}" if ticket.order_name else "no verified order"
    return f"Lumen escalation: {order}, {reason_words(ticket.reason)}"


def ticket_url(shop: Shop, ticket: Ticket) -> str:
    """Where the team opens the ticket: Lumen inside the Shopify admin (the demo's own admin)."""
    if devlogin.enabled() and current_app.config.get("LUMEN_DEMO_URL"):
        return f"{current_app.config['LUMEN_DEMO_URL']}/admin/tickets?status=all#ticket-{ticket.id}"
    store = shop.domain.removesuffix(".myshopify.com")
    handle = current_app.config["LUMEN_APP_HANDLE"]
    return f"https://admin.shopify.com/store/{store}/apps/{handle}/tickets?status=all"


def build_alert(mailer: Mailer, shop: Shop, ticket: Ticket, conversation: Conversation,
                context: OrderContext | None, *, to: str) -> EmailMessage:
    """The alert for the ticket's next number, threaded under the ones sent before."""
    number = ticket.alerts_sent + 1
    message = mailer.new_message(message_id(ticket, number, mailer.domain))
    message["To"] = to
    message["Subject"] = subject(ticket)
    message["Date"] = format_datetime(utcnow())
    # Out-of-office replies must not answer a robot (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if number > 1:
        earlier = [message_id(ticket, n, mailer.domain) for n in range(1, number)]
        message["In-Reply-To"] = earlier[-1]
        message["References"] = " ".join(earlier)
    if context is not None and context.reply_to:
        message["Reply-To"] = context.reply_to
    values = _template_values(shop, ticket, conversation, context, number)
    message.set_content(render_template("alerts/escalation.txt", **values))
    message.add_alternative(render_template("alerts/escalation.html", **values), subtype="html")
    return message


def _template_values(shop: Shop, ticket: Ticket, conversation: Conversation,
                     context: OrderContext | None, number: int) -> dict:
    zone = cached_zone(shop)

    def when(moment: datetime | None, with_time: bool = True) -> str:
        """A date (and time) in the shop's zone, or an honest dash."""
        if moment is None:
            return "—"
        local = moment.astimezone(zone)
        return local.strftime("%b %d, %Y %H:%M %Z" if with_time else "%b %d, %Y")

    return {"ticket": ticket, "reason": reason_words(ticket.reason), "update": number > 1,
            "store": shop.domain, "facts": context.facts if context else None,
            "unavailable": context.unavailable if context else None,
            "reply_to_known": bool(context and context.reply_to),
            "transcript": transcript(conversation, zone), "zone": str(zone),
            "ticket_url": ticket_url(shop, ticket), "when": when, "safe_url": safe_url}


def transcript(conversation: Conversation, zone: ZoneInfo) -> list[TranscriptLine]:
    """Every message of the conversation (stored redacted), timed in the shop's zone."""
    messages: list[Message] = list(conversation.messages)
    return [TranscriptLine(message.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                           ROLES.get(message.role, str(message.role)), message.text)
            for message in messages]


def safe_url(url: str | None) -> str | None:
    """A link only when it is http(s); carriers' data is not trusted to be."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def build_test_alert(mailer: Mailer, shop: Shop, *, to: str) -> EmailMessage:
    """A sample alert the merchant sends to check the address; no shopper data in it."""
    message = mailer.new_message()
    message["To"] = to
    message["Subject"] = "Lumen escalation: test alert"
    message["Date"] = format_datetime(utcnow())
    message["Auto-Submitted"] = "auto-generated"
    values = {"store": shop.domain, "reasons": sorted(REASONS.values())}
    message.set_content(render_template("alerts/test.txt", **values))
    message.add_alternative(render_template("alerts/test.html", **values), subtype="html")
    return message
