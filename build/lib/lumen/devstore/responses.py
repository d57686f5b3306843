"""Response bodies shaped the way Shopify's Admin API shapes them.

Shopify answers GraphQL-level failures (invalid documents, THROTTLED, MAX_COST_EXCEEDED) with
HTTP 200 and an `errors` list; only transport-level failures use other statuses.
"""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult, GraphQLError

from lumen.devstore.cost import MAX_QUERY_COST

RATE_LIMITS_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits"
LIMITS_DOCUMENTATION = "https://shopify.dev/api/usage/limits#rate-limits"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
_MAX_COST_MESSAGE = (
    "Query cost is {cost}, which exceeds the single query max cost limit ({limit}).\n\n"
    "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"
    "cost of a query is calculated.\n\n"
    "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"
    "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n"
)
# An edge proxy answers 502 with an HTML page, not JSON; clients must cope with both.
_BAD_GATEWAY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body>" \
                    "<h1>502 Bad Gateway</h1></body></html>"


def graphql_errors(errors: list[GraphQLError]) -> dict[str, Any]:
    """A body listing GraphQL errors (message, locations, path, extensions.code)."""
    return {"errors": [error.formatted for error in errors]}


def query_result(result: ExecutionResult, cost: dict[str, Any]) -> dict[str, Any]:
    """The body of an executed query: data, any field errors, and the cost extension."""
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    body["extensions"] = {"cost": cost}
    return body


def cost_extension(requested: int, actual: int | None,
                   throttle_status: dict[str, Any]) -> dict[str, Any]:
    """`extensions.cost` as Shopify reports it."""
    return {"requestedQueryCost": requested, "actualQueryCost": actual,
            "throttleStatus": throttle_status}


def throttled(requested: int, throttle_status: dict[str, Any]) -> dict[str, Any]:
    """The body Shopify sends when the bucket holds fewer points than the query requests."""
    error = {"message": "Throttled",
             "extensions": {"code": "THROTTLED", "documentation": RATE_LIMITS_DOCUMENTATION}}
    return {"errors": [error],
            "extensions": {"cost": cost_extension(requested, None, throttle_status)}}


def max_cost_exceeded(requested: int) -> dict[str, Any]:
    """The body Shopify sends when one query costs more than any bucket may spend at once."""
    error = {"message": _MAX_COST_MESSAGE.format(cost=requested, limit=MAX_QUERY_COST),
             "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested,
                            "maxCost": MAX_QUERY_COST, "documentation": LIMITS_DOCUMENTATION}}
    return {"errors": [error]}


def upstream_failure(status: int) -> tuple[str | dict[str, str], int, dict[str, str]]:
    """An injected 502 or 503, as Shopify's edge or API would send it."""
    if status == 502:
        return _BAD_GATEWAY_PAGE, 502, {"Content-Type": "text/html; charset=utf-8"}
    return {"errors": "Service Unavailable"}, 503, {"Retry-After": "1"}
