"""Facts about a shop row that several parts need: its readable name and its settings."""

from __future__ import annotations

from lumen.models import Shop, ShopSettings


def store_name(domain: str) -> str:
    """A readable store name from its myshopify domain ("blue-fox" -> "Blue Fox")."""
    return domain.removesuffix(".myshopify.com").replace("-", " ").title()


def settings_of(shop: Shop) -> ShopSettings:
    """The shop's settings, or unsaved ones holding the column defaults.

    Installation always creates settings; the fallback only guards an incomplete row.
    """
    return shop.settings or default_settings()


def default_settings() -> ShopSettings:
    """Unsaved settings holding the model's column defaults."""
    values = {}
    for column in ShopSettings.__table__.columns:
        default = column.default
        if default is not None and default.is_scalar:
            values[column.key] = default.arg
        elif default is not None and default.is_callable:
            values[column.key] = default.arg(None)
    return ShopSettings(**values)
