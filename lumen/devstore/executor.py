"""Answering one Admin GraphQL request: validate, price, throttle, execute, refund."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
)
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast

from lumen.devstore import responses
from lumen.devstore.cost import MAX_QUERY_COST, QueryCost
from lumen.devstore.resolvers import resolve_field
from lumen.devstore.store import DevStore
from lumen.schema import load_admin_schema, parse_and_validate

_Prepared = tuple[OperationDefinitionNode, Any]  # the operation and its coerced variables


def answer(store: DevStore, query: str, variables: Any = None,
           operation_name: str | None = None) -> dict[str, Any]:
    """The JSON body Shopify would send for this request (always with HTTP 200)."""
    document, errors = parse_and_validate(query)
    if errors or document is None:
        return responses.graphql_errors(errors)
    prepared = _prepare(document, variables, operation_name)
    if isinstance(prepared, list):
        return responses.graphql_errors(prepared)
    cost = QueryCost(load_admin_schema(), document, *prepared)
    requested = cost.requested()
    if requested > MAX_QUERY_COST:
        return responses.max_cost_exceeded(requested)
    if not store.bucket.take(requested):
        return responses.throttled(requested, store.bucket.status())
    result = execute(load_admin_schema(), document, root_value=store.root,
                     variable_values=variables, operation_name=operation_name,
                     field_resolver=resolve_field)
    actual = cost.actual(result.data)
    store.bucket.refund(requested - actual)
    return responses.query_result(
        result, responses.cost_extension(requested, actual, store.bucket.status()))


def _prepare(document: DocumentNode, variables: Any,
             operation_name: str | None) -> _Prepared | list[GraphQLError]:
    """The operation to run and its coerced variables, or the errors that stop it."""
    if variables is not None and not isinstance(variables, dict):
        return [GraphQLError("Variables must be a JSON object")]
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        message = (f"Unknown operation named '{operation_name}'." if operation_name
                   else "An operation name is required when a document has several operations.")
        return [GraphQLError(message)]
    if operation.operation is not OperationType.QUERY:
        return [GraphQLError("The development store answers queries only; it does not run "
                             f"{operation.operation.value}s.", operation)]
    coerced = get_variable_values(load_admin_schema(), operation.variable_definitions or (),
                                  variables or {})
    return coerced if isinstance(coerced, list) else (operation, coerced)
