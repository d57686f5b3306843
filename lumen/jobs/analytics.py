"""Scheduled analytics rollup: each shop's closed days and today's closed hours stored once
(lumen.analytics.rollup)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from lumen import retention
from lumen.analytics import rollup
from lumen.extensions import db
from lumen.models import Shop, utcnow
from lumen.queue import enqueue
from lumen.shops import cached_zone


def roll_up_shop(shop_id: int) -> int:
    """Store the shop's closed days within its retention period and today's closed hours;
    safe to re-run."""
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        return 0
    days = retention.retention_days(shop, current_app.config["LUMEN_RETENTION_DAYS"])
    today = utcnow().astimezone(cached_zone(shop)).date()
    stored = rollup.roll_up(shop, today - timedelta(days=days))
    db.session.commit()
    return stored


def roll_up_all_shops() -> int:
    """Enqueue a rollup per shop (the hourly schedule calls this); return how many."""
    shop_ids = retention.all_shop_ids()
    for shop_id in shop_ids:
        enqueue(roll_up_shop, shop_id, timeout=600)
    return len(shop_ids)
