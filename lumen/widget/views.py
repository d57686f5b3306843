"""Widget endpoints: parse the body, call one action, commit, answer JSON."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from flask import Response, current_app, g, request
from werkzeug.exceptions import MethodNotAllowed, NotFound

from lumen.extensions import db
from lumen.widget import actions, bp, docs_bp, inputs
from lumen.widget.turn import answer_message

OPENAPI_PATH = Path(__file__).with_name("openapi.yaml")
# The endpoints opt out of Flask's automatic OPTIONS, so every other method (OPTIONS too)
# falls through to `unrouted`, whose 405 names exactly the methods an endpoint serves.
_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@bp.post("/api/sessions", provide_automatic_options=False)
def create_session():
    """Start a conversation: its session token, the shop's welcome and quick prompts."""
    inputs.json_object()
    started = actions.start_conversation(g.shop, g.client_ip)
    db.session.commit()
    return {"session": started.token, "welcome": started.welcome,
            "quick_prompts": started.quick_prompts}, 201


@bp.post("/api/messages", provide_automatic_options=False)
def post_message():
    """One shopper message in, the assistant's replies out."""
    body = inputs.json_object()
    token, text = inputs.session_token(body), inputs.message_text(body)
    turn = answer_message(g.shop, token, text, g.client_ip)
    db.session.commit()
    g.shopify_ms = turn.shopify_ms
    return {"replies": turn.replies, "session": turn.token}


@bp.post("/api/feedback", provide_automatic_options=False)
def post_feedback():
    """Thumbs up or down for the conversation."""
    body = inputs.json_object()
    actions.record_feedback(g.shop, inputs.session_token(body), inputs.rating(body))
    db.session.commit()
    return Response(status=204)


@bp.route("/<path:_path>", methods=_ANY_METHOD)
def unrouted(_path: str):
    """404, or 405 with Allow, in the widget's JSON shape for anything else under /proxy."""
    allowed = sorted({method for rule in current_app.url_map.iter_rules()
                      if rule.endpoint != request.endpoint and rule.rule == request.path
                      for method in rule.methods or ()})
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise NotFound()


@bp.after_request
def add_server_timing(response: Response) -> Response:
    """Server-Timing: total time in the app and the part spent waiting for Shopify."""
    started = g.get("request_started")
    if started is not None:
        total_ms = (time.perf_counter() - started) * 1000
        timing = f"app;dur={total_ms:.2f}, shopify;dur={g.get('shopify_ms', 0.0):.2f}"
        response.headers["Server-Timing"] = timing
    response.headers["Cache-Control"] = "no-store"
    return response


@docs_bp.get("/widget.yaml")
def widget_openapi():
    """The OpenAPI 3.1 document of the widget API."""
    return Response(openapi_document(), mimetype="application/yaml")


@cache
def openapi_document() -> str:
    """The widget API's OpenAPI document, read once."""
    return OPENAPI_PATH.read_text(encoding="utf-8")
