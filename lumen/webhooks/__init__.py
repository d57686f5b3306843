"""Shopify webhooks: one gate (the body's HMAC), de-duplicated deliveries, work done by RQ jobs."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")

from lumen.webhooks import errors, hmac_auth, views  # noqa: E402, F401
