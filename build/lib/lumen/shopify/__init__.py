"""The one package that talks to Shopify's Admin GraphQL API."""

from lumen.shopify.api_version import API_VERSION
from lumen.shopify.client import AdminClient, RebaseTransport, exact_name_match
from lumen.shopify.errors import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyQueryError,
    ShopifyThrottled,
    ShopifyUnavailable,
)
from lumen.shopify.queries import DOCUMENTS, ORDER_CANDIDATES, ORDER_LOOKUP, order_name_search

__all__ = [
    "API_VERSION",
    "DOCUMENTS",
    "ORDER_CANDIDATES",
    "ORDER_LOOKUP",
    "AdminClient",
    "RebaseTransport",
    "ShopifyAuthError",
    "ShopifyError",
    "ShopifyQueryError",
    "ShopifyThrottled",
    "ShopifyUnavailable",
    "exact_name_match",
    "order_name_search",
]
