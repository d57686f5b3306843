"""Escalation alerts from a real worker.py process, through a real SMTP server (aiosmtpd on
loopback), with real Redis and PostgreSQL: once, retried on 4xx, failed visibly on 5xx, and
no shopper address left behind in the database, Redis or the logs."""

from __future__ import annotations

import logging

import pytest
from rq import Worker
from rq.job import Job, JobStatus
from sqlalchemy import select

from lumen.alerts import actions
from lumen.alerts.jobs import send_alert
from lumen.extensions import db
from lumen.mail import parse_smtp_url
from lumen.models import Plan, Shop, ShopSettings, Ticket
from lumen.queue import enqueue, get_queue, get_redis
from tests.alerts.conftest import SHOPPER, TEAM, never_arrived
from tests.conftest import TEST_SECRETS, migrated_app, running_worker, wait_for
from tests.webhooks.dbscan import tables_mentioning
from tests.widget.conftest import SHOP_DOMAIN, STORE_TOKEN, devstore_url  # noqa: F401
from tests.widget.proxy import Chat, ProxyClient

pytestmark = pytest.mark.integration
SENDER = "Lumen alerts <alerts@lumen.test>"



@pytest.fixture
def settings(postgres_url, redis_url, devstore_url, smtp):  # noqa: F811
    """The environment the web side and the worker share."""
    return {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url,
            "LUMEN_SHOPIFY_ADMIN_URL": devstore_url, "LUMEN_SMTP_URL": smtp[0],
            "LUMEN_MAIL_FROM": SENDER}


@pytest.fixture
def web(tmp_path, settings):
    """The web side on PostgreSQL and Redis, mailing through the test's SMTP server."""
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
                      REDIS_URL=settings["REDIS_URL"],
                      LUMEN_SHOPIFY_ADMIN_URL=settings["LUMEN_SHOPIFY_ADMIN_URL"],
                      LUMEN_SMTP_URL=parse_smtp_url(settings["LUMEN_SMTP_URL"]),
                      LUMEN_MAIL_FROM=SENDER) as app:
        shop = Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                    plan=Plan.PRO, settings=ShopSettings(escalation_email=TEAM))
        db.session.add(shop)
        db.session.commit()
        yield app


@pytest.fixture
def worker(tmp_path, settings, web):
    """worker.py with the same settings; its log is returned for the privacy scan."""
    log = tmp_path / "worker.log"
    with running_worker(log, settings):
        wait_for(lambda: Worker.all(connection=get_redis()))
        yield log


def escalate(web) -> Ticket:
    """A shopper verifies #1036 and says it never arrived; the web side commits the ticket."""
    never_arrived(Chat(ProxyClient(web.test_client(), SHOP_DOMAIN,
                                   TEST_SECRETS["SHOPIFY_API_SECRET"])))
    return ticket()


def ticket() -> Ticket:
    db.session.rollback()  # see the worker's commits
    return db.session.scalars(select(Ticket)).one()


def alert_jobs() -> list[Job]:
    ids = [key.decode().removeprefix("rq:job:") for key in get_redis().keys("rq:job:*")]
    jobs = [Job.fetch(job_id, connection=get_redis()) for job_id in ids]
    return [job for job in jobs if job.func_name == "lumen.alerts.jobs.send_alert"]


def redis_mentions(needle: bytes) -> list[bytes]:
    """Every Redis key whose value (of any type) contains ``needle``."""
    redis, found = get_redis(), []
    for key in redis.scan_iter():
        kind = redis.type(key)
        if kind == b"string":
            values = [redis.get(key)]
        elif kind == b"hash":
            values = [*redis.hgetall(key).keys(), *redis.hgetall(key).values()]
        elif kind == b"list":
            values = redis.lrange(key, 0, -1)
        elif kind == b"set":
            values = list(redis.smembers(key))
        elif kind == b"zset":
            values = [member for member, _ in redis.zrange(key, 0, -1, withscores=True)]
        else:
            values = []
        if any(needle in (value or b"") for value in values):
            found.append(key)
    return found


