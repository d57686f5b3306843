"""The development store's Flask app: Shopify's Admin GraphQL endpoint plus a control endpoint."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from lumen.devstore import responses
from lumen.devstore.bucket import STANDARD_BUCKET_SIZE, STANDARD_RESTORE_RATE, LeakyBucket
from lumen.devstore.executor import answer
from lumen.devstore.fixture_loader import load_fixtures
from lumen.devstore.oauth import ACCESS_TOKEN_TTL, TokenIssuer
from lumen.devstore.oauth import bp as oauth_bp
from lumen.devstore.store import CONTROL_SETTINGS, DevStore
from lumen.schema import SCHEMA_VERSION

SUPPORTED_VERSIONS = frozenset({SCHEMA_VERSION})

bp = Blueprint("devstore", __name__)


def create_devstore_app(fixtures: str | Path | Mapping[str, Any] | None = None, *,
                        bucket_size: float = STANDARD_BUCKET_SIZE,
                        restore_rate: float = STANDARD_RESTORE_RATE,
                        latency_ms: float = 0, failure_rate: float = 0.0,
                        access_tokens: Iterable[str] | None = None, seed: int | None = None,
                        clock: Callable[[], float] = time.monotonic,
                        sleep: Callable[[float], None] = time.sleep,
                        api_key: str | None = None, api_secret: str | None = None,
                        token_ttl: float = ACCESS_TOKEN_TTL) -> Flask:
    """A Flask app serving fixture orders the way Shopify's Admin GraphQL API serves orders.

    Its DevStore (settings, bucket, orders) is `app.extensions["devstore"]`. With the app's
    `api_key` and `api_secret` it also plays Shopify's token endpoint (token exchange and
    refresh; `app.extensions["devstore_oauth"]`), and accepts the tokens it issued.
    """
    store = DevStore(load_fixtures(fixtures), bucket=LeakyBucket(bucket_size, restore_rate, clock),
                     latency_ms=latency_ms, failure_rate=failure_rate,
                     access_tokens=access_tokens, seed=seed, sleep=sleep)
    store.token_issuer = TokenIssuer(store.shop, api_key, api_secret, access_ttl=token_ttl)
    app = Flask(__name__)
    app.extensions["devstore"] = store
    app.extensions["devstore_oauth"] = store.token_issuer
    app.register_blueprint(bp)
    app.register_blueprint(oauth_bp)
    return app


@bp.post("/admin/api/<version>/graphql.json")
def graphql_endpoint(version: str) -> ResponseReturnValue:
    """POST /admin/api/{version}/graphql.json, as Shopify serves it."""
    store = _store()
    store.wait()
    failure = store.injected_failure()
    if failure:
        return responses.upstream_failure(failure)
    if version not in SUPPORTED_VERSIONS:
        return jsonify(errors="Not Found"), 404
    if not store.accepts(request.headers.get("X-Shopify-Access-Token")):
        return jsonify(errors=responses.INVALID_TOKEN), 401
    payload = _graphql_payload()
    if payload is None:
        return jsonify(errors={"query": "Required parameter missing or invalid"}), 400
    return jsonify(answer(store, *payload))


@bp.route("/_control", methods=["GET", "POST"])
def control() -> ResponseReturnValue:
    """Read, or change at run time, latency, failure rate and bucket (development only)."""
    store = _store()
    if request.method == "POST":
        changes = request.get_json(silent=True)
        problem = _control_problem(changes)
        if problem is None:
            try:
                store.configure(**changes)
            except ValueError as error:
                problem = str(error)
        if problem:
            return jsonify(error="invalid_control", message=problem), 400
    return jsonify(store.settings())


def _store() -> DevStore:
    return current_app.extensions["devstore"]


def _graphql_payload() -> tuple[str, Any, str | None] | None:
    if request.mimetype == "application/graphql":
        query = request.get_data(as_text=True)
        return (query, None, None) if query.strip() else None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return None
    if not body["query"].strip():
        return None
    return body["query"], body.get("variables"), body.get("operationName")


def _control_problem(changes: Any) -> str | None:
    if not isinstance(changes, dict):
        return "send a JSON object of settings: " + ", ".join(CONTROL_SETTINGS)
    unknown = sorted(set(changes) - set(CONTROL_SETTINGS))
    if unknown:
        return f"unknown settings {unknown}; known: {', '.join(CONTROL_SETTINGS)}"
    if not isinstance(changes.get("drain", False), bool):
        return "drain must be true or false"
    return None
