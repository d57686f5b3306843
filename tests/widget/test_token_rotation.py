"""The session token changes when the shopper verifies an order: a token seen before (in a
shared link, a log, another tab) cannot read the order afterwards."""

from __future__ import annotations

from lumen.widget import chat_sessions
from tests.widget.conftest import order

MATCHED = "that email matches"


def message(proxy, token: str, text: str):
    return proxy.post("api/messages", {"session": token, "text": text})


def test_the_token_is_rotated_by_verification_and_the_old_one_stops_working(proxy):
    first = proxy.start()
    asked = message(proxy, first, "where is #1042?").get_json()
    assert asked["session"] == first, "nothing verified yet: same token"
    verified = message(proxy, first, order("#1042")["email"]).get_json()
    assert MATCHED in verified["replies"][0]["text"]
    second = verified["session"]
    assert second != first
    stale = message(proxy, first, "has it shipped?")
    assert stale.status_code == 401 and stale.get_json()["error"] == "session_expired"
    follow_up = message(proxy, second, "can I get the tracking link?").get_json()
    tracking = order("#1042")["fulfillments"][0]["trackingInfo"][0]["number"]
    assert tracking in str(follow_up["replies"])
    assert follow_up["session"] == second, "a follow-up about a verified order keeps it"


def test_a_second_order_verified_rotates_again(proxy):
    token = proxy.start()
    token = message(proxy, token, f"#1042 {order('#1042')['email']}").get_json()["session"]
    again = message(proxy, token, f"#1050 {order('#1050')['email']}").get_json()["session"]
    assert again != token
    assert message(proxy, token, "hi").status_code == 401


def test_a_turn_finishing_after_rotation_cannot_bring_the_old_session_back(app):
    stored = chat_sessions.StoredSession({"session_id": "s", "verified": {}})
    chat_sessions.create("old-id", stored)
    chat_sessions.rotate("old-id", "new-id", stored)
    chat_sessions.save("old-id", stored)  # a slower turn that loaded the old record
    redis = app.extensions["redis"]
    assert redis.exists(chat_sessions.KEY_PREFIX + "old-id") == 0
    assert redis.exists(chat_sessions.KEY_PREFIX + "new-id") == 1
