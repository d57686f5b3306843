"""The development store's token endpoint, answering as Shopify's POST /admin/oauth/access_token.

Two grants: token exchange (an App Bridge session token signed with the app secret becomes an
offline access token, expiring by default) and refresh_token. Like Shopify, it issues one
expiring token per app and shop at a time (a new exchange revokes the previous grant), rotates
the refresh token on every refresh, and the GraphQL endpoint accepts only live tokens it issued.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"
OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token"
# Shopify: expiring offline tokens last one hour, their refresh tokens 90 days.
ACCESS_TOKEN_TTL = 3600
REFRESH_TOKEN_TTL = 90 * 24 * 3600
DEFAULT_SCOPES = "read_orders,read_themes"

bp = Blueprint("devstore_oauth", __name__)


class OAuthError(Exception):
    """An OAuth error response: `{"error": code, "error_description": ...}` with a status."""

    def __init__(self, code: str, description: str, status: int = 400):
        super().__init__(description)
        self.code = code
        self.status = status


@dataclass
class _Grant:
    access_token: str
    access_expires: float | None
    refresh_token: str | None
    refresh_expires: float | None


class TokenIssuer:
    """Issues, refreshes and checks one app's tokens for the development store's shop."""

    def __init__(self, shop: str, api_key: str | None, api_secret: str | None, *,
                 scopes: str = DEFAULT_SCOPES, access_ttl: float = ACCESS_TOKEN_TTL,
                 refresh_ttl: float = REFRESH_TOKEN_TTL,
                 clock: Callable[[], float] = time.time):
        self.shop = shop
        self.api_key = api_key
        self.api_secret = api_secret
        self.scopes = scopes
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.clock = clock
        self.exchanges = 0
        self.refreshes = 0
        self._grant: _Grant | None = None
        self._lock = threading.Lock()

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """The token endpoint's JSON answer to one request body; OAuthError when refused."""
        self._check_client(body)
        grant_type = body.get("grant_type")
        if grant_type == TOKEN_EXCHANGE:
            return self._exchange(body)
        if grant_type == "refresh_token":
            return self._refresh(str(body.get("refresh_token") or ""))
        raise OAuthError("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")

    def accepts(self, token: str | None) -> bool:
        """Whether `token` is the live access token this issuer handed out."""
        with self._lock:
            grant = self._grant
            return (grant is not None and bool(token) and secrets.compare_digest(
                grant.access_token, token) and _alive(grant.access_expires, self.clock()))

    def revoke(self) -> None:
        """Forget the current grant, as uninstalling the app does."""
        with self._lock:
            self._grant = None

    def _check_client(self, body: dict[str, Any]) -> None:
        if not self.api_key or not self.api_secret:
            raise OAuthError("invalid_client", "the development store has no app credentials",
                             401)
        same_id = secrets.compare_digest(str(body.get("client_id", "")), self.api_key)
        same_secret = secrets.compare_digest(str(body.get("client_secret", "")), self.api_secret)
        if not (same_id and same_secret):
            raise OAuthError("invalid_client", "Client authentication failed", 401)

    def _exchange(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("subject_token_type") != ID_TOKEN_TYPE:
            raise OAuthError("invalid_request", "subject_token_type must be an id_token")
        if body.get("requested_token_type") != OFFLINE_TOKEN_TYPE:
            raise OAuthError("invalid_request", "only offline access tokens are issued here")
        self._verify_session_token(str(body.get("subject_token") or ""))
        expiring = str(body.get("expiring", "0")) in ("1", "true", "True")
        with self._lock:
            self.exchanges += 1
            self._grant = self._new_grant(expiring)
            return self._response(self._grant)

    def _refresh(self, refresh_token: str) -> dict[str, Any]:
        with self._lock:
            grant = self._grant
            if (grant is None or grant.refresh_token is None or not refresh_token
                    or not secrets.compare_digest(grant.refresh_token, refresh_token)
                    or not _alive(grant.refresh_expires, self.clock())):
                raise OAuthError("invalid_grant", "The refresh token is invalid or expired")
            self.refreshes += 1
            self._grant = self._new_grant(expiring=True)
            return self._response(self._grant)

    def _verify_session_token(self, token: str) -> None:
        try:
            claims = jwt.decode(token, self.api_secret, algorithms=["HS256"],
                                audience=self.api_key, leeway=10)
        except jwt.PyJWTError as error:
            raise OAuthError("invalid_subject_token", f"session token rejected: {error}") from None
        if urlsplit(str(claims.get("dest", ""))).hostname != self.shop:
            raise OAuthError("invalid_subject_token", "the session token is for another shop")

    def _new_grant(self, expiring: bool) -> _Grant:
        now = self.clock()
        token = "shpat_dev_" + secrets.token_hex(16)
        if not expiring:
            return _Grant(token, None, None, None)
        return _Grant(token, now + self.access_ttl, "shprt_dev_" + secrets.token_hex(16),
                      now + self.refresh_ttl)

    def _response(self, grant: _Grant) -> dict[str, Any]:
        answer: dict[str, Any] = {"access_token": grant.access_token, "scope": self.scopes}
        if grant.access_expires is not None:
            now = self.clock()
            answer.update(expires_in=int(grant.access_expires - now),
                          refresh_token=grant.refresh_token,
                          refresh_token_expires_in=int(grant.refresh_expires - now))
        return answer


def _alive(expires: float | None, now: float) -> bool:
    return expires is None or expires > now


@bp.post("/admin/oauth/access_token")
def access_token() -> ResponseReturnValue:
    """Shopify's token endpoint: JSON or form-encoded body, JSON answer."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = request.form.to_dict()
    try:
        return jsonify(issuer().answer(body))
    except OAuthError as error:
        return jsonify(error=error.code, error_description=str(error)), error.status


def issuer() -> TokenIssuer:
    """The development store app's token issuer."""
    return current_app.extensions["devstore_oauth"]
