"""The one-time code email: from the shop's name, the code, its expiry, and "ignore it if not
you". Text and HTML parts from ``templates/codes/`` (the HTML one autoescaped)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from flask import render_template

from lumen.mail import Mailer
from lumen.models import Shop, utcnow
from lumen.shopify.domains import store_name


def build_code_message(mailer: Mailer, shop: Shop, *, to: str, code: str,
                       minutes: int) -> EmailMessage:
    """The code email to ``to``, sent in the shop's name from Lumen's address."""
    store = store_name(shop.domain)
    message = mailer.new_message()
    del message["From"]
    message["From"] = formataddr((store, parseaddr(mailer.sender)[1]))
    message["To"] = to
    message["Subject"] = f"Your {store} verification code"
    message["Date"] = format_datetime(utcnow())
    # Out-of-office replies must not answer a robot (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    values = {"store": store, "code": code, "minutes": minutes}
    message.set_content(render_template("codes/code.txt", **values))
    message.add_alternative(render_template("codes/code.html", **values), subtype="html")
    return message
