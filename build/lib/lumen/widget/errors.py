"""Every widget error leaves as ``{"error": CODE, "message": str}`` (see lumen.errors)."""

from lumen.errors import ApiError, error_response, register_json_errors
from lumen.widget import bp

__all__ = ["ApiError", "error_response"]

# Our own wording for the HTTP errors Werkzeug raises; its descriptions are written for HTML.
register_json_errors(bp, failure_message="Something went wrong. Please try again.", http_wording={
    400: ("invalid_request", "The request could not be understood."),
    404: ("not_found", "The widget API has no such endpoint."),
    405: ("method_not_allowed", "This endpoint does not accept that method."),
    413: ("request_too_large", "The request body is too large."),
})
