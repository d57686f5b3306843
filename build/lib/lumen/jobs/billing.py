"""Billing jobs: keep each shop's plan in step with its Shopify App Pricing subscription."""

from __future__ import annotations

from lumen import plans
from lumen.extensions import db
from lumen.models import Shop


def refresh_plan(shop_id: int) -> str | None:
    """Re-read the shop's subscription from Shopify and store its plan; None if not installed.

    Enqueued after install and by the app_subscriptions/update webhook.
    """
    shop = db.session.get(Shop, shop_id)
    if shop is None or not shop.is_installed:
        return None
    plan = plans.sync_plan(shop)
    db.session.commit()
    return plan.value
