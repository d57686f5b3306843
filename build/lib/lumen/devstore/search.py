"""The part of Shopify's search syntax (`orders(query:)`) the development store understands.

Shopify tokenises text values: `#1042` is indexed as the token `1042`, so `name:1042`,
`name:#1042` and `name:"#1042"` all find order #1042, while `name:104` finds nothing (a
token must match whole; only an explicit `name:104*` matches by prefix). Because matching is
by tokens, not by the exact string, `name:1042` also finds `#1042-A`: callers that need one
exact order must compare names themselves. Terms are ANDed unless joined by OR; `-term` and
`NOT term` negate. Filters the store does not model (for example `financial_status:`) are
ignored, as Shopify ignores filters it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_TERM = re.compile(
    r"""(?P<negated>-)?(?:(?P<field>[A-Za-z_][\w.]*):)?(?P<value>"[^"]*"|'[^']*'|[^\s"']+)"""
)
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Term:
    """One `field:value` term of a search query (field is None for free text)."""

    field: str | None
    value: str
    negated: bool = False

    def matches(self, order: dict[str, Any]) -> bool:
        """Whether the order satisfies this term."""
        matcher = _MATCHERS.get(self.field or "")
        if matcher is None:
            return True  # a filter the store does not model is ignored, negated or not
        return matcher(order, self.value) != self.negated


def parse_query(query: str) -> list[list[Term]]:
    """Split a query into OR-groups of ANDed terms (AND binds tighter than OR)."""
    groups: list[list[Term]] = [[]]
    negate_next = False
    for match in _TERM.finditer(query):
        field, value = match["field"], _unquote(match["value"])
        if field is None and match["value"] in ("AND", "OR", "NOT"):
            if match["value"] == "OR":
                groups.append([])
            negate_next = match["value"] == "NOT"
            continue
        negated = bool(match["negated"]) != negate_next
        groups[-1].append(Term(field and field.lower(), value, negated))
        negate_next = False
    return [group for group in groups if group]


def search_orders(orders: Iterable[dict[str, Any]], query: str | None) -> list[dict[str, Any]]:
    """The orders a Shopify `orders(query:)` search would return, in their original order."""
    groups = parse_query(query or "")
    if not groups:
        return list(orders)
    return [order for order in orders
            if any(all(term.matches(order) for term in group) for group in groups)]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _tokens_match(text: str | None, value: str) -> bool:
    text_tokens = _TOKEN.findall((text or "").lower())
    wanted = _TOKEN.findall(value.lower())
    if not wanted:
        return False
    prefix = value.endswith("*")
    for start in range(len(text_tokens) - len(wanted) + 1):
        window = text_tokens[start:start + len(wanted)]
        if window[:-1] == wanted[:-1] and _token_equal(window[-1], wanted[-1], prefix):
            return True
    return False


def _token_equal(token: str, wanted: str, prefix: bool) -> bool:
    return token.startswith(wanted) if prefix else token == wanted


def _matches_name(order: dict[str, Any], value: str) -> bool:
    return _tokens_match(order.get("name"), value)


def _matches_email(order: dict[str, Any], value: str) -> bool:
    email = (order.get("email") or "").lower()
    if value.endswith("*"):
        return email.startswith(value[:-1].lower())
    return email == value.lower()


def _matches_free_text(order: dict[str, Any], value: str) -> bool:
    return _matches_name(order, value) or _matches_email(order, value)


_MATCHERS: dict[str, Callable[[dict[str, Any], str], bool]] = {
    "name": _matches_name,
    "email": _matches_email,
    "": _matches_free_text,
}
