"""The shop row: found by its domain, its settings (one fallback for a missing row), its zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lumen.extensions import db
from lumen.models import Shop, ShopSettings


def shop_for_domain(domain: str, *, with_settings: bool = False) -> Shop | None:
    """The shop row for a myshopify domain, if Lumen has one (settings in the same query)."""
    query = select(Shop).where(Shop.domain == domain)
    if with_settings:
        query = query.options(joinedload(Shop.settings))
    return db.session.scalar(query)


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
