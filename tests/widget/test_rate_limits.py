"""Rate limits answer 429 with Retry-After, shared through Redis by every web process."""

from __future__ import annotations

from lumen.widget import limits, turn
from tests.widget.proxy import Chat


def assert_rate_limited(response) -> None:
    assert response.status_code == 429
    assert response.get_json()["error"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= limits.RATE_WINDOW_SECONDS


def test_one_shopper_ip_is_limited_across_sessions_and_messages(proxy):
    chat_session = Chat(proxy, ip="198.51.100.9")
    for _ in range(limits.IP_REQUESTS_PER_MINUTE - 2):
        assert proxy.post("api/sessions", {}, ip="198.51.100.9").status_code == 201
    assert chat_session.send("hello").status_code == 200
    assert_rate_limited(chat_session.send("hello again"))
    assert_rate_limited(proxy.post("api/sessions", {}, ip="198.51.100.9"))
    assert proxy.post("api/sessions", {}, ip="198.51.100.10").status_code == 201


def test_one_session_may_send_a_limited_number_of_messages_a_minute(proxy):
    chat_session = Chat(proxy)
    for _ in range(limits.SESSION_MESSAGES_PER_MINUTE):
        assert chat_session.send("hi").status_code == 200
    assert_rate_limited(chat_session.send("hi"))
    # The limit is the session's: another session from the same shopper carries on.
    assert Chat(proxy).send("hi").status_code == 200


def test_the_shop_has_a_global_ceiling(proxy, monkeypatch):
    monkeypatch.setattr(limits, "SHOP_REQUESTS_PER_MINUTE", 3)
    for number in range(3):
        assert proxy.post("api/sessions", {}, ip=f"198.51.100.{number}").status_code == 201
    assert_rate_limited(proxy.post("api/sessions", {}, ip="198.51.100.200"))


def test_refused_requests_do_not_reach_the_engine(proxy, monkeypatch):
    chat_session = Chat(proxy)
    monkeypatch.setattr(limits, "SESSION_MESSAGES_PER_MINUTE", 1)
    assert chat_session.send("hi").status_code == 200

    def fail(*_args, **_kwargs):
        raise AssertionError("the engine ran for a rate-limited message")

    monkeypatch.setattr(turn, "handle_turn", fail)
    assert_rate_limited(chat_session.send("hi"))
