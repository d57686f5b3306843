"""The one webhook endpoint: ``POST /webhooks/<topic>`` (the uri of each subscription)."""

from __future__ import annotations

import logging

from flask import g, jsonify

from lumen.errors import ApiError
from lumen.extensions import db
from lumen.webhooks import bp, deliveries
from lumen.webhooks.handlers import HANDLERS

logger = logging.getLogger(__name__)


@bp.post("/<path:topic>")
def receive(topic: str):
    """Enqueue the topic's job once per webhook id and answer 200 straight away."""
    webhook = g.webhook
    if webhook.topic != topic:
        raise ApiError(400, "topic_mismatch", "X-Shopify-Topic does not match the URL.")
    handler = HANDLERS.get(topic)
    if handler is None:
        # Shopify retries anything but 2xx; a topic we never subscribed to is simply dropped.
        logger.warning("ignored webhook topic %s from %s", topic, webhook.shop_domain)
        return jsonify(status="ignored")
    accepted = deliveries.receive(webhook, handler)
    db.session.commit()
    return jsonify(status="accepted" if accepted else "duplicate")
