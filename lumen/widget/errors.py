"""Every widget error leaves as ``{"error": CODE, "message": str}``; rendered only here."""

from __future__ import annotations

import logging

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from lumen.chat import RateLimited
from lumen.extensions import db
from lumen.sessions import SessionError
from lumen.widget import bp

logger = logging.getLogger(__name__)

# Our own wording for the HTTP errors Werkzeug raises; its descriptions are written for HTML.
_HTTP_ERRORS = {
    400: ("invalid_request", "The request could not be understood."),
    404: ("not_found", "The widget API has no such endpoint."),
    405: ("method_not_allowed", "This endpoint does not accept that method."),
    413: ("request_too_large", "The request body is too large."),
}


class ApiError(Exception):
    """A request the widget API refuses, with the status and code it answers."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> Response:
    """The JSON error shape every widget error uses."""
    response = jsonify(error=code, message=message)
    response.status_code = status
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error_response(error.status, error.code, error.message)


@bp.errorhandler(SessionError)
def _session_error(error: SessionError) -> Response:
    return error_response(401, error.code, error.message)


@bp.errorhandler(RateLimited)
def _rate_limited(error: RateLimited) -> Response:
    response = error_response(429, "rate_limited",
                              "Too many messages. Please wait a moment and try again.")
    response.headers["Retry-After"] = str(error.retry_after)
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    fallback = (error.name.lower().replace(" ", "_"), error.name)
    code, message = _HTTP_ERRORS.get(status, fallback)
    response = error_response(status, code, message)
    if getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    # A bug or an outage, never the client's doing: log it, keep the shape, reveal nothing.
    logger.exception("widget request failed")
    db.session.rollback()
    return error_response(500, "internal_error", "Something went wrong. Please try again.")
