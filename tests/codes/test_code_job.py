"""The code job: its argument is sealed while it waits, it is deleted once it ran, and a send
that keeps failing gives up without leaving the job (and its argument) in RQ's registries."""

from __future__ import annotations

import logging
import zlib

from rq import Queue, SimpleWorker

from lumen.codes.request import CodeRequest, open_request, seal_request
from lumen.mail import MailError, get_mailer
from lumen.queue import QUEUE_NAME, get_redis
from lumen.shopify.queries import order_email_search
from tests.codes.conftest import CODE_SENT, MAYA, sent


class FailingTransport:
    """A mail server that always answers 451."""

    def send(self, message) -> None:
        raise MailError("451 4.3.0 try again later", temporary=True)


def job_fields() -> bytes:
    """Every field of every RQ job hash, concatenated, the (compressed) call unpacked."""
    redis = get_redis()
    fields = [(name, value) for key in redis.keys("rq:job:*")
              for name, value in redis.hgetall(key).items()]
    return b"".join(zlib.decompress(value) if name == b"data" else value
                    for name, value in fields)


def test_the_waiting_job_holds_no_address_and_is_deleted_once_run(app, chat, monkeypatch):
    # A queue that waits for a worker, as production's does.
    queue = Queue(QUEUE_NAME, connection=get_redis(), is_async=True)
    monkeypatch.setitem(app.extensions, "rq", queue)
    assert CODE_SENT in chat.say(MAYA)
    [job] = queue.jobs
    assert job.func_name == "lumen.codes.jobs.send_code"
    assert job.result_ttl == 0 and job.retries_left == 3 and job.timeout == 30
    fields = job_fields()
    assert b"send_code" in fields and b"maya" not in fields.lower() and b"@" not in fields
    assert "@" not in job.args[1] and "@" not in job.description
    SimpleWorker([queue], connection=get_redis()).work(burst=True)
    assert [message["To"] for message in sent()] == [MAYA]
    assert get_redis().keys("rq:job:*") == []


def test_a_send_that_keeps_failing_gives_up_and_leaves_no_job(chat, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(get_mailer(), "transport", FailingTransport())
    assert CODE_SENT in chat.say(MAYA)
    assert get_redis().keys("rq:job:*") == []
    assert "gave up: 451 4.3.0 try again later" in caplog.text
    assert "maya" not in caplog.text


def test_a_sealed_request_opens_only_with_the_app_keys(app):
    request = CodeRequest(MAYA, "012345", "challenge", 1.5)
    sealed = seal_request(request)
    assert "maya" not in sealed and "012345" not in sealed
    assert open_request(sealed) == request
    assert "maya" not in repr(request) and "012345" not in repr(request)


def test_an_address_that_could_carry_search_syntax_is_refused():
    assert order_email_search(" Maya.Chen@example.com ") == 'email:"Maya.Chen@example.com"'
    for unsafe in ('a"b@example.com', "a@example.com OR name:1042", "a b@example.com", "",
                   "a@example.com\\", "(a)@example.com"):
        try:
            order_email_search(unsafe)
        except ValueError:
            continue
        raise AssertionError(f"accepted {unsafe!r}")
