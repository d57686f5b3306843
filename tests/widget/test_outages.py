"""Redis or the database down: the shopper gets a polite answer in the usual shape, never 5xx."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from lumen.extensions import db
from lumen.models import Message
from lumen.widget import chat_sessions, outages
from tests.widget.proxy import Chat


def refuse_redis(*args, **kwargs):
    raise RedisConnectionError("Connection refused")


def refuse_database(*args, **kwargs):
    raise OperationalError("INSERT", {}, Exception("server closed the connection"))


@pytest.mark.parametrize(("target", "name", "failure"), [
    (chat_sessions, "load", refuse_redis),
    (db.session, "commit", refuse_database),
])
def test_a_message_during_an_outage_gets_a_polite_reply_and_keeps_its_token(
        proxy, monkeypatch, target, name, failure):
    chat = Chat(proxy)
    token = chat.token
    monkeypatch.setattr(target, name, failure)
    response = chat.send("Where is my order #1042?")
    monkeypatch.undo()
    assert response.status_code == 200
    body = response.get_json()
    assert body["session"] == token
    assert [reply["text"] for reply in body["replies"]] == [outages.TRY_AGAIN]
    # Nothing half-written, and the conversation goes on once the outage is over.
    assert db.session.scalars(select(Message)).all() == []
    assert "email" in chat.say("Where is my order #1042?").lower()


def test_a_new_session_during_an_outage_is_asked_to_wait(proxy, monkeypatch):
    monkeypatch.setattr(chat_sessions, "create", refuse_redis)
    response = proxy.post("api/sessions", {})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(outages.RETRY_AFTER_SECONDS)
    assert response.get_json()["error"] == "temporarily_unavailable"
