"""The widget API behind Shopify's app proxy: one gate (the proxy signature), JSON in and out."""

from flask import Blueprint

bp = Blueprint("widget", __name__, url_prefix="/proxy")
# Public documentation of the API; no gate because it holds nothing private.
docs_bp = Blueprint("widget_docs", __name__, url_prefix="/openapi")

from lumen.widget import errors, outages, proxy_auth, views  # noqa: E402, F401
