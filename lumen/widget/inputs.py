"""Parsing of widget request bodies: a small JSON object with typed, bounded fields.

Unknown fields are ignored, so an older app can serve a newer widget (documented in the
OpenAPI document).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from flask import request

from lumen.widget.errors import ApiError

MAX_BODY_BYTES = 8 * 1024
MAX_MESSAGE_CHARS = 1000
RATINGS = ("up", "down")
# Control characters (other than line breaks and tabs) and lone surrogates are never meant
# as text, and surrogates cannot even be stored as UTF-8.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs"})
_KEPT_CONTROLS = frozenset("\n\t")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object: 413 over MAX_BODY_BYTES, 400 when not an object."""
    request.max_content_length = MAX_BODY_BYTES
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "The body must be valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "The body must be a JSON object.")
    return body


def session_token(body: dict[str, Any]) -> str:
    """The ``session`` field: the token from POST /api/sessions."""
    token = body.get("session")
    if not isinstance(token, str):
        raise ApiError(400, "invalid_request", "'session' must be the session token string.")
    return token


def message_text(body: dict[str, Any]) -> str:
    """The ``text`` field (at most MAX_MESSAGE_CHARS as sent), cleaned and trimmed, not empty."""
    text = body.get("text")
    if not isinstance(text, str):
        raise ApiError(400, "invalid_request", "'text' must be a string.")
    # Measured as sent, so the limit is exactly the documented maxLength.
    if len(text) > MAX_MESSAGE_CHARS:
        raise ApiError(413, "message_too_long",
                       f"'text' must be at most {MAX_MESSAGE_CHARS} characters.")
    text = printable(text).strip()
    if not text:
        raise ApiError(400, "invalid_request", "'text' must contain a visible character.")
    return text


def rating(body: dict[str, Any]) -> str:
    """The ``rating`` field: "up" or "down"."""
    value = body.get("rating")
    if value not in RATINGS:
        raise ApiError(400, "invalid_request", "'rating' must be \"up\" or \"down\".")
    return value


def printable(text: str) -> str:
    """``text`` without control characters (except line breaks and tabs) or lone surrogates."""
    if text.isascii() and text.isprintable():
        return text  # the usual message: nothing to drop, no per-character lookups
    return "".join(char for char in text
                   if char in _KEPT_CONTROLS
                   or unicodedata.category(char) not in _DROPPED_CATEGORIES)
