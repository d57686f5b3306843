"""The vendored Admin schema: same bytes as the shared copy, loads, and validates documents."""

from __future__ import annotations

from pathlib import Path

from lumen import schema
from lumen.schema import (
    SCHEMA_FILE,
    SCHEMA_VERSION,
    load_admin_schema,
    parse_and_validate,
    validate_document,
)

SHARED_SHOPIFY = Path(__file__).resolve().parents[2] / "shared" / "shopify"

ORDER_BY_NAME = """
query OrderByName($query: String!) { orders(first: 5, query: $query) { nodes { id name email
  createdAt processedAt cancelledAt cancelReason displayFinancialStatus displayFulfillmentStatus
  statusPageUrl lineItems(first: 50) { nodes { title quantity variantTitle } }
  fulfillments(first: 10) { status displayStatus createdAt inTransitAt deliveredAt
    estimatedDeliveryAt trackingInfo(first: 5) { company number url }
    fulfillmentLineItems(first: 50) { nodes { quantity lineItem { title } } }
    events(first: 1, reverse: true) { nodes { status happenedAt message city country } } } } } }
"""


def test_vendored_schema_is_the_shared_copy_and_loads():
    shared = SHARED_SHOPIFY / SCHEMA_FILE.name
    if shared.exists():  # a checkout without ../shared still checks that the copy loads
        assert SCHEMA_FILE.read_bytes() == shared.read_bytes()
        assert (SCHEMA_FILE.parent / "LICENSE-admin-schema.txt").read_bytes() == (
            SHARED_SHOPIFY / "LICENSE-admin-schema.txt").read_bytes()
    orders = load_admin_schema().query_type.fields["orders"]
    assert str(orders.type) == "OrderConnection!"
    assert {"first", "query", "reverse", "sortKey"} <= orders.args.keys()


def test_schema_is_built_once_per_process():
    assert load_admin_schema() is load_admin_schema()


def test_schema_version_is_the_one_the_client_speaks():
    from lumen.shopify import API_VERSION

    assert SCHEMA_VERSION == API_VERSION
    assert SCHEMA_VERSION in SCHEMA_FILE.name


def test_order_lookup_document_validates():
    assert validate_document(ORDER_BY_NAME) == []


def test_unknown_field_fails_with_shopify_wording_and_code():
    messages = validate_document("{ orders(first: 1) { nodes { id trackingNumber } } }")
    assert messages == ["Field 'trackingNumber' doesn't exist on type 'Order'"]
    _, errors = parse_and_validate("{ orders(first: 1) { nodes { id trackingNumber } } }")
    assert errors[0].formatted["extensions"] == {
        "code": "undefinedField", "typeName": "Order", "fieldName": "trackingNumber"}
    assert errors[0].formatted["locations"] == [{"line": 1, "column": 33}]


def test_each_problem_is_reported_in_document_order():
    source = "query($unused: Int) { orders(first: 1, bogus: 2) { nodes { nope } } }"
    _, errors = parse_and_validate(source)
    codes = [error.extensions["code"] for error in errors]
    assert codes == ["variableNotUsed", "argumentNotAccepted", "undefinedField"]


def test_parse_errors_are_messages_too():
    messages = validate_document("{ orders(first: 1) { nodes { id }")
    assert len(messages) == 1 and messages[0].startswith("Syntax Error")
    _, errors = parse_and_validate("{ orders(")
    assert errors[0].extensions == {"code": "parseError"}


def test_unmapped_rules_get_a_code_from_the_rule_name():
    _, errors = parse_and_validate("query A { shop { name } } query A { shop { name } }")
    assert [error.extensions["code"] for error in errors] == ["uniqueOperationNames"]


def test_schema_module_documents_its_licence():
    assert "MIT" in (Path(schema.__file__).parent / "LICENSE-admin-schema.txt").read_text()
