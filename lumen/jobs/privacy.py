"""Jobs for Shopify's lifecycle and privacy webhooks; each takes plain values and can re-run."""

from __future__ import annotations

from datetime import datetime

from lumen import privacy
from lumen.extensions import db
from lumen.shops import shop_for_domain


def uninstall_shop(shop_domain: str, uninstalled_at: str) -> bool:
    """app/uninstalled: drop tokens and configuration unless the shop reinstalled since."""
    shop = shop_for_domain(shop_domain)
    when = datetime.fromisoformat(uninstalled_at)
    # A late or retried job must not wipe the token of an installation newer than the webhook.
    if shop is None or shop.installed_at > when:
        return False
    privacy.forget_installation(shop, when)
    db.session.commit()
    return True


def redact_shop(shop_domain: str) -> None:
    """shop/redact: delete everything Lumen holds about the store."""
    privacy.delete_shop_data(shop_domain)
    db.session.commit()


def redact_customer(shop_domain: str, customer_hash: str | None, order_ids: list[str]) -> int:
    """customers/redact: delete the customer's conversations; return how many."""
    shop = shop_for_domain(shop_domain)
    if shop is None:
        return 0
    deleted = privacy.delete_customer_data(shop, customer_hash, order_ids)
    db.session.commit()
    return deleted


def export_customer_data(shop_domain: str, shopify_request_id: str, customer_hash: str | None,
                         order_ids: list[str]) -> int | None:
    """customers/data_request: gather the transcripts for the merchant; return the request id."""
    shop = shop_for_domain(shop_domain)
    if shop is None:
        return None
    request = privacy.record_data_request(shop, shopify_request_id, customer_hash, order_ids)
    db.session.commit()
    return request.id


def expire_privacy_records() -> tuple[int, int]:
    """Daily: delete expired data requests and webhook ids past the de-duplication window."""
    counts = privacy.delete_expired_records()
    db.session.commit()
    return counts