def test_the_alert_arrives_once_with_its_headers_and_parts(web, worker, smtp, caplog):
    caplog.set_level(logging.DEBUG)
    _, server = smtp
    opened = escalate(web)
    wait_for(lambda: server.received)
    [job] = alert_jobs()
    wait_for(lambda: job.get_status(refresh=True) == JobStatus.FINISHED)
    [message] = server.received
    assert server.envelopes == [("alerts@lumen.test", [TEAM])]
    assert message["From"] == SENDER and message["To"] == TEAM
    assert message["Reply-To"] == SHOPPER
    assert message["Subject"] == "Lumen escalation: order #1036, parcel not received"
    assert message["Message-ID"] == (
        f"<lumen.ticket-{opened.id}.{int(opened.created_at.timestamp())}.1@lumen.test>")
    assert message["Date"] and message["Auto-Submitted"] == "auto-generated"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain", "text/html"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "ORDER #1036" in text and "9405511899561234570036" in text
    assert "It says delivered but I never got my package" in text
    assert job.args == (opened.id,) and job.return_value() == "sent"
    assert ticket().alerts_sent == 1 and ticket().alerted_at is not None

    # A retried job (or any re-run) sends nothing more.
    again = enqueue(send_alert, opened.id)
    wait_for(lambda: again.get_status(refresh=True) == JobStatus.FINISHED)
    assert again.return_value() == "already sent" and len(server.received) == 1

    # The checkout email went out in the Reply-To and is nowhere else.
    assert tables_mentioning(SHOPPER, "sam.okafor") == {}
    assert redis_mentions(b"sam.okafor") == []
    # (aiosmtpd's own "mail.log" is the receiving server's log, not Lumen's.)
    lumen_log = "\n".join(record.getMessage() for record in caplog.records
                          if not record.name.startswith("mail.log"))
    assert "sam.okafor" not in worker.read_text() and "sam.okafor" not in lumen_log
    assert "alert 1 for ticket" in worker.read_text()  # the scan read the worker's real log


def test_a_421_is_retried_and_then_succeeds(web, worker, smtp, monkeypatch):
    _, server = smtp
    monkeypatch.setattr(actions, "RETRY_INTERVALS", [1, 1, 1, 1])
    server.answers = ["421 4.3.2 Service not available, try again later"]
    escalate(web)
    wait_for(lambda: server.received, timeout=30)
    [job] = alert_jobs()
    wait_for(lambda: job.get_status(refresh=True) == JobStatus.FINISHED)
    assert server.attempts == 2 and len(server.received) == 1
    assert job.retries_left == 3
    assert ticket().alert_error is None and ticket().alerts_sent == 1


def test_a_550_fails_visibly_without_retries_and_send_again_works(web, worker, smtp):
    _, server = smtp
    server.answers = ["550 5.7.1 Relaying denied"] * 5
    escalate(web)
    wait_for(lambda: ticket().alert_error is not None)
    [job] = alert_jobs()
    wait_for(lambda: job.get_status(refresh=True) == JobStatus.FAILED)
    assert job.id in get_queue().failed_job_registry.get_job_ids()
    assert ticket().alert_error == "550 5.7.1 Relaying denied"
    assert server.attempts == 1 and server.received == []
    assert actions.alert_status(ticket()).label == "alert failed: 550 5.7.1 Relaying denied"

    server.answers = []
    current = ticket()
    actions.send_again(db.session.get(Shop, current.shop_id), current)
    db.session.commit()
    wait_for(lambda: server.received)
    wait_for(lambda: ticket().alerts_sent == 1)
    assert ticket().alert_error is None


def test_without_smtp_the_outbox_is_shared_by_the_worker_and_the_web(tmp_path, postgres_url,
                                                                     redis_url, devstore_url):  # noqa: F811
    from lumen.mail import outbox

    settings = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url,
                "LUMEN_SHOPIFY_ADMIN_URL": devstore_url}
    with migrated_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url, REDIS_URL=redis_url,
                      LUMEN_SHOPIFY_ADMIN_URL=devstore_url) as app:
        db.session.add(Shop(domain=SHOP_DOMAIN, access_token=STORE_TOKEN, scopes="read_orders",
                            plan=Plan.PRO, settings=ShopSettings(escalation_email=TEAM)))
        db.session.commit()
        with running_worker(tmp_path / "worker.log", settings):
            wait_for(lambda: Worker.all(connection=get_redis()))
            escalate(app)
            # The worker process sent it; this (web) process reads it from Redis.
            wait_for(lambda: outbox().messages())
        [message] = outbox().messages()
        assert message["Reply-To"] == SHOPPER and "ORDER #1036" in message.get_body(
            preferencelist=("plain",)).get_content()
