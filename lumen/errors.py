"""JSON errors for the machine-facing blueprints (widget, webhooks): ``{"error", "message"}``.

Errors are raised where they are found as ``ApiError`` (or a subclass) and rendered only by the
handlers ``register_json_errors`` installs on a blueprint.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Blueprint, Response, jsonify
from werkzeug.exceptions import HTTPException

from lumen.extensions import db

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A request the API refuses, with the status, code and message it answers."""

    status = 400
    code = "invalid_request"
    message = "The request could not be understood."

    def __init__(self, status: int | None = None, code: str | None = None,
                 message: str | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(message or self.message)
        self.status = status or self.status
        self.code = code or self.code
        self.message = message or self.message
        self.headers = dict(headers or {})


def error_response(status: int, code: str, message: str) -> Response:
    """The JSON error shape every widget and webhook error uses."""
    response = jsonify(error=code, message=message)
    response.status_code = status
    return response


def register_json_errors(bp: Blueprint, *, http_wording: Mapping[int, tuple[str, str]],
                         failure_message: str) -> None:
    """Render every error raised under ``bp`` as JSON: ours, Werkzeug's and unexpected ones."""

    @bp.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        # An error answer keeps nothing the request wrote (e.g. a half-received webhook).
        db.session.rollback()
        response = error_response(error.status, error.code, error.message)
        response.headers.update(error.headers)
        return response

    @bp.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        fallback = (error.name.lower().replace(" ", "_"), error.name)
        response = error_response(status, *http_wording.get(status, fallback))
        if getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @bp.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # A bug or an outage, never the client's doing: log it, keep the shape, reveal nothing.
        logger.exception("%s request failed", bp.name)
        db.session.rollback()
        return error_response(500, "internal_error", failure_message)
