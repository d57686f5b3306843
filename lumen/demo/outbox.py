"""``/demo/outbox``: the mail ``lumen demo`` would have sent, when no SMTP server is set.

The messages are shown whole (every header, both parts) as the mail server would get them.
Only the demo admin (the development-login cookie) may read it: alerts carry a Reply-To, and
one-time codes their shopper's address. ``/demo/outbox/open`` logs the demo admin in first.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from flask import Blueprint, abort, redirect, render_template, request, url_for

from lumen.auth import devlogin
from lumen.mail import OUTBOX_TTL_SECONDS, outbox

bp = Blueprint("demo_outbox", __name__)


@dataclass(frozen=True)
class ShownMessage:
    """One outbox message, taken apart for the page."""

    headers: list[tuple[str, str]]
    text: str
    html: str | None


@bp.get("/demo/outbox")
def show_outbox():
    """The demo outbox, newest first (the demo admin only)."""
    if devlogin.shop_from_cookie(request) is None:
        return redirect(url_for("admin.dev_login"))
    box = outbox()
    messages = [shown(message) for message in box.messages()] if box else []
    return render_template("demo/outbox.html", messages=messages, smtp=box is None,
                           minutes=OUTBOX_TTL_SECONDS // 60)


@bp.get("/demo/outbox/open")
def open_outbox():
    """The storefront's link for a shopper trying one-time codes: log in as the demo admin
    (as ``/admin/dev-login`` does) and land on the outbox."""
    if not devlogin.enabled():
        abort(404)
    return devlogin.log_in(redirect(url_for("demo_outbox.show_outbox")), secure=request.is_secure)


def shown(message: EmailMessage) -> ShownMessage:
    """Headers in order, the plain-text part and the HTML part."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return ShownMessage(headers=[(name, str(value)) for name, value in message.items()],
                        text=text.get_content() if text else "",
                        html=html.get_content() if html else None)
