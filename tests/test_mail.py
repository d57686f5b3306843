"""lumen.mail: the SMTP URL, addresses, failure classes, SMTP delivery and the demo outbox."""

from __future__ import annotations

import smtplib

import pytest

from lumen.config import ConfigError, load_config
from lumen.mail import (
    OUTBOX_SIZE,
    MailError,
    MissingTransport,
    OutboxTransport,
    SmtpSettings,
    SmtpTransport,
    classify,
    get_mailer,
    is_address,
    outbox,
    parse_smtp_url,
)
from tests.conftest import make_app
from tests.smtp_server import free_port, smtp_server


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.com", SmtpSettings("mail.example.com", 25)),
    ("smtp://u%40x:p%2Fw@127.0.0.1:2525?starttls=1",
     SmtpSettings("127.0.0.1", 2525, "u@x", "p/w", starttls=True)),
    ("smtps://user:secret@smtp.example.com", SmtpSettings("smtp.example.com", 465, "user",
                                                          "secret", implicit_tls=True)),
    ("smtp://mail.example.com:587?starttls=0", SmtpSettings("mail.example.com", 587)),
])
def test_smtp_urls(url, expected):
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "smtp://h:99999",
                                 "smtps://h?starttls=1", "smtp://h?starttls=yes",
                                 "smtp://h?tls=1"])
def test_malformed_smtp_urls_are_named(url):
    with pytest.raises(ConfigError, match="^LUMEN_SMTP_URL is malformed"):
        load_config({"LUMEN_SMTP_URL": url, "LUMEN_MAIL_FROM": "a@example.com"})


def test_the_password_is_not_in_the_settings_repr():
    assert "secret" not in repr(parse_smtp_url("smtps://user:secret@smtp.example.com"))


def test_mail_from_is_required_with_an_smtp_url_and_validated():
    with pytest.raises(ConfigError, match="LUMEN_MAIL_FROM is required"):
        load_config({"LUMEN_SMTP_URL": "smtp://mail.example.com"})
    with pytest.raises(ConfigError, match="^LUMEN_MAIL_FROM is malformed"):
        load_config({"LUMEN_MAIL_FROM": "Lumen <not an address>"})
    assert load_config({"LUMEN_MAIL_FROM": "Lumen <alerts@shop.example>"})[
        "LUMEN_MAIL_FROM"] == "Lumen <alerts@shop.example>"


@pytest.mark.parametrize(("text", "valid"), [
    ("support@yourstore.com", True), ("first.last+tag@mail.shop.co.uk", True),
    ("support@localhost", False), ("two@@at.com", False), ("a@b.c", False),
    ("Support <support@shop.com>", False), ("a@shop.com, b@shop.com", False),
    ("a@shop.com\r\nBcc: x@evil.com", False), ("a b@shop.com", False),
    ("x" * 65 + "@shop.com", False), ("a@-shop.com", False),
])
def test_one_plain_address(text, valid):
    assert is_address(text) is valid


@pytest.mark.parametrize(("error", "temporary", "reason"), [
    (smtplib.SMTPDataError(421, b"4.3.2 Try later"), True, "421 4.3.2 Try later"),
    (smtplib.SMTPDataError(550, b"5.7.1 Denied for bob@shop.com"), False,
     "550 5.7.1 Denied for [email]"),
    (smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), False,
     "535 5.7.8 Bad credentials"),
    (smtplib.SMTPRecipientsRefused({"a@shop.com": (450, b"mailbox busy")}), True,
     "recipient refused: 450 mailbox busy"),
    (smtplib.SMTPRecipientsRefused({"a@shop.com": (550, b"no such user")}), False,
     "recipient refused: 550 no such user"),
    (ConnectionRefusedError(111, "Connection refused"), True, None),
    (TimeoutError("timed out"), True, None),
    (smtplib.SMTPServerDisconnected("gone"), True, None),
    (smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."), False, None),
])
def test_failures_are_temporary_or_permanent(error, temporary, reason):
    classified = classify(error)
    assert classified.temporary is temporary
    if reason:
        assert classified.reason == reason


def test_a_bug_is_not_mistaken_for_a_mail_failure():
    with pytest.raises(KeyError):
        classify(KeyError("bug"))


def test_smtp_delivery_with_login(app):
    from email.message import EmailMessage

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.smtp_server import RecordingHandler

    handler, port = RecordingHandler(), free_port()
    logins = []

    def authenticator(server, session, envelope, mechanism, data):
        logins.append((data.login, data.password))
        return AuthResult(success=data.login == b"lumen" and data.password == b"s3cret",
                          handled=False)

    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_exclude_mechanism=["LOGIN"])
    controller.start()
    try:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@x.example", "b@y.example", "Hi"
        message.set_content("hello")
        SmtpTransport(parse_smtp_url(f"smtp://lumen:s3cret@127.0.0.1:{port}")).send(message)
        with pytest.raises(MailError) as refused:
            SmtpTransport(parse_smtp_url(f"smtp://lumen:wrong@127.0.0.1:{port}")).send(message)
    finally:
        controller.stop()
    assert [m["Subject"] for m in handler.received] == ["Hi"]
    assert logins == [(b"lumen", b"s3cret"), (b"lumen", b"wrong")]
    assert refused.value.temporary is False and refused.value.reason.startswith("535")


def test_refused_connection_and_starttls_on_a_plain_server_are_classified():
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"] = "a@x.example", "b@y.example"
    message.set_content("hello")
    with pytest.raises(MailError) as refused:
        SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{free_port()}"), timeout=2).send(message)
    assert refused.value.temporary is True
    with smtp_server() as (url, _), pytest.raises(MailError) as no_tls:
        SmtpTransport(parse_smtp_url(url + "?starttls=1"), timeout=2).send(message)
    assert no_tls.value.temporary is False and "TLS" in no_tls.value.reason


def test_development_without_smtp_uses_the_outbox_and_production_refuses(tmp_path, app):
    assert isinstance(get_mailer().transport, OutboxTransport)
    production = make_app(tmp_path, LUMEN_ENV="production")
    with production.app_context():
        assert outbox() is None
        with pytest.raises(MailError, match="mail is not configured") as missing:
            get_mailer().send(get_mailer().new_message())
        assert missing.value.temporary is False
    assert isinstance(production.extensions["mail"].transport, MissingTransport)


def test_the_outbox_keeps_the_newest_messages_whole_for_an_hour(app):
    mailer = get_mailer()
    for number in range(OUTBOX_SIZE + 3):
        message = mailer.new_message()
        message["Subject"] = f"number {number}"
        message["Reply-To"] = "shopper@example.com"
        message.set_content("text")
        message.add_alternative("<p>html</p>", subtype="html")
        mailer.send(message)
    kept = outbox().messages()
    assert len(kept) == OUTBOX_SIZE and kept[0]["Subject"] == f"number {OUTBOX_SIZE + 2}"
    assert kept[0]["Reply-To"] == "shopper@example.com" and kept[0].is_multipart()
    from lumen.mail import OUTBOX_KEY
    from lumen.queue import get_redis

    assert 3500 < get_redis().ttl(OUTBOX_KEY) <= 3600


def test_with_an_smtp_url_mail_goes_to_the_server_even_in_development(tmp_path):
    app = make_app(tmp_path, LUMEN_SMTP_URL=parse_smtp_url("smtp://127.0.0.1:2525"),
                   LUMEN_MAIL_FROM="Lumen <alerts@shop.example>")
    with app.app_context():
        assert isinstance(get_mailer().transport, SmtpTransport) and outbox() is None
        assert get_mailer().domain == "shop.example"
