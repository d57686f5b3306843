"""Chat sessions: an opaque signed token names a record in Redis that expires when idle.

The token carries only a random session id and the shop id, signed with SECRET_KEY, so a
shopper cannot forge one or move it to another shop. Everything else (the conversation
state, which holds at most a keyed hash of the proven email) lives in Redis under
``lumen:session:<id>`` with a 30-minute idle TTL, so any web process can serve any turn.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lumen.errors import ApiError
from lumen.queue import get_redis

SALT = "lumen.widget.session"
IDLE_TTL_SECONDS = 30 * 60
# A token outliving its Redis record is refused anyway; this bounds what a leaked one is worth.
TOKEN_MAX_AGE_SECONDS = 24 * 3600
KEY_PREFIX = "lumen:session:"
# itsdangerous emits URL-safe base64 and dots; anything else cannot be one of our tokens.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_.\-]{1,400}")


class SessionError(ApiError):
    """The session token cannot be used; the widget should start a new session."""

    status = 401
    code = "invalid_session"
    message = "This chat session is not valid. Please start a new one."


class SessionInvalid(SessionError):
    """The token is malformed, forged, or was issued for another shop."""


class SessionExpired(SessionError):
    """The session was idle too long (or never existed); state is gone."""

    code = "session_expired"
    message = "This chat session has expired. Please start a new one."


@dataclass
class StoredSession:
    """What Redis keeps for one session: the engine's state and the conversation row's id."""

    state: dict[str, Any]
    conversation_id: int | None = None


def new_session_id() -> str:
    """A fresh, unguessable session id."""
    return secrets.token_urlsafe(18)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(session_id: str, shop_id: int) -> str:
    """The opaque token the widget sends back with every request of this session."""
    return _serializer().dumps({"sid": session_id, "shop": shop_id})


def read_token(token: str, shop_id: int) -> str:
    """The session id inside a token issued for ``shop_id``; raise SessionError otherwise."""
    if not _TOKEN_SHAPE.fullmatch(token):
        raise SessionInvalid()
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE_SECONDS)
    except SignatureExpired:
        raise SessionExpired() from None
    except BadSignature:
        raise SessionInvalid() from None
    if not isinstance(payload, dict) or payload.get("shop") != shop_id:
        raise SessionInvalid()
    session_id = payload.get("sid")
    if not isinstance(session_id, str) or not session_id:
        raise SessionInvalid()
    return session_id


def load(session_id: str) -> StoredSession:
    """The session's record, refreshing its idle TTL; SessionExpired when it is gone."""
    raw = get_redis().getex(KEY_PREFIX + session_id, ex=IDLE_TTL_SECONDS)
    if raw is None:
        raise SessionExpired()
    data = json.loads(raw)
    return StoredSession(data["state"], data.get("conversation_id"))


def create(session_id: str, stored: StoredSession) -> None:
    """Write a new session's record."""
    get_redis().set(KEY_PREFIX + session_id, _payload(stored), ex=IDLE_TTL_SECONDS)


def save(session_id: str, stored: StoredSession) -> None:
    """Update the session's record with a fresh idle TTL, only while it still exists: a turn
    that finishes after the session was rotated (or expired) must not bring it back."""
    get_redis().set(KEY_PREFIX + session_id, _payload(stored), ex=IDLE_TTL_SECONDS, xx=True)


def rotate(old_id: str, new_id: str, stored: StoredSession) -> None:
    """Move the record to a new session id in one transaction; the old token stops working."""
    with get_redis().pipeline(transaction=True) as pipe:
        pipe.set(KEY_PREFIX + new_id, _payload(stored), ex=IDLE_TTL_SECONDS)
        pipe.delete(KEY_PREFIX + old_id)
        pipe.execute()


def _payload(stored: StoredSession) -> str:
    return json.dumps({"state": stored.state, "conversation_id": stored.conversation_id})
