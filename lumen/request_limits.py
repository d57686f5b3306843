"""Request body limits: one app-wide ceiling and a smaller one per blueprint.

The limit is checked against Content-Length before any view, gate or parser runs, so a huge
body is refused (413, in the blueprint's own error shape) without reading a byte of it. A body
without a length (chunked) is read up to one byte past the limit and refused when it has that
byte, so memory never holds more than the limit.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

KIB = 1024
# Nothing Lumen accepts is bigger than a webhook.
APP_MAX_BODY = 1024 * KIB
BLUEPRINT_MAX_BODY = {
    # Shopify's payloads for the topics Lumen subscribes to stay well under 1 MB.
    "webhooks": 512 * KIB,
    # Settings and export forms: a persona of 1,000 characters is the biggest field.
    "admin": 64 * KIB,
    "auth": 64 * KIB,
    # The widget's small JSON bodies (lumen.widget.inputs.MAX_BODY_BYTES, checked there too).
    "widget": 8 * KIB,
}


def init_app(app: Flask) -> None:
    """Set the app-wide MAX_CONTENT_LENGTH and refuse oversized bodies before any view."""
    # Flask's own default is None (unlimited).
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = APP_MAX_BODY
    app.before_request(refuse_oversized_body)


def body_limit(blueprint: str | None) -> int:
    """The largest body a request to ``blueprint`` may carry."""
    app_limit = current_app.config["MAX_CONTENT_LENGTH"]
    return min(BLUEPRINT_MAX_BODY.get(blueprint or "", app_limit), app_limit)


def refuse_oversized_body() -> None:
    """413 when Content-Length is over the limit; otherwise bound every later read by it."""
    limit = body_limit(request.blueprint)
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        # Werkzeug would silently stop at the limit; one more byte tells a body that is over.
        request.max_content_length = limit + 1
        if len(request.get_data(cache=True)) > limit:
            raise RequestEntityTooLarge()
    request.max_content_length = limit
