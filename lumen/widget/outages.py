"""When Redis or the database cannot be reached, the shopper still gets a polite answer.

A turn that fails on infrastructure (a Redis restart, PostgreSQL restarting or refusing
connections) changed nothing: the view had not committed and the chat session is saved only
after the commit. So a message gets a 200 in the usual shape, with one reply asking to send it
again and the token it came with; other endpoints a 429 with Retry-After, which the widget
already waits on. Nothing here is a 5xx: the widget shows every answer as a chat bubble.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Response, jsonify, request
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from lumen.conversation.replies import Reply
from lumen.errors import error_response
from lumen.extensions import db
from lumen.widget import bp

logger = logging.getLogger(__name__)
OUTAGES = (RedisConnectionError, RedisTimeoutError, DBAPIError, PoolTimeout)
RETRY_AFTER_SECONDS = 2
TRY_AGAIN = ("Sorry, I'm having trouble on my side for a moment. Please send that again in a "
             "few seconds.")


@bp.errorhandler(RedisConnectionError)
@bp.errorhandler(RedisTimeoutError)
@bp.errorhandler(DBAPIError)
@bp.errorhandler(PoolTimeout)
def outage_reply(error: Exception) -> Response | tuple[Response, int]:
    """A polite answer in the endpoint's own JSON shape instead of a 500."""
    logger.warning("widget %s during an outage: %s: %s", request.endpoint,
                   type(error).__name__, str(error).splitlines()[0] if str(error) else "")
    with contextlib.suppress(Exception):  # the database may be the part that is down
        db.session.rollback()
    if request.endpoint == "widget.post_message":
        body = request.get_json(silent=True)
        token = body.get("session") if isinstance(body, dict) else None
        return jsonify(replies=[Reply(TRY_AGAIN).to_dict()],
                       session=token if isinstance(token, str) else ""), 200
    response = error_response(429, "temporarily_unavailable", TRY_AGAIN)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
