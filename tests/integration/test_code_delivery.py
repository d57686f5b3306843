"""One-time codes from a real worker.py process, with real Redis and PostgreSQL and an SMTP
server on loopback: the code arrives, the job (and its sealed argument) is gone from Redis once
it ran, and no address or code is left in the database, Redis or either process's log."""

from __future__ import annotations

import logging
import re

import pytest
from rq import Worker

from lumen.extensions import db
from lumen.mail import parse_smtp_url
from lumen.models import Shop, ShopSettings
from lumen.queue import get_redis
from tests.codes.conftest import CODE_SENT, JORDAN, NOBODY
from tests.conftest import TEST_SECRETS, migrated_app, running_worker, wait_for
from tests.integration.test_alert_delivery import redis_mentions
from tests.webhooks.dbscan import tables_mentioning
from tests.widget.conftest import SHOP_DOMAIN, STORE_TOKEN, devstore_url  # noqa: F401
from tests.widget.proxy import Chat, ProxyClient

pytestmark = pytest.mark.integration
SENDER = "Lumen <codes@lumen.test>"



def code_jobs() -> list[bytes]:
    """The RQ job hashes still in Redis."""
    return get_redis().keys("rq:job:*")


def test_a_worker_mails_the_code_and_leaves_nothing_behind(tmp_path, postgres_url, redis_url,
                                                           devstore_url, smtp, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    url, server = smtp
    settings = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url,
                "LUMEN_SHOPIFY_ADMIN_URL": devstore_url, "LUMEN_SMTP_URL": url,
                "LUMEN_MAIL_FROM": SENDER}
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url, REDIS_URL=redis_url,
                      LUMEN_SHOPIFY_ADMIN_URL=devstore_url, LUMEN_SMTP_URL=parse_smtp_url(url),
                      LUMEN_MAIL_FROM=SENDER) as app:
        db.session.add(Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                            settings=ShopSettings()))
        db.session.commit()
        proxy = ProxyClient(app.test_client(), SHOP_DOMAIN, TEST_SECRETS["SHOPIFY_API_SECRET"])
        log = tmp_path / "worker.log"
        with running_worker(log, settings):  # its log is read below
            wait_for(lambda: Worker.all(connection=get_redis()))
            nobody = Chat(proxy, ip="198.51.100.8")
            assert CODE_SENT in nobody.say(NOBODY)
            chat = Chat(proxy)
            assert CODE_SENT in chat.say(f"I don't have my order number, it's {JORDAN}")
            wait_for(lambda: server.received)
            # Both jobs ran (one mailed, one found no orders) and RQ deleted them.
            wait_for(lambda: code_jobs() == [] and "no orders" in log.read_text())
        [message] = server.received
        assert server.envelopes == [("codes@lumen.test", [JORDAN])]
        assert message["From"] == "Lumen Demo <codes@lumen.test>"
        code = re.search(r"\b(\d{6})\b",
                         message.get_body(preferencelist=("plain",)).get_content())[1]
        listing = chat.say(code)
        assert "#1077 · placed February 24 · confirmed" in listing
        assert "Your order #1050" in chat.say("#1050")
        db.session.commit()

        traces = ("jordan.reyes", "nobody.here", code)
        assert tables_mentioning(*traces) == {}
        assert [key for trace in traces for key in redis_mentions(trace.encode())] == []
        worker_log = log.read_text()
        assert "one-time code" in worker_log and "sent" in worker_log
        lumen_log = "\n".join(record.getMessage() for record in caplog.records
                              if not record.name.startswith("mail.log"))
        assert [trace for trace in traces if trace in worker_log or trace in lumen_log] == []
