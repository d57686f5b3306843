"""Shopify authentication: session tokens, token exchange and expiring offline tokens.

The `auth` blueprint serves the page App Bridge uses to refresh a stale session token; the
admin blueprint's gate uses `admin_auth.authenticate` and `tokens.install`; everything that calls
Shopify gets its client from `admin_client_for`.
"""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from lumen.auth import views  # noqa: E402, F401 - routes register on bp
from lumen.auth.tokens import admin_client_for  # noqa: E402

__all__ = ["admin_client_for", "bp"]
