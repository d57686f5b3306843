"""Fixture files for the development store: `{"shop": "NAME.myshopify.com", "orders": [...]}`.

Each order uses the Admin GraphQL field names of `Order` listed in FIXTURE_ORDER_FIELDS (see
ARCHITECTURE.md, "Development store"). Loading checks every order against Shopify's schema
and keeps only those fields, so a note or a typo never reaches a response. A field Shopify
may leave empty can be omitted ("not in Shopify"); a field Shopify always fills cannot.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_enum_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    parse,
)

from lumen.devstore.installation import checked_sections
from lumen.devstore.policies import checked_policies
from lumen.devstore.timeline import parse_as_of
from lumen.schema import load_admin_schema
from lumen.shopify.domains import is_shop_domain

BUNDLED_FIXTURES = Path(__file__).with_name("fixtures") / "demo_orders.json"

FIXTURE_ORDER_FIELDS = """
fragment FixtureOrder on Order {
  id name email createdAt processedAt cancelledAt cancelReason
  displayFinancialStatus displayFulfillmentStatus statusPageUrl
  lineItems { nodes { title quantity variantTitle } }
  fulfillments {
    status displayStatus createdAt inTransitAt deliveredAt estimatedDeliveryAt
    trackingInfo { company number url }
    fulfillmentLineItems { nodes { quantity lineItem { title } } }
    events { nodes { status happenedAt message city country } }
  }
}
"""
_PYTHON_TYPES = {"Int": int, "Float": (int, float), "Boolean": bool}


class FixtureError(ValueError):
    """A fixture file that does not follow the development store's format."""


def load_fixtures(source: str | Path | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Read and check fixtures (a path, an already-loaded dict, or None for the bundled demo)."""
    if source is not None and not isinstance(source, str | Path):
        return checked_fixtures(source, "fixtures")
    path = Path(source) if source is not None else BUNDLED_FIXTURES
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FixtureError(f"{path}: cannot read the fixture file ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise FixtureError(f"{path}: not valid JSON ({error})") from error
    return checked_fixtures(data, str(path))


def checked_fixtures(data: Any, label: str) -> dict[str, Any]:
    """`{"shop", "orders"}` (orders reduced to fixture fields) plus any optional installation
    sections (lumen.devstore.installation) and policies (lumen.devstore.policies);
    FixtureError if bad."""
    if not isinstance(data, Mapping):
        raise FixtureError(f"{label}: expected a JSON object with 'shop' and 'orders'")
    if not is_shop_domain(data.get("shop")):
        raise FixtureError(f"{label}: 'shop' must be a domain like NAME.myshopify.com")
    if not isinstance(data.get("orders"), list):
        raise FixtureError(f"{label}: 'orders' must be a list of orders")
    orders, problems = [], []
    for index, order in enumerate(data["orders"]):
        cleaned, order_problems = check_order(order)
        problems += [f"{_order_label(order, index)}: {problem}" for problem in order_problems]
        orders.append(cleaned)
    problems += _duplicates(orders)
    if problems:
        raise FixtureError(f"{label}: invalid orders:\n  " + "\n  ".join(problems))
    sections, section_problems = checked_sections(data, label)
    policies, policy_problems = checked_policies(data, label)
    section_problems += policy_problems
    if "policies" in data:
        sections["policies"] = policies
    if section_problems:
        raise FixtureError("\n".join(section_problems))
    try:
        as_of = {"as_of": data["as_of"]} if parse_as_of(data.get("as_of")) else {}
    except ValueError as error:
        raise FixtureError(f"{label}: 'as_of' must be an ISO 8601 moment ({error})") from None
    return {"shop": data["shop"], "orders": orders, **sections, **as_of}


def check_order(order: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """One order reduced to the fixture fields, and the problems found in it."""
    problems: list[str] = []
    order_type = load_admin_schema().get_type("Order")
    cleaned = _clean_object(order, order_type, _fixture_selection(), "", problems)
    return cleaned, problems


@cache
def _fixture_selection() -> SelectionSetNode:
    return parse(FIXTURE_ORDER_FIELDS).definitions[0].selection_set


def _clean_object(value: Any, object_type: GraphQLObjectType, selection: SelectionSetNode,
                  path: str, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        problems.append(_at(path, f"expected an object, got {_json_type(value)}"))
        return None
    cleaned = {}
    for field in selection.selections:
        assert isinstance(field, FieldNode)  # the fixture fragment has no fragments
        name, field_type = field.name.value, object_type.fields[field.name.value].type
        field_path = f"{path}.{name}" if path else name
        if name in value:
            cleaned[name] = _clean_value(value[name], field_type, field.selection_set,
                                         field_path, problems)
        elif _always_in_shopify(field_type):
            problems.append(f"{field_path}: missing (Shopify always has one: {field_type})")
    return cleaned


def _clean_value(value: Any, field_type: GraphQLType, selection: SelectionSetNode | None,
                 path: str, problems: list[str]) -> Any:
    if value is None:
        if is_non_null_type(field_type):
            problems.append(_at(path, f"must not be null ({field_type})"))
        return None
    field_type = get_nullable_type(field_type)
    if is_list_type(field_type):
        if not isinstance(value, list):
            problems.append(_at(path, f"expected a list, got {_json_type(value)}"))
            return None
        return [_clean_value(item, field_type.of_type, selection, f"{path}[{index}]", problems)
                for index, item in enumerate(value)]
    if is_object_type(field_type):
        return _clean_object(value, field_type, selection, path, problems)
    problem = _leaf_problem(value, field_type)
    if problem:
        problems.append(_at(path, problem))
    return value


def _leaf_problem(value: Any, leaf_type: Any) -> str | None:
    if is_enum_type(leaf_type):
        known = isinstance(value, str) and value in leaf_type.values
        return None if known else _enum_problem(value, leaf_type)
    expected = _PYTHON_TYPES.get(leaf_type.name, str)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        return f"expected {leaf_type.name}, got {_json_type(value)}"
    if leaf_type.name == "DateTime" and not _is_datetime(value):
        return f"{value!r} is not an ISO 8601 date-time like 2026-02-24T15:04:05Z"
    if leaf_type.name == "URL" and urlparse(value).scheme not in ("http", "https"):
        return f"{value!r} is not an http(s) URL"
    return None


def _enum_problem(value: Any, enum_type: GraphQLEnumType) -> str:
    return f"{value!r} is not a {enum_type.name} value ({', '.join(enum_type.values)})"


def _is_datetime(value: str) -> bool:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _always_in_shopify(field_type: GraphQLType) -> bool:
    # Empty lists and connections are a valid "none"; a non-null scalar or object is not.
    if not is_non_null_type(field_type):
        return False
    nullable = get_nullable_type(field_type)
    return not is_list_type(nullable) and not get_named_type(nullable).name.endswith(
        "Connection")


def _duplicates(orders: list[dict[str, Any] | None]) -> list[str]:
    problems = []
    for key in ("id", "name"):
        seen: set[str] = set()
        for order in orders:
            value = (order or {}).get(key)
            if isinstance(value, str) and value in seen:
                problems.append(f"two orders share the {key} {value!r}")
            seen.add(value)
    return problems


def _order_label(order: Any, index: int) -> str:
    name = order.get("name") if isinstance(order, Mapping) else None
    return f"order {name} (orders[{index}])" if isinstance(name, str) else f"orders[{index}]"


def _at(path: str, problem: str) -> str:
    return f"{path}: {problem}" if path else problem


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
