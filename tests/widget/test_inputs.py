"""Input limits: JSON objects only, bounded text and body, typed fields; never a 500."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import Message, Role
from lumen.widget.inputs import MAX_BODY_BYTES, MAX_MESSAGE_CHARS, printable


def error_of(response) -> tuple[int, str]:
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["message"]
    return response.status_code, body["error"]


@pytest.mark.parametrize("raw", [b"", b"{", b"not json", b"\xff\xfe\x00garbage",
                                 b"[" * 3000 + b"]" * 3000, b"1" * 5000])
def test_a_body_that_is_not_json_is_400(proxy, raw):
    assert error_of(proxy.post("api/sessions", data=raw)) == (400, "invalid_json")


@pytest.mark.parametrize("body", [[], "text", 42, None, [{"session": "x", "text": "hi"}]])
def test_a_json_body_that_is_not_an_object_is_400(proxy, body):
    response = proxy.post("api/messages", data=json.dumps(body))
    assert error_of(response) == (400, "invalid_request")


@pytest.mark.parametrize("body", [
    {"text": "hello"},
    {"session": 12, "text": "hello"},
    {"session": None, "text": "hello"},
    {"session": "TOKEN"},
    {"session": "TOKEN", "text": ["hello"]},
    {"session": "TOKEN", "text": "   \n\t "},
    {"session": "TOKEN", "text": "\x00\x01\x02"},
])
def test_missing_or_wrong_fields_are_400(proxy, body):
    token = proxy.start()
    body = {key: token if value == "TOKEN" else value for key, value in body.items()}
    assert error_of(proxy.post("api/messages", body)) == (400, "invalid_request")


def test_text_at_the_limit_is_answered_and_one_more_is_413(proxy):
    token = proxy.start()
    longest = "where is my order " + "x" * (MAX_MESSAGE_CHARS - 18)
    response = proxy.post("api/messages", {"session": token, "text": longest})
    assert response.status_code == 200
    response = proxy.post("api/messages", {"session": token, "text": longest + "x"})
    assert error_of(response) == (413, "message_too_long")


def test_the_limit_counts_the_text_as_sent(proxy):
    token = proxy.start()
    text = " " * MAX_MESSAGE_CHARS + "a"
    response = proxy.post("api/messages", {"session": token, "text": text})
    assert error_of(response) == (413, "message_too_long")


def test_a_body_over_8_kb_is_413(proxy):
    token = proxy.start()
    body = json.dumps({"session": token, "text": "hi", "padding": "x" * MAX_BODY_BYTES})
    assert error_of(proxy.post("api/messages", data=body)) == (413, "request_too_large")


def test_unknown_fields_are_ignored(proxy):
    token = proxy.start()
    response = proxy.post("api/messages", {"session": token, "text": "hello", "extra": [1, 2]})
    assert response.status_code == 200


def test_control_characters_and_lone_surrogates_are_dropped_before_storage(proxy):
    token = proxy.start()
    raw = json.dumps({"session": token, "text": "hel\x00lo\ud800 folks\x07"})
    assert proxy.post("api/messages", data=raw).status_code == 200
    stored = db.session.scalars(select(Message.text).where(Message.role == Role.SHOPPER)).one()
    assert stored == "hello folks"


def test_printable_keeps_line_breaks_tabs_and_emoji():
    assert printable("a\nb\tc \U0001F600\u200d\U0001F4E6") == "a\nb\tc \U0001F600\u200d\U0001F4E6"
    assert printable("a\x00b\x1bc\x7fd\ud83d") == "abcd"


@pytest.mark.parametrize("rating", ["meh", "", None, 1, ["up"]])
def test_feedback_rating_must_be_up_or_down(proxy, rating):
    token = proxy.start()
    response = proxy.post("api/feedback", {"session": token, "rating": rating})
    assert error_of(response) == (400, "invalid_request")
