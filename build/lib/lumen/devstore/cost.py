"""Shopify's calculated query cost: requested (before running a query) and actual (after).

Shopify's documented defaults (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits,
"Cost calculation"): scalars and enums cost 0, objects 1, interfaces and unions the maximum
of their possible selections, and a connection 2 plus its page size (`first` or `last`)
times the cost of one node. A plain list with a `first` argument (Order.fulfillments,
Fulfillment.trackingInfo) is sized the same way, without the 2: the docs only describe
connections, and sizing lists errs towards refusing what Shopify might accept rather than
accepting what it would refuse. The actual cost counts what came back instead: returned
nodes rather than page sizes, nothing for null objects.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    GraphQLType,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    is_object_type,
)
from graphql.execution.values import get_argument_values, get_directive_values

MAX_QUERY_COST = 1000  # Shopify's single-query limit, on every plan
CONNECTION_COST = 2


class QueryCost:
    """Requested and actual cost of one operation of a validated document."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode,
                 operation: OperationDefinitionNode, variables: Any):
        self._schema = schema
        self._fragments = {definition.name.value: definition
                           for definition in document.definitions
                           if isinstance(definition, FragmentDefinitionNode)}
        self._root = schema.get_root_type(operation.operation)
        self._selection_set = operation.selection_set
        self._variables = variables

    def requested(self) -> int:
        """The cost reserved from the bucket before the query runs."""
        return self._selection_requested(self._root, self._selection_set)

    def actual(self, data: dict[str, Any] | None) -> int:
        """The cost of what the query returned in `data`."""
        return self._selection_actual(self._root, self._selection_set, data)

    def _selection_requested(self, parent: GraphQLNamedType, selection: SelectionSetNode) -> int:
        groups = self._grouped_fields(parent, selection)
        base = sum(self._field_requested(parent, field) for field in groups.pop(None, []))
        narrowed = [sum(self._field_requested(self._schema.get_type(name), field)
                        for field in fields) for name, fields in groups.items()]
        return base + max(narrowed, default=0)

    def _field_requested(self, owner: Any, node: FieldNode) -> int:
        if node.name.value.startswith("__"):
            return 0
        field = owner.fields[node.name.value]
        named = get_named_type(field.type)
        if is_leaf_type(named):
            return 0
        if _is_connection(named):
            return CONNECTION_COST + self._size(field, node) * self._node_requested(named, node)
        one = 1 + self._selection_requested(named, node.selection_set)
        return one * self._size(field, node) if _is_list(field.type) else one

    def _node_requested(self, connection: GraphQLObjectType, node: FieldNode) -> int:
        node_type = _node_type(connection)
        costs = [0]
        for _, field in self._fields(connection, node.selection_set):
            if field.name.value == "nodes":
                costs.append(1 + self._selection_requested(node_type, field.selection_set))
            elif field.name.value == "edges":
                costs.extend(1 + self._selection_requested(node_type, inner.selection_set)
                             for inner in self._edge_nodes(connection, field))
                costs.append(1)
        return max(costs)

    def _selection_actual(self, parent: GraphQLNamedType, selection: SelectionSetNode,
                          data: dict[str, Any] | None) -> int:
        if data is None:
            return 0
        groups = self._grouped_fields(parent, selection)
        base = sum(self._field_actual(parent, field, data) for field in groups.pop(None, []))
        narrowed = [sum(self._field_actual(self._schema.get_type(name), field, data)
                        for field in fields) for name, fields in groups.items()]
        return base + max(narrowed, default=0)

    def _field_actual(self, owner: Any, node: FieldNode, data: dict[str, Any]) -> int:
        value = data.get(_response_key(node))
        if value is None or node.name.value.startswith("__"):
            return 0
        named = get_named_type(owner.fields[node.name.value].type)
        if is_leaf_type(named):
            return 0
        if _is_connection(named):
            return CONNECTION_COST + self._nodes_actual(named, node, value)
        return self._object_actual(named, node.selection_set, value)

    def _object_actual(self, named: GraphQLNamedType, selection: SelectionSetNode,
                       value: Any) -> int:
        if isinstance(value, list):
            return sum(self._object_actual(named, selection, item) for item in value)
        return 0 if value is None else 1 + self._selection_actual(named, selection, value)

    def _nodes_actual(self, connection: GraphQLObjectType, node: FieldNode,
                      value: dict[str, Any]) -> int:
        # `nodes` and `edges { node }` list the same objects: count each object once.
        per_node: dict[int, int] = defaultdict(int)
        for _, field in self._fields(connection, node.selection_set):
            items = value.get(_response_key(field)) or []
            if field.name.value == "nodes":
                costs = [self._object_actual(_node_type(connection), field.selection_set, item)
                         for item in items]
            elif field.name.value == "edges":
                costs = [self._edge_actual(connection, field, edge) for edge in items]
            else:
                continue
            for index, cost in enumerate(costs):
                per_node[index] = max(per_node[index], cost)
        return sum(per_node.values())

    def _edge_actual(self, connection: GraphQLObjectType, edges: FieldNode,
                     edge: dict[str, Any] | None) -> int:
        if edge is None:
            return 0
        costs = [self._object_actual(_node_type(connection), inner.selection_set,
                                     edge.get(_response_key(inner)))
                 for inner in self._edge_nodes(connection, edges)]
        return max([1, *costs])

    def _edge_nodes(self, connection: GraphQLObjectType, edges: FieldNode) -> list[FieldNode]:
        edge_type = get_named_type(connection.fields["edges"].type)
        return [field for _, field in self._fields(edge_type, edges.selection_set)
                if field.name.value == "node"]

    def _grouped_fields(self, parent: GraphQLNamedType,
                        selection: SelectionSetNode) -> dict[str | None, list[FieldNode]]:
        groups: dict[str | None, list[FieldNode]] = defaultdict(list)
        for condition, field in self._fields(parent, selection):
            groups[condition].append(field)
        return groups

    def _fields(self, parent: GraphQLNamedType,
                selection: SelectionSetNode) -> list[tuple[str | None, FieldNode]]:
        """Fields with fragments expanded, each tagged with the type it narrows to (if any)."""
        found: list[tuple[str | None, FieldNode]] = []
        for item in selection.selections:
            if not self._included(item):
                continue
            if isinstance(item, FieldNode):
                found.append((None, item))
                continue
            fragment = self._fragments[item.name.value] if isinstance(
                item, FragmentSpreadNode) else item
            condition = fragment.type_condition and fragment.type_condition.name.value
            narrowing = None if condition in (None, parent.name) else condition
            found.extend((inner or narrowing, field)
                         for inner, field in self._fields(parent, fragment.selection_set))
        return found

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self._variables)
        include = get_directive_values(GraphQLIncludeDirective, node, self._variables)
        return not (skip and skip["if"]) and (not include or include["if"])

    def _size(self, field: GraphQLField, node: FieldNode) -> int:
        arguments = get_argument_values(field, node, self._variables)
        sizes = [arguments.get(name) for name in ("first", "last")]
        return max([size for size in sizes if size is not None] or [1])


def _is_connection(named: GraphQLNamedType) -> bool:
    return is_object_type(named) and {"edges", "pageInfo"} <= named.fields.keys()


def _is_list(field_type: GraphQLType) -> bool:
    return is_list_type(get_nullable_type(field_type))


def _node_type(connection: GraphQLObjectType) -> GraphQLNamedType:
    edge_type = get_named_type(connection.fields["edges"].type)
    return get_named_type(edge_type.fields["node"].type)


def _response_key(node: FieldNode) -> str:
    return (node.alias or node.name).value
