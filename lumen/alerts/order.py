"""The verified order of a ticket, read from Shopify at send time by its GID.

The checkout email found here becomes the alert's Reply-To. It lives in this object, in the
job's memory, and in the sent message: never in the database, a log line, job arguments or a
job result. ``OrderContext`` leaves it out of its repr so a traceback cannot print it either.

The facts are built for the merchant's team, never for a reply: the ticket names an order the
conversation's own verification gate proved, and only that order (matched by name among the
conversation's verified GIDs) is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from lumen.auth import admin_client_for
from lumen.conversation.facts import OrderFacts, build_facts
from lumen.mail import is_address
from lumen.models import Conversation, Shop, Ticket
from lumen.shopify import ORDER_LOOKUP, ShopifyError

logger = logging.getLogger(__name__)

# A conversation verifies one order, rarely a few; never read more than this many.
MAX_LOOKUPS = 5


@dataclass(frozen=True)
class OrderContext:
    """What the alert says about the ticket's order, or why it cannot say it."""

    facts: OrderFacts | None = None
    reply_to: str | None = field(default=None, repr=False)
    unavailable: str | None = None


def order_context(shop: Shop, ticket: Ticket, conversation: Conversation) -> OrderContext | None:
    """The ticket's verified order from Shopify; None when the ticket has no verified order."""
    if not ticket.order_name or not conversation.order_ids:
        return None
    try:
        with admin_client_for(shop) as client:
            for order_id in conversation.order_ids[:MAX_LOOKUPS]:
                order = client.execute(ORDER_LOOKUP, {"id": order_id}).get("order")
                if order and str(order.get("name", "")).casefold() == ticket.order_name.casefold():
                    return OrderContext(facts=build_facts(order),
                                        reply_to=_address(order.get("email")))
    except ShopifyError as error:
        # The error names the shop and the HTTP status, never the order's contents.
        logger.warning("alert for ticket %s: Shopify unavailable (%s)", ticket.id, error)
        return OrderContext(unavailable="Shopify did not answer when this alert was sent")
    return OrderContext(unavailable=f"order {ticket.order_name} is no longer in Shopify")


def _address(value: object) -> str | None:
    # Only a plain address may become a header: no names, lists or line breaks from anywhere.
    return value.strip() if isinstance(value, str) and is_address(value.strip()) else None
