"""The shop row: found by its domain, its settings (one fallback for a missing row), its zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lumen.extensions import db
from lumen.models import Shop, ShopSettings

# Built once: a statement object keeps its cache key, which SQLAlchemy would otherwise
# compute again on every widget request (a tenth of the shop lookup's CPU).
_SHOP_BY_DOMAIN = select(Shop).where(Shop.domain == bindparam("domain"))
_SHOP_WITH_SETTINGS_BY_DOMAIN = _SHOP_BY_DOMAIN.options(joinedload(Shop.settings))


def shop_for_domain(domain: str, *, with_settings: bool = False) -> Shop | None:
    """The shop row for a myshopify domain, if Lumen has one (settings in the same query)."""
    query = _SHOP_WITH_SETTINGS_BY_DOMAIN if with_settings else _SHOP_BY_DOMAIN
    return db.session.scalar(query, {"domain": domain})


def settings_of(shop: Shop) -> ShopSettings:
    """The shop's settings, or unsaved ones holding the column defaults.

    Installation always creates settings; the fallback only guards an incomplete row.
    """
    return shop.settings or default_settings()


def default_settings() -> ShopSettings:
    """Unsaved settings holding the model's column defaults and the configured retention."""
    values = {"retention_days": current_app.config["LUMEN_RETENTION_DAYS"]}
    for column in ShopSettings.__table__.columns:
        default = column.default
        if column.key in values:
            continue
        if default is not None and default.is_scalar:
            values[column.key] = default.arg
        elif default is not None and default.is_callable:
            values[column.key] = default.arg(None)
    return ShopSettings(**values)


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA zone ``name`` (Shopify's ``ianaTimezone``); UTC when missing or unknown here."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def cached_zone(shop: Shop | None) -> ZoneInfo:
    """The shop's zone as last read from Shopify (history.timezone refreshes it); UTC before."""
    return zone_named(shop.iana_timezone if shop is not None else None)
