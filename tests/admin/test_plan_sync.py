"""The plan follows the shop's Shopify App Pricing subscription: on install and on request."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.jobs.billing import refresh_plan
from lumen.models import Plan, Shop
from lumen.privacy import forget_installation
from tests.embedded_app import SHOP


def subscriptions(devstore) -> list:
    """The development store's live list of active subscriptions (tests change it)."""
    return devstore.extensions["devstore"].root["currentAppInstallation"]["activeSubscriptions"]


PRO = {"app_installation": {"activeSubscriptions": [{"name": "Pro", "status": "ACTIVE"}]}}


@pytest.mark.parametrize("store_fixtures", [PRO], indirect=True)
def test_install_reads_the_plan_from_app_pricing(admin):
    home = admin("/admin/").text
    assert db.session.scalar(select(Shop.plan).where(Shop.domain == SHOP)) is Plan.PRO
    assert ">Pro</span> plan" in home and "of 2000 conversations" in home


def test_refresh_plan_follows_a_subscription_change(admin, devstore):
    admin("/admin/")
    shop = db.session.scalar(select(Shop).where(Shop.domain == SHOP))
    assert shop.plan is Plan.FREE
    subscriptions(devstore).append({"name": "Pro+", "status": "ACTIVE"})
    assert refresh_plan(shop.id) == "pro_plus"
    db.session.refresh(shop)
    assert shop.plan is Plan.PRO_PLUS
    subscriptions(devstore).clear()
    assert refresh_plan(shop.id) == "free"
    db.session.refresh(shop)
    assert shop.plan is Plan.FREE


def test_refresh_plan_skips_an_uninstalled_or_unknown_shop(admin, issuer):
    admin("/admin/")
    shop = db.session.scalar(select(Shop).where(Shop.domain == SHOP))
    forget_installation(shop)
    db.session.commit()
    assert refresh_plan(shop.id) is None
    assert refresh_plan(shop.id + 100) is None
