"""Order facts: the part of a Shopify order a reply may use, with nothing guessed.

Built only by the verification gate from the Order JSON that the Admin client returns. A
field Shopify does not have stays None (or empty); nothing is inferred beyond what the
fields say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

PAYMENT_LABELS = {
    "PAID": "paid", "PENDING": "pending", "AUTHORIZED": "authorized", "PARTIALLY_PAID":
    "partially paid", "REFUNDED": "refunded", "PARTIALLY_REFUNDED": "partially refunded",
    "VOIDED": "voided", "EXPIRED": "expired",
}
_UNSHIPPED = {
    "UNFULFILLED": "confirmed", "PENDING_FULFILLMENT": "processing", "OPEN": "processing",
    "IN_PROGRESS": "processing", "SCHEDULED": "processing", "ON_HOLD": "on hold",
    "REQUEST_DECLINED": "processing",
}
# The fulfillment's display status (or, failing that, its latest event) names its state.
_PACKAGE_STATES = {
    "DELIVERED": "delivered", "OUT_FOR_DELIVERY": "out for delivery",
    "ATTEMPTED_DELIVERY": "delivery attempted", "NOT_DELIVERED": "not delivered",
    "FAILURE": "delivery failed", "DELAYED": "delayed", "IN_TRANSIT": "in transit",
    "CARRIER_PICKED_UP": "in transit", "READY_FOR_PICKUP": "ready for pickup",
    "PICKED_UP": "picked up",
}
_NEVER = datetime.min.replace(tzinfo=UTC)
MOVING = frozenset({"in transit", "out for delivery", "delivery attempted", "delayed"})
_CANCELLED_FULFILLMENT = frozenset({"CANCELLED", "CANCELED", "ERROR", "FAILURE"})


@dataclass(frozen=True)
class Item:
    """A line of the order (or of a package): what and how many."""

    title: str
    quantity: int | None
    variant: str | None = None


@dataclass(frozen=True)
class Tracking:
    """One tracking entry of a package; any part may be missing."""

    carrier: str | None
    number: str | None
    url: str | None


@dataclass(frozen=True)
class TrackingEvent:
    """The latest carrier event Shopify holds for a package."""

    status: str | None
    message: str | None
    happened_at: datetime | None
    city: str | None
    country: str | None


@dataclass(frozen=True)
class Package:
    """One fulfillment: the items in it, its tracking, dates and latest event."""

    items: tuple[Item, ...]
    tracking: tuple[Tracking, ...]
    state: str
    fulfilled_at: datetime | None
    in_transit_at: datetime | None
    delivered_at: datetime | None
    estimated_delivery: datetime | None
    latest_event: TrackingEvent | None

    @property
    def carrier(self) -> str | None:
        """The first carrier named by the package's tracking, if any."""
        return next((entry.carrier for entry in self.tracking if entry.carrier), None)

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        """Every tracking number of the package."""
        return tuple(entry.number for entry in self.tracking if entry.number)

    @property
    def tracking_urls(self) -> tuple[str, ...]:
        """Every tracking URL of the package (not yet checked for a safe scheme)."""
        return tuple(entry.url for entry in self.tracking if entry.url)


@dataclass(frozen=True)
class OrderFacts:
    """Everything a reply may say about one verified order."""

    name: str
    status: str | None
    status_date: datetime | None
    payment_status: str | None
    items: tuple[Item, ...]
    packages: tuple[Package, ...]
    status_page_url: str | None
    created_at: datetime | None
    cancelled_at: datetime | None

    @property
    def unshipped_items(self) -> tuple[Item, ...]:
        """Order lines that no package covers (fully), matched by title."""
        shipped: dict[str, int | None] = {}
        for item in (item for package in self.packages for item in package.items):
            known = shipped.get(item.title, 0)
            both = known is not None and item.quantity is not None
            shipped[item.title] = known + item.quantity if both else None
        return tuple(_remaining(item, shipped) for item in self.items
                     if _remaining(item, shipped) is not None)


def _remaining(item: Item, shipped: dict[str, int | None]) -> Item | None:
    """What is left of an order line after its packages; quantities unknown count as covered."""
    if item.title not in shipped:
        return item
    sent = shipped[item.title]
    if sent is None or item.quantity is None or item.quantity <= sent:
        return None
    return Item(item.title, item.quantity - sent, item.variant)


