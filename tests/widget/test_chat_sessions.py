"""Sessions: opaque signed tokens bound to a shop; state in Redis with a 30-minute idle TTL."""

from __future__ import annotations

import json

import pytest
from itsdangerous import URLSafeTimedSerializer

from lumen.extensions import db
from lumen.queue import get_redis
from lumen.widget import chat_sessions
from tests.widget.proxy import Chat, ProxyClient


def redis_key(token: str, shop_id: int) -> str:
    return chat_sessions.KEY_PREFIX + chat_sessions.read_token(token, shop_id)


def test_new_session_answers_welcome_and_quick_prompts_from_settings(proxy, shop):
    shop.settings.welcome_message = "Hello from Lumen Demo!"
    shop.settings.quick_prompts = ["Where is my parcel?", "Human please"]
    db.session.commit()
    body = proxy.post("api/sessions", {}).get_json()
    assert body["welcome"] == "Hello from Lumen Demo!"
    assert body["quick_prompts"] == ["Where is my parcel?", "Human please"]


def test_state_lives_in_redis_with_an_idle_ttl(proxy, shop):
    token = proxy.start()
    key = redis_key(token, shop.id)
    assert 0 < get_redis().ttl(key) <= chat_sessions.IDLE_TTL_SECONDS
    assert json.loads(get_redis().get(key))["state"]


def test_each_turn_refreshes_the_idle_ttl(proxy, shop):
    chat = Chat(proxy)
    key = redis_key(chat.token, shop.id)
    get_redis().expire(key, 5)
    chat.say("hello")
    assert get_redis().ttl(key) > chat_sessions.IDLE_TTL_SECONDS - 5


def test_expired_session_is_401_session_expired(proxy, shop):
    chat = Chat(proxy)
    get_redis().delete(redis_key(chat.token, shop.id))
    response = chat.send("hello")
    assert response.status_code == 401
    assert response.get_json()["error"] == "session_expired"


def test_token_issued_for_another_shop_is_401(proxy, shop, create_shop, client):
    other = create_shop()
    other_proxy = ProxyClient(client, other.domain, proxy.secret)
    token = other_proxy.start()
    response = proxy.post("api/messages", {"session": token, "text": "hello"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_session"


@pytest.mark.parametrize("token", ["", "nonsense", "a.b.c", "é" * 10, "x" * 5000])
def test_forged_or_malformed_token_is_401(proxy, token):
    response = proxy.post("api/messages", {"session": token, "text": "hello"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_session"


def test_token_signed_with_another_key_is_401(proxy, shop):
    forged = URLSafeTimedSerializer("another-secret-key-" + "z" * 32, salt=chat_sessions.SALT)
    token = forged.dumps({"sid": "whatever", "shop": shop.id})
    response = proxy.post("api/messages", {"session": token, "text": "hello"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_session"


def test_token_older_than_its_max_age_is_expired(proxy, shop, monkeypatch):
    token = proxy.start()
    monkeypatch.setattr(chat_sessions, "TOKEN_MAX_AGE_SECONDS", -1)
    response = proxy.post("api/messages", {"session": token, "text": "hello"})
    assert response.status_code == 401
    assert response.get_json()["error"] == "session_expired"


def test_a_shop_without_settings_row_gets_the_default_welcome(proxy, shop):
    db.session.delete(shop.settings)
    db.session.commit()
    body = proxy.post("api/sessions", {}).get_json()
    assert body["welcome"].startswith("Hi!")
    assert body["quick_prompts"]
    response = proxy.post("api/messages", {"session": body["session"], "text": "order 1042"})
    assert response.status_code == 200
