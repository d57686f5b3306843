"""One-time code fixtures: the widget tests' app and development store, mail in the outbox."""

from __future__ import annotations

import re

import pytest

from lumen.mail import outbox
from lumen.widget import chat_sessions
from tests.widget.conftest import app, devstore_url, proxy, shop  # noqa: F401
from tests.widget.proxy import Chat

MAYA = "maya.chen@example.com"      # one order, #1042
JORDAN = "jordan.reyes@example.com"  # three orders: #1019, #1050, #1077
NOBODY = "nobody.here@example.com"   # no orders
CODE_SENT = "If that email has orders with us, I've sent a 6-digit code to it."


def sent():
    """The outbox, newest first."""
    return outbox().messages()


def code_in(message) -> str:
    """The six digits of a code email."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"\b(\d{6})\b", text)[1]


def other_than(code: str, step: int = 1) -> str:
    """A six-digit code that is not ``code``."""
    return f"{(int(code) + step) % 1_000_000:06d}"


def state_of(chat: Chat, in_shop) -> dict:
    """The chat session's engine state, as Redis holds it."""
    return chat_sessions.load(chat_sessions.read_token(chat.token, in_shop.id)).state


def edit_state(chat: Chat, in_shop, **changes) -> None:
    """Change the chat session's stored state (to move its clock, for instance)."""
    session_id = chat_sessions.read_token(chat.token, in_shop.id)
    stored = chat_sessions.load(session_id)
    stored.state.update(changes)
    chat_sessions.save(session_id, stored)


@pytest.fixture
def chat(proxy) -> Chat:  # noqa: F811 - the widget tests' proxy fixture
    """A shopper's widget session."""
    return Chat(proxy)