def build_facts(order: dict[str, Any]) -> OrderFacts:
    """Turn the Admin API Order JSON into facts (called by the gate only)."""
    packages = tuple(_package(node) for node in _list(order.get("fulfillments"))
                     if _text(node.get("status")) not in _CANCELLED_FULFILLMENT
                     and _text(node.get("displayStatus")) not in _CANCELLED_FULFILLMENT)
    status, status_date = _order_status(order, packages)
    return OrderFacts(
        name=_text(order.get("name")) or "",
        status=status,
        status_date=status_date,
        payment_status=PAYMENT_LABELS.get(_text(order.get("displayFinancialStatus")) or ""),
        items=tuple(_items(_nodes(order.get("lineItems")))),
        packages=packages,
        status_page_url=_text(order.get("statusPageUrl")),
        created_at=parse_time(order.get("createdAt")),
        cancelled_at=parse_time(order.get("cancelledAt")),
    )


def _order_status(order: dict[str, Any],
                  packages: tuple[Package, ...]) -> tuple[str | None, datetime | None]:
    """The order's headline status and the date that goes with it."""
    cancelled_at = parse_time(order.get("cancelledAt"))
    if cancelled_at:
        return "cancelled", cancelled_at
    display = _text(order.get("displayFulfillmentStatus")) or ""
    if display in _UNSHIPPED:
        return _UNSHIPPED[display], parse_time(order.get("createdAt"))
    if display == "PARTIALLY_FULFILLED":
        return "partially fulfilled", _earliest(package.fulfilled_at for package in packages)
    if display == "FULFILLED" and packages:
        return _shipped_status(packages)
    if display == "FULFILLED":
        return "fulfilled", None
    return (display.replace("_", " ").lower() or None), None


def _shipped_status(packages: tuple[Package, ...]) -> tuple[str, datetime | None]:
    states = {package.state for package in packages}
    if states == {"delivered"}:
        return "delivered", _latest(package.delivered_at for package in packages)
    if states & MOVING:
        return "in transit", _latest(package.in_transit_at for package in packages)
    if any(package.tracking_numbers for package in packages):
        return "shipped", _earliest(package.fulfilled_at for package in packages)
    return "fulfilled", _earliest(package.fulfilled_at for package in packages)


def _package(node: dict[str, Any]) -> Package:
    tracking = tuple(Tracking(_text(entry.get("company")), _text(entry.get("number")),
                              _text(entry.get("url"))) for entry in _list(node.get("trackingInfo")))
    events = [_event(event) for event in _nodes(node.get("events"))]
    latest = max(events, key=lambda event: event.happened_at or _NEVER, default=None)
    delivered_at = parse_time(node.get("deliveredAt"))
    return Package(
        items=tuple(_package_items(_nodes(node.get("fulfillmentLineItems")))),
        tracking=tracking,
        state=_package_state(node, latest, delivered_at, tracking),
        fulfilled_at=parse_time(node.get("createdAt")),
        in_transit_at=parse_time(node.get("inTransitAt")),
        delivered_at=delivered_at,
        estimated_delivery=parse_time(node.get("estimatedDeliveryAt")),
        latest_event=latest,
    )


def _package_state(node: dict[str, Any], latest: TrackingEvent | None,
                   delivered_at: datetime | None, tracking: tuple[Tracking, ...]) -> str:
    if delivered_at:
        return "delivered"
    for status in (_text(node.get("displayStatus")), latest.status if latest else None):
        if status in _PACKAGE_STATES:
            return _PACKAGE_STATES[status]
    if node.get("inTransitAt"):
        return "in transit"
    return "shipped" if any(entry.number for entry in tracking) else "fulfilled"


def _event(node: dict[str, Any]) -> TrackingEvent:
    return TrackingEvent(_text(node.get("status")), _text(node.get("message")),
                         parse_time(node.get("happenedAt")), _text(node.get("city")),
                         _text(node.get("country")))


def _items(nodes: list[dict[str, Any]]):
    for node in nodes:
        title = _text(node.get("title"))
        if title:
            yield Item(title, _quantity(node.get("quantity")), _text(node.get("variantTitle")))


def _package_items(nodes: list[dict[str, Any]]):
    for node in nodes:
        line = node.get("lineItem") if isinstance(node.get("lineItem"), dict) else {}
        title = _text(line.get("title"))
        if title:
            yield Item(title, _quantity(node.get("quantity")))


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from Shopify's ISO 8601 text; None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    # Shopify always sends UTC; a value without an offset is read the same way.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _earliest(values) -> datetime | None:
    return min((value for value in values if value), default=None)


def _latest(values) -> datetime | None:
    return max((value for value in values if value), default=None)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _quantity(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _list(value: Any) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _nodes(connection: Any) -> list[dict[str, Any]]:
    return _list(connection.get("nodes")) if isinstance(connection, dict) else []
