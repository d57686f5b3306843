"""Resolvers that serve fixture orders through Shopify's real schema.

One generic resolver reads fields from the fixture dicts by their GraphQL names, so a field
a fixture lacks is null, an empty list or an empty connection ("not in Shopify"), and a
field Shopify always fills but the store does not model fails the way a null would.
Connections and `first`-sized lists are paged here the way Shopify pages them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLType,
    get_nullable_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)

from lumen.devstore.installation import DEFAULT_TIMEZONE
from lumen.devstore.installation import root_fields as installation_fields
from lumen.devstore.search import search_orders
from lumen.shopify.domains import store_name

# Sort keys the store can honour from fixture fields; others keep the fixture's own order,
# which is id order, Shopify's default.
SORT_FIELDS = {"CREATED_AT": "createdAt", "PROCESSED_AT": "processedAt",
               "HAPPENED_AT": "happenedAt"}


def root_value(fixtures: Mapping[str, Any]) -> dict[str, Any]:
    """The QueryRoot fields the store answers: orders(query:), order(id:) and shop."""
    orders = list(fixtures["orders"])
    by_id = {order["id"]: order for order in orders}
    return {
        "orders": lambda query=None, **_: search_orders(orders, query),
        "order": lambda id, **_: by_id.get(id),
        "shop": {**shop_object(fixtures["shop"], fixtures.get("iana_timezone", DEFAULT_TIMEZONE)),
                 "shopPolicies": list(fixtures.get("policies") or [])},
        **installation_fields(fixtures),
    }


def shop_object(domain: str, timezone: str = DEFAULT_TIMEZONE) -> dict[str, str]:
    """The Shop fields the store knows: derived from the myshopify domain, and its time zone."""
    return {"name": store_name(domain), "myshopifyDomain": domain,
            "url": f"https://{domain}", "ianaTimezone": timezone}


def resolve_field(source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
    """Read a field from a fixture dict (or call a root callable) and page it if needed."""
    value = source.get(info.field_name) if isinstance(source, Mapping) else None
    if callable(value):
        value = value(**arguments)
    return _shaped(value, info.return_type, arguments)


def _shaped(value: Any, return_type: GraphQLType, arguments: dict[str, Any]) -> Any:
    field_type = get_nullable_type(return_type)
    if _is_connection(field_type):
        nodes = value.get("nodes") if isinstance(value, Mapping) else value
        return build_connection(list(nodes or []), **arguments)
    if is_list_type(field_type):
        if value is None:
            return [] if is_non_null_type(return_type) else None
        first = arguments.get("first")
        return list(value) if first is None else list(value)[:first]
    return value


def build_connection(nodes: list[Any], *, first: int | None = None, last: int | None = None,
                     after: str | None = None, before: str | None = None,
                     reverse: bool = False, sortKey: str | None = None,
                     **_: Any) -> dict[str, Any]:
    """A Relay connection over `nodes` as Shopify pages it (first/last, after/before)."""
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    if (first or 0) < 0 or (last or 0) < 0:
        raise GraphQLError("first and last must not be negative")
    ordered = _ordered(nodes, sortKey, reverse)
    low, high = _cursor_bounds(ordered, after, before)
    if first is not None:
        high = min(high, low + first)
    if last is not None:
        low = max(low, high - last)
    page = ordered[low:high]
    edges = [{"cursor": _cursor(index), "node": node} for index, node in page]
    return {"nodes": [node for _, node in page], "edges": edges,
            "pageInfo": {"hasNextPage": high < len(ordered), "hasPreviousPage": low > 0,
                         "startCursor": edges[0]["cursor"] if edges else None,
                         "endCursor": edges[-1]["cursor"] if edges else None}}


def _ordered(nodes: list[Any], sort_key: str | None,
             reverse: bool) -> list[tuple[int, Any]]:
    indexed = list(enumerate(nodes))
    field = SORT_FIELDS.get(sort_key or "")
    if field:
        indexed.sort(key=lambda pair: _timestamp(pair[1].get(field)))
    return indexed[::-1] if reverse else indexed


def _timestamp(value: str | None) -> float:
    return datetime.fromisoformat(value).timestamp() if value else float("-inf")


def _cursor_bounds(ordered: list[tuple[int, Any]], after: str | None,
                   before: str | None) -> tuple[int, int]:
    positions = {index: position for position, (index, _) in enumerate(ordered)}
    low = positions.get(_decode(after), -1) + 1 if after else 0
    high = positions.get(_decode(before), len(ordered)) if before else len(ordered)
    return low, max(low, high)


def _cursor(index: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"last_id": index}).encode()).decode()


def _decode(cursor: str) -> int:
    try:
        return int(json.loads(base64.urlsafe_b64decode(cursor.encode()))["last_id"])
    except (binascii.Error, ValueError, KeyError, TypeError) as error:
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor}") from error


def _is_connection(field_type: GraphQLType) -> bool:
    return is_object_type(field_type) and {"edges", "pageInfo"} <= field_type.fields.keys()
