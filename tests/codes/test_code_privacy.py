"""After every branch of the code flow, no shopper address and no code is left in the database,
in Redis (every key, every type) or in the logs. Mail goes to a real SMTP server here, so the
demo outbox (the one development-only place an address is kept) is not in the way."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from flask import Flask

from lumen.extensions import db
from lumen.mail import parse_smtp_url
from lumen.models import Shop, ShopSettings
from tests.codes.conftest import JORDAN, MAYA, NOBODY, other_than
from tests.conftest import TEST_SECRETS, make_app
from tests.integration.test_alert_delivery import redis_mentions
from tests.webhooks.dbscan import tables_mentioning
from tests.widget.conftest import SHOP_DOMAIN, STORE_TOKEN, devstore_url  # noqa: F401
from tests.widget.proxy import Chat, ProxyClient

SENDER = "Lumen <codes@lumen.test>"
TRACES = ("maya.chen", "jordan.reyes", "nobody.here", "guess0", "sam.okafor")



@pytest.fixture
def app(tmp_path, devstore_url, smtp) -> Iterator[Flask]:  # noqa: F811
    """The embedded default (in-process Redis, inline jobs) mailing through ``smtp``."""
    app = make_app(tmp_path, LUMEN_SHOPIFY_ADMIN_URL=devstore_url,
                   LUMEN_SMTP_URL=parse_smtp_url(smtp[0]), LUMEN_MAIL_FROM=SENDER)
    with app.app_context():
        db.create_all()
        db.session.add(Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                            settings=ShopSettings()))
        db.session.commit()
        yield app
        db.session.remove()


def code_of(message) -> str:
    return re.search(r"\b(\d{6})\b", message.get_body(preferencelist=("plain",)).get_content())[1]


def test_no_address_or_code_is_left_anywhere_after_every_branch(app, client, smtp, caplog):
    caplog.set_level(logging.DEBUG)
    _, server = smtp
    proxy = ProxyClient(client, SHOP_DOMAIN, TEST_SECRETS["SHOPIFY_API_SECRET"])
    # One order; several; none; wrong codes until the end; a lock-out recovered by a code.
    single = Chat(proxy, ip="198.51.100.1")
    single.say("I lost my order number")
    single.say(MAYA)
    assert "Your order #1042" in single.say(code_of(server.received[-1]))
    several = Chat(proxy, ip="198.51.100.2")
    several.say(f"send me a code at {JORDAN}")
    assert "I found these orders" in several.say(code_of(server.received[-1]))
    assert "#1050" in several.say("#1050")
    none = Chat(proxy, ip="198.51.100.3")
    none.say(NOBODY)
    assert "isn't right" in none.say("000000")
    wrong = Chat(proxy, ip="198.51.100.4")
    wrong.say("sam.okafor@example.com")
    code = code_of(server.received[-1])
    for step in (1, 2, 3):
        wrong.say(other_than(code, step))
    for index in range(5):
        Chat(proxy, ip=f"192.0.2.{index + 1}").say(f"#1042 guess{index}@example.com")
    owner = Chat(proxy, ip="198.51.100.5")
    owner.say("#1042")
    owner.say("Email me a code")
    owner.say(MAYA)
    assert "Your order #1042" in owner.say(code_of(server.received[-1]))
    db.session.commit()

    codes = [code_of(message) for message in server.received]
    assert [message["To"] for message in server.received] == [
        MAYA, JORDAN, "sam.okafor@example.com", MAYA]
    assert tables_mentioning(*TRACES, *codes) == {}
    assert [key for trace in TRACES for key in redis_mentions(trace.encode())] == []
    assert [key for code in codes for key in redis_mentions(code.encode())] == []
    # (aiosmtpd's own "mail.log" is the receiving server's log, not Lumen's.)
    logged = "\n".join(f"{record.name} {record.getMessage()}" for record in caplog.records
                       if not record.name.startswith("mail.log"))
    assert [trace for trace in (*TRACES, *codes) if trace in logged] == []
    assert "one-time code" in logged  # the scan read the code job's own log lines
