"""Scheduled deletion of conversations past their shop's retention period."""

from __future__ import annotations

from flask import current_app

from lumen import retention
from lumen.extensions import db
from lumen.history.exports import purge_expired_exports
from lumen.models import Shop
from lumen.queue import enqueue


def purge_shop(shop_id: int) -> int:
    """Delete one shop's expired conversations; a missing shop has nothing left to delete."""
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        return 0
    default_days = current_app.config["LUMEN_RETENTION_DAYS"]
    deleted = retention.purge_expired_conversations(shop, default_days)
    # An export never outlives the rows in it.
    purge_expired_exports(shop, retention.retention_cutoff(shop, default_days))
    db.session.commit()
    return deleted


def sweep_all_shops() -> int:
    """Enqueue a purge per shop (the daily schedule calls this); return how many."""
    shop_ids = retention.all_shop_ids()
    for shop_id in shop_ids:
        enqueue(purge_shop, shop_id, timeout=300)
    return len(shop_ids)
