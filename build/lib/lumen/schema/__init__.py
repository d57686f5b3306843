"""Shopify's Admin GraphQL schema (2026-04 introspection, MIT-licensed by Shopify; see LICENSE).

Every document Lumen sends to Shopify must validate against it, and the development store
executes against it, so both sides agree on field names, arguments and enum values.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    build_client_schema,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import (
    FieldsOnCorrectTypeRule,
    KnownArgumentNamesRule,
    KnownTypeNamesRule,
    NoUndefinedVariablesRule,
    NoUnusedVariablesRule,
    ProvidedRequiredArgumentsRule,
    ScalarLeafsRule,
    ValuesOfCorrectTypeRule,
    VariablesInAllowedPositionRule,
)

SCHEMA_VERSION = "2026-04"
SCHEMA_FILE = Path(__file__).with_name(f"admin_{SCHEMA_VERSION}.json.gz")

# The codes graphql-ruby (Shopify's GraphQL server) puts in `extensions.code` for the most
# common validation failures; other rules get a code derived from the rule's name.
_RUBY_CODES = {
    FieldsOnCorrectTypeRule: "undefinedField",
    KnownArgumentNamesRule: "argumentNotAccepted",
    ProvidedRequiredArgumentsRule: "missingRequiredArguments",
    KnownTypeNamesRule: "undefinedType",
    NoUndefinedVariablesRule: "variableNotDefined",
    NoUnusedVariablesRule: "variableNotUsed",
    ScalarLeafsRule: "selectionMismatch",
    ValuesOfCorrectTypeRule: "argumentLiteralsIncompatible",
    VariablesInAllowedPositionRule: "variableMismatch",
}
_UNDEFINED_FIELD = re.compile(r"Cannot query field '(?P<field>\w+)' on type '(?P<type>\w+)'")


@cache
def load_admin_schema() -> GraphQLSchema:
    """Build (once per process) the Admin API schema from the vendored introspection result."""
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        introspection = json.load(handle)["data"]
    # Shopify's schema deprecates some implementations of non-deprecated interface fields,
    # which graphql-core's strict schema check rejects; the schema is Shopify's, trust it.
    return build_client_schema(introspection, assume_valid=True)


def parse_and_validate(source: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """Parse and validate a document; errors carry a Shopify-style `extensions.code`."""
    document, errors = _checked(source)
    return document, list(errors)


@lru_cache(maxsize=256)
def _checked(source: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    # Cached because clients send the same few documents over and over, and validating
    # against a schema this size costs milliseconds.
    try:
        document = parse(source)
    except GraphQLError as error:
        error.extensions = {"code": "parseError"}
        return None, (error,)
    if not validate(load_admin_schema(), document):
        return document, ()
    # Only an invalid document pays for one pass per rule, to know each error's code.
    errors = [_with_code(error, rule) for rule in specified_rules
              for error in validate(load_admin_schema(), document, [rule])]
    return document, tuple(sorted(errors, key=_position))


def validate_document(source: str) -> list[str]:
    """Return the messages of every parse or validation error in `source` (empty when valid)."""
    return [error.message for error in parse_and_validate(source)[1]]


def _with_code(error: GraphQLError, rule: type) -> GraphQLError:
    undefined = _UNDEFINED_FIELD.match(error.message)
    if rule is FieldsOnCorrectTypeRule and undefined:
        # Shopify words this error graphql-ruby's way and names the type and field.
        error.message = f"Field '{undefined['field']}' doesn't exist on type '{undefined['type']}'"
        error.extensions = {"code": "undefinedField", "typeName": undefined["type"],
                            "fieldName": undefined["field"]}
        return error
    error.extensions = {"code": _RUBY_CODES.get(rule, _code_from_rule_name(rule))}
    return error


def _code_from_rule_name(rule: type) -> str:
    name = rule.__name__.removesuffix("Rule")
    return name[0].lower() + name[1:]


def _position(error: GraphQLError) -> tuple[int, int]:
    location = (error.locations or [None])[0]
    return (location.line, location.column) if location else (0, 0)
