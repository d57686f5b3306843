"""De-duplication: a unique webhook id per delivery, claimed before the work is enqueued."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from lumen.extensions import db
from lumen.models import WebhookDelivery
from lumen.webhooks.hmac_auth import Webhook


def claim_delivery(webhook: Webhook) -> bool:
    """Record the delivery; False when its id was already recorded (a duplicate)."""
    db.session.add(WebhookDelivery(webhook_id=webhook.webhook_id, topic=webhook.topic,
                                   shop_domain=webhook.shop_domain,
                                   received_at=webhook.received_at))
    try:
        # The unique constraint decides, so two concurrent deliveries cannot both win.
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def release_delivery(webhook: Webhook) -> None:
    """Forget a claimed delivery whose work could not be enqueued, so Shopify's retry counts."""
    db.session.rollback()
    db.session.execute(delete(WebhookDelivery).where(
        WebhookDelivery.webhook_id == webhook.webhook_id))
    db.session.commit()
