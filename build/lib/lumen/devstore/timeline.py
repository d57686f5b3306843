"""Moving a fixture's story to today, so the demo's parcels are in transit now, not last winter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

# The DateTime fields of the fixture format (ARCHITECTURE.md, "Development store").
DATE_FIELDS = frozenset({"createdAt", "processedAt", "cancelledAt", "inTransitAt", "deliveredAt",
                         "estimatedDeliveryAt", "happenedAt"})


def parse_as_of(value: Any) -> datetime | None:
    """The fixture's optional ``as_of`` moment (ISO 8601, with a zone); ValueError if malformed."""
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("'as_of' needs a time zone, e.g. 2026-02-26T12:00:00Z")
    return moment


def shift_to(fixtures: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A copy of ``fixtures`` with every date moved by ``now - as_of``; unchanged without as_of."""
    as_of = parse_as_of(fixtures.get("as_of"))
    if as_of is None:
        return fixtures
    return {**_shifted(fixtures, now - as_of), "as_of": _format(now)}


def _shifted(value: Any, delta: timedelta) -> Any:
    if isinstance(value, dict):
        return {key: _format(parse_as_of(item) + delta)
                if key in DATE_FIELDS and isinstance(item, str) else _shifted(item, delta)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_shifted(item, delta) for item in value]
    return value


def _format(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
