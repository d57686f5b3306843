"""Orders this conversation read a few seconds ago, so a quick follow-up asks Shopify nothing.

Keyed by the engine's session id (the conversation's, unchanged when the token rotates) and
the order name, both digested, so Redis keys hold no order number. The value is what order
facts are built from with the email replaced by its keyed hash (``without_email``): a
follow-up served from here still passes the verification gate, and no address is stored. An
entry lives CACHE_SECONDS, far below the chat session's idle TTL, and is written only during a
turn that has just refreshed that TTL, so it never outlives the session.
"""

from __future__ import annotations

import json
from typing import Any

from lumen.conversation.verification import without_email
from lumen.queue import get_redis
from lumen.security import keyed_digest
from lumen.widget.chat_sessions import IDLE_TTL_SECONDS

CACHE_SECONDS = 10
KEY_PREFIX = "lumen:order:"
if CACHE_SECONDS >= IDLE_TTL_SECONDS:  # pragma: no cover - a guard for whoever edits these
    raise RuntimeError("an order must not stay cached longer than its chat session lives")


def cache_key(session_id: str, order_name: str) -> str:
    """The Redis key of one order read in one conversation."""
    return KEY_PREFIX + keyed_digest(f"{session_id}\n{order_name}")


def cached_order(session_id: str, order_name: str) -> dict[str, Any] | None:
    """The order this conversation read in the last CACHE_SECONDS, or None."""
    raw = get_redis().get(cache_key(session_id, order_name))
    return json.loads(raw) if raw is not None else None


def keep_order(session_id: str, order_name: str, order: dict[str, Any]) -> None:
    """Remember an order just read from Shopify, without its email, for CACHE_SECONDS."""
    get_redis().set(cache_key(session_id, order_name), json.dumps(without_email(order)),
                    ex=CACHE_SECONDS)
