"""The shop's time zone, read from Shopify (`shop { ianaTimezone }`) and cached on the Shop row.

The admin shows times and reads date filters in it. When Shopify cannot be asked, the last
known zone (or UTC, said on the page) keeps the history usable.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from lumen.auth import admin_client_for
from lumen.models import Shop, utcnow
from lumen.shopify import ShopifyError
from lumen.shopify.queries import SHOP_TIMEZONE
from lumen.shops import cached_zone, zone_named

logger = logging.getLogger(__name__)

# A merchant rarely moves their store's zone; a day-old answer is fine, and so is a retry
# an hour after Shopify failed.
FRESH_FOR = timedelta(hours=24)
RETRY_AFTER_FAILURE = timedelta(hours=1)


def shop_zone(shop: Shop) -> ZoneInfo:
    """The shop's time zone, refreshed from Shopify when the cached one is stale (no commit)."""
    checked = shop.timezone_checked_at
    if checked is None or utcnow() - checked > FRESH_FOR:
        _refresh(shop)
    return cached_zone(shop)



def _refresh(shop: Shop) -> None:
    try:
        with admin_client_for(shop) as client:
            data = client.execute(SHOP_TIMEZONE)
    except ShopifyError as error:  # revoked access included: the history stays readable
        logger.warning("shop %s: time zone not read from Shopify (%s)", shop.id, error)
        shop.timezone_checked_at = utcnow() - FRESH_FOR + RETRY_AFTER_FAILURE
        return
    name = (data.get("shop") or {}).get("ianaTimezone")
    if name and zone_named(name).key == name:
        shop.iana_timezone = name
    shop.timezone_checked_at = utcnow()
