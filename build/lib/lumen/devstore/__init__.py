"""Lumen's development store: a local stand-in for Shopify's Admin GraphQL API.

It serves orders from a fixture file through Shopify's real 2026-04 schema, with Shopify's
URL shape, JSON shapes, query costs, leaky-bucket throttling and error bodies, plus optional
latency and injected 502/503 failures. See ARCHITECTURE.md, "Development store".
"""

from lumen.devstore.app import SUPPORTED_VERSIONS, create_devstore_app
from lumen.devstore.bucket import STANDARD_BUCKET_SIZE, STANDARD_RESTORE_RATE, LeakyBucket
from lumen.devstore.cost import MAX_QUERY_COST
from lumen.devstore.fixture_loader import BUNDLED_FIXTURES, FixtureError, load_fixtures
from lumen.devstore.store import DevStore

__all__ = [
    "BUNDLED_FIXTURES",
    "MAX_QUERY_COST",
    "STANDARD_BUCKET_SIZE",
    "STANDARD_RESTORE_RATE",
    "SUPPORTED_VERSIONS",
    "DevStore",
    "FixtureError",
    "LeakyBucket",
    "create_devstore_app",
    "load_fixtures",
]
