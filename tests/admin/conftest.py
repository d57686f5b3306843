"""Admin tests use the embedded-app fixtures (development store as Shopify)."""

from tests.embedded_app import (  # noqa: F401
    admin,
    devstore,
    embedded_app,
    issuer,
    make_token,
    store_fixtures,
)
