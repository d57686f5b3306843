"""The webhook action: record each delivery once, and hand it to its topic's handler.

The view calls :func:`receive` and commits; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from lumen.extensions import db
from lumen.models import WebhookDelivery
from lumen.webhooks.hmac_auth import Webhook


def receive(webhook: Webhook, handler: Callable[[Webhook], None]) -> bool:
    """Record the delivery and run its handler; False when its id was already recorded.

    The unique webhook id decides when the row is flushed, so two concurrent deliveries
    cannot both win. The handler (which enqueues the topic's job) runs in the same
    transaction: if it fails, the view's error handler rolls the record back and Shopify's
    retry counts. (No savepoint: SQLite's driver would commit the row when releasing it.)
    """
    db.session.add(WebhookDelivery(webhook_id=webhook.webhook_id, topic=webhook.topic,
                                   shop_domain=webhook.shop_domain,
                                   received_at=webhook.received_at))
    try:
        db.session.flush()
    except IntegrityError:
        # Nothing else was written in this request: the whole transaction can go.
        db.session.rollback()
        return False
    handler(webhook)
    return True
