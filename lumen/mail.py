"""Outgoing mail: SMTP from ``LUMEN_SMTP_URL``, or the demo outbox when it is unset.

``init_app`` puts a :class:`Mailer` in ``app.extensions["mail"]``. Its transport is chosen once:
SMTP when ``LUMEN_SMTP_URL`` is set; otherwise, in development (``lumen demo``, tests), the
outbox, a short list of whole messages kept in the app's Redis, so the demo's inline jobs, an
RQ worker and the web process that shows ``/demo/outbox`` all see the same messages; in
production without a URL, every send fails with a permanent "mail is not configured".

Every failure is a :class:`MailError` that says whether a retry can help (4xx answers, refused
or dropped connections, timeouts) or not (5xx answers, TLS and login problems).
"""

from __future__ import annotations

import email.policy
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

from flask import Flask, current_app

from lumen.security import redact

OUTBOX_KEY = "lumen:demo:outbox"
OUTBOX_SIZE = 20
# The outbox holds demo shoppers' addresses (in Reply-To): kept briefly, never on disk by us.
OUTBOX_TTL_SECONDS = 3600
DEFAULT_TIMEOUT = 10.0
DEVELOPMENT_SENDER = "Lumen <lumen@localhost>"
_SCHEMES = {"smtp": 25, "smtps": 465}
# One plain address, no display name: local part, "@", a dotted domain with a letter TLD.
_ADDRESS = re.compile(
    r"(?=.{3,254}$)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")


class MailError(Exception):
    """Sending failed; ``temporary`` says whether trying again later can succeed."""

    def __init__(self, reason: str, *, temporary: bool):
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to reach the SMTP server (parsed from ``LUMEN_SMTP_URL``)."""

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False
    starttls: bool = False


def parse_smtp_url(raw: str) -> SmtpSettings:
    """``smtp://user:pass@host:port``, ``smtps://...`` or ``smtp://...?starttls=1``."""
    parts = urlsplit(raw)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise ValueError("expected smtp://user:pass@host:port or smtps://user:pass@host:port")
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    if set(options) - {"starttls"} or options.get("starttls", "0") not in ("0", "1"):
        raise ValueError("the only option is ?starttls=1")
    starttls = options.get("starttls") == "1"
    if starttls and parts.scheme == "smtps":
        raise ValueError("smtps:// is TLS already; starttls=1 is for smtp://")
    try:
        port = parts.port or _SCHEMES[parts.scheme]
    except ValueError:
        raise ValueError("the port must be a number from 1 to 65535") from None
    return SmtpSettings(host=parts.hostname, port=port,
                        username=unquote(parts.username) if parts.username else None,
                        password=unquote(parts.password) if parts.password else None,
                        implicit_tls=parts.scheme == "smtps", starttls=starttls)


def is_address(text: str) -> bool:
    """Whether ``text`` is one plain email address (no name, no list, no line breaks)."""
    return bool(_ADDRESS.fullmatch(text))


def parse_sender(raw: str) -> str:
    """``LUMEN_MAIL_FROM``: an address, optionally with a name (``Lumen <alerts@shop.com>``)."""
    match = re.fullmatch(r"\s*(?:([^<>\r\n]*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*", raw)
    address = match and (match.group(2) or match.group(3))
    if not address or not is_address(address):
        raise ValueError("expected an address such as alerts@yourdomain.com, "
                         "optionally as Lumen <alerts@yourdomain.com>")
    return raw.strip()


class Transport(Protocol):
    """Something that delivers a finished message."""

    def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` or raise MailError."""


class SmtpTransport:
    """Delivers through an SMTP server, one connection per message, with a timeout."""

    def __init__(self, settings: SmtpSettings, timeout: float = DEFAULT_TIMEOUT):
        self.settings = settings
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        """Connect, secure, log in, send; every failure becomes a MailError."""
        try:
            with self._connect() as smtp:
                if self.settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password or "")
                smtp.send_message(message)
        except Exception as error:  # classified below; anything unexpected is re-raised
            # Not chained: the raw server answer (unredacted) must not reach RQ's traceback.
            raise classify(error) from None

    def _connect(self) -> smtplib.SMTP:
        host, port = self.settings.host, self.settings.port
        if self.settings.implicit_tls:
            return smtplib.SMTP_SSL(host, port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        return smtplib.SMTP(host, port, timeout=self.timeout)


def classify(error: Exception) -> MailError:
    """Whether an SMTP failure is worth retrying, with a reason safe to store and show."""
    if isinstance(error, MailError):
        return error
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        answers = "; ".join(f"{code} {_text(text)}" for code, text in error.recipients.values())
        return MailError(f"recipient refused: {answers}",
                         temporary=bool(codes) and all(400 <= code < 500 for code in codes))
    if isinstance(error, smtplib.SMTPResponseException):
        reason = f"{error.smtp_code} {_text(error.smtp_error)}"
        return MailError(reason, temporary=400 <= error.smtp_code < 500)
    if isinstance(error, ssl.SSLError | smtplib.SMTPNotSupportedError):
        return MailError(f"TLS failed: {error}", temporary=False)
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError):
        return MailError(f"mail server unreachable: {error}", temporary=True)
    if isinstance(error, OSError):
        return MailError(f"mail server unreachable: {error}", temporary=True)
    if isinstance(error, smtplib.SMTPException):
        return MailError(f"SMTP error: {error}", temporary=False)
    raise error


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    # Servers echo addresses in their answers; the reason is stored on the ticket.
    return redact(" ".join(text.split()))[:200]


class OutboxTransport:
    """The demo's mailbox: the newest messages, whole, in Redis for a short while."""

    def __init__(self, redis: Callable[[], object]):
        self._redis = redis

    def send(self, message: EmailMessage) -> None:
        """Keep ``message`` (headers and all parts) at the front of the outbox."""
        connection = self._redis()
        pipeline = connection.pipeline()
        pipeline.lpush(OUTBOX_KEY, message.as_bytes(policy=email.policy.SMTP))
        pipeline.ltrim(OUTBOX_KEY, 0, OUTBOX_SIZE - 1)
        pipeline.expire(OUTBOX_KEY, OUTBOX_TTL_SECONDS)
        pipeline.execute()

    def messages(self) -> list[EmailMessage]:
        """The outbox, newest first."""
        raw = self._redis().lrange(OUTBOX_KEY, 0, OUTBOX_SIZE - 1)
        return [email.message_from_bytes(item, policy=email.policy.default) for item in raw]


class MissingTransport:
    """Production without ``LUMEN_SMTP_URL``: nothing can be sent, and the merchant is told."""

    def send(self, message: EmailMessage) -> None:
        """Always fails, permanently."""
        raise MailError("mail is not configured (LUMEN_SMTP_URL is unset)", temporary=False)


@dataclass
class Mailer:
    """The app's way to send mail: who it is from, and the transport that carries it."""

    sender: str
    transport: Transport

    @property
    def domain(self) -> str:
        """The sender's domain, for Message-IDs."""
        return self.sender.rstrip(">").rsplit("@", 1)[-1]

    def new_message(self, message_id: str | None = None) -> EmailMessage:
        """An empty message from the sender, with ``message_id`` or a fresh Message-ID."""
        message = EmailMessage(policy=email.policy.SMTP)
        message["From"] = self.sender
        message["Message-ID"] = message_id or make_msgid(domain=self.domain)
        return message

    def send(self, message: EmailMessage) -> None:
        """Send ``message``; MailError when it cannot go."""
        self.transport.send(message)


def init_app(app: Flask) -> None:
    """Choose the transport from the configuration and keep the mailer in app.extensions."""
    settings = app.config.get("LUMEN_SMTP_URL")
    if settings is not None:
        transport: Transport = SmtpTransport(settings, app.config["LUMEN_SMTP_TIMEOUT"])
    elif app.config["LUMEN_ENV"] == "development":
        from lumen.queue import get_redis

        transport = OutboxTransport(get_redis)
    else:
        transport = MissingTransport()
    sender = app.config.get("LUMEN_MAIL_FROM") or DEVELOPMENT_SENDER
    app.extensions["mail"] = Mailer(sender, transport)


def get_mailer() -> Mailer:
    """The app's mailer."""
    return current_app.extensions["mail"]


def outbox() -> OutboxTransport | None:
    """The demo outbox, when mail goes there rather than to a server."""
    transport = get_mailer().transport
    return transport if isinstance(transport, OutboxTransport) else None
