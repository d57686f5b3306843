"""The development store answers like Shopify's Admin GraphQL API, from fixture orders."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta

import pytest

from lumen.devstore import (
    BUNDLED_FIXTURES,
    STANDARD_BUCKET_SIZE,
    STANDARD_RESTORE_RATE,
    FixtureError,
    LeakyBucket,
    create_devstore_app,
    load_fixtures,
)
from lumen.devstore.cost import QueryCost
from lumen.devstore.search import search_orders
from lumen.schema import load_admin_schema, parse_and_validate

TOKEN = "shpat_test_token"
ENDPOINT = "/admin/api/2026-04/graphql.json"
ORDER_BY_NAME = """
query OrderByName($query: String!) {{ orders(first: {orders}, query: $query) {{ nodes {{
  id name email createdAt processedAt cancelledAt cancelReason displayFinancialStatus
  displayFulfillmentStatus statusPageUrl
  lineItems(first: {line_items}) {{ nodes {{ title quantity variantTitle }} }}
  fulfillments(first: {fulfillments}) {{ status displayStatus createdAt inTransitAt deliveredAt
    estimatedDeliveryAt trackingInfo(first: {tracking}) {{ company number url }}
    fulfillmentLineItems(first: {fulfillment_line_items}) {{
      nodes {{ quantity lineItem {{ title }} }} }}
    events(first: {events}, reverse: true) {{ nodes {{ status happenedAt message city country }} }}
  }} }} }} }}
"""
BRIEF_SIZES = {"orders": 5, "line_items": 50, "fulfillments": 10, "tracking": 5,
               "fulfillment_line_items": 50, "events": 1}
SMALL_SIZES = {"orders": 2, "line_items": 10, "fulfillments": 3, "tracking": 2,
               "fulfillment_line_items": 10, "events": 1}


def order_by_name(sizes: dict[str, int]) -> str:
    """The brief's order lookup document with the given page sizes."""
    return ORDER_BY_NAME.format(**sizes)


def documented_requested_cost(sizes: dict[str, int]) -> int:
    """Shopify's documented rules: object 1, leaf 0, connection 2 + size x node."""
    fulfillment = (1 + sizes["tracking"] + (2 + sizes["fulfillment_line_items"] * 2)
                   + (2 + sizes["events"]))
    order = 1 + (2 + sizes["line_items"]) + sizes["fulfillments"] * fulfillment
    return 2 + sizes["orders"] * order


def returned_cost(orders_connection: dict) -> int:
    """The same rules applied to what came back (actualQueryCost)."""
    total = 2
    for order in orders_connection["nodes"]:
        total += 1 + 2 + len(order["lineItems"]["nodes"])
        for fulfillment in order["fulfillments"]:
            total += (1 + len(fulfillment["trackingInfo"])
                      + 2 + 2 * len(fulfillment["fulfillmentLineItems"]["nodes"])
                      + 2 + len(fulfillment["events"]["nodes"]))
    return total


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """A frozen clock for the store's bucket."""
    return FakeClock()


@pytest.fixture
def devstore(clock):
    """The development store on the bundled demo orders, with a frozen clock."""
    return create_devstore_app(clock=clock)


@pytest.fixture
def store_client(devstore):
    """A test client of the development store."""
    return devstore.test_client()


def post(client, query, variables=None, *, token=TOKEN, version="2026-04"):
    """POST a GraphQL request the way Shopify's clients do."""
    headers = {"X-Shopify-Access-Token": token} if token else {}
    return client.post(f"/admin/api/{version}/graphql.json",
                       json={"query": query, "variables": variables}, headers=headers)


def find(client, search: str) -> list[str]:
    """The names of the orders an `orders(query:)` search returns."""
    response = post(client, "query($q: String!) { orders(first: 20, query: $q) "
                            "{ nodes { name } } }", {"q": search})
    return [order["name"] for order in response.get_json()["data"]["orders"]["nodes"]]


# --- answering queries -------------------------------------------------------------------

def test_order_lookup_answers_with_shopify_shape_and_cost(store_client):
    response = post(store_client, order_by_name(SMALL_SIZES), {"query": "name:#1042"})

    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    orders = body["data"]["orders"]
    [order] = orders["nodes"]
    assert order["name"] == "#1042" and order["displayFulfillmentStatus"] == "FULFILLED"
    packages = [(f["trackingInfo"][0]["company"],
                 [line["lineItem"]["title"] for line in f["fulfillmentLineItems"]["nodes"]])
                for f in order["fulfillments"]]
    assert packages == [("USPS", ["Blue T-Shirt"]), ("FedEx", ["Running Shoes"])]
    assert order["fulfillments"][0]["estimatedDeliveryAt"] == "2026-02-28T20:00:00Z"
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == documented_requested_cost(SMALL_SIZES)
    assert cost["actualQueryCost"] == returned_cost(orders) < cost["requestedQueryCost"]
    assert cost["throttleStatus"] == {"maximumAvailable": STANDARD_BUCKET_SIZE,
                                      "currentlyAvailable": 2000 - cost["actualQueryCost"],
                                      "restoreRate": STANDARD_RESTORE_RATE}
    assert "errors" not in body


def test_latest_event_comes_first_with_reverse(store_client):
    response = post(store_client, order_by_name(SMALL_SIZES), {"query": "name:1031"})
    [fulfillment] = response.get_json()["data"]["orders"]["nodes"][0]["fulfillments"]
    [event] = fulfillment["events"]["nodes"]
    assert event["message"] == "Departed origin country"
    assert fulfillment["estimatedDeliveryAt"] is None


def test_missing_fields_are_null_or_empty(store_client):
    data = post(store_client, order_by_name(SMALL_SIZES),
                {"query": "name:1055 OR name:1039"}).get_json()["data"]
    cancelled, third_party = sorted(data["orders"]["nodes"], key=lambda o: o["name"],
                                    reverse=True)
    assert cancelled["fulfillments"] == []
    assert (cancelled["cancelReason"], cancelled["displayFinancialStatus"]) == (
        "CUSTOMER", "REFUNDED")
    [fulfillment] = third_party["fulfillments"]
    assert fulfillment["trackingInfo"] == [] and fulfillment["events"]["nodes"] == []
    assert fulfillment["inTransitAt"] is None and third_party["cancelledAt"] is None


def test_order_by_id_and_shop(store_client):
    body = post(store_client, """{ order(id: "gid://shopify/Order/5830000001088") { name }
                               missing: order(id: "gid://shopify/Order/1") { name }
                               shop { name myshopifyDomain } }""").get_json()
    assert body["data"] == {"order": {"name": "#1088"}, "missing": None,
                            "shop": {"name": "Lumen Demo",
                                     "myshopifyDomain": "lumen-demo.myshopify.com"}}


def test_connections_page_with_cursors_and_sort_keys(store_client):
    query = """query($after: String) { orders(first: 2, after: $after, sortKey: CREATED_AT,
               reverse: true) { edges { cursor node { name } } pageInfo { hasNextPage
               hasPreviousPage endCursor } } }"""
    first = post(store_client, query).get_json()["data"]["orders"]
    assert [edge["node"]["name"] for edge in first["edges"]] == ["#1088", "#1077"]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    second = post(store_client, query, {"after": first["pageInfo"]["endCursor"]}).get_json()
    assert [e["node"]["name"] for e in second["data"]["orders"]["edges"]] == ["#1063", "#1055"]
    assert second["data"]["orders"]["pageInfo"]["hasPreviousPage"]


def test_connection_without_page_size_is_an_error(store_client):
    body = post(store_client, "{ orders(query: \"name:1042\") { nodes { name } } }").get_json()
    assert body["errors"][0]["message"] == "you must provide one of first or last"
    assert body["errors"][0]["path"] == ["orders"] and body["data"] is None


def test_raw_graphql_body_is_accepted(store_client):
    response = store_client.post(ENDPOINT, data="{ shop { name } }",
                                 content_type="application/graphql",
                                 headers={"X-Shopify-Access-Token": TOKEN})
    assert response.get_json()["data"] == {"shop": {"name": "Lumen Demo"}}


def test_mutations_are_refused(store_client):
    body = post(store_client, 'mutation { orderClose(input: {id: "gid://shopify/Order/1"}) '
                              "{ userErrors { message } } }").get_json()
    assert "queries only" in body["errors"][0]["message"] and "data" not in body


# --- rejected documents and requests -----------------------------------------------------

def test_invalid_field_is_rejected_like_shopify(store_client, devstore):
    response = post(store_client, "{ orders(first: 1) { nodes { name trackingNumber } } }")

    assert response.status_code == 200
    assert response.get_json() == {"errors": [{
        "message": "Field 'trackingNumber' doesn't exist on type 'Order'",
        "locations": [{"line": 1, "column": 35}],
        "extensions": {"code": "undefinedField", "typeName": "Order",
                       "fieldName": "trackingNumber"}}]}
    assert devstore.extensions["devstore"].bucket.status()["currentlyAvailable"] == 2000


def test_bad_variables_are_reported(store_client):
    body = post(store_client, "query($q: String!) { orders(first: 1, query: $q) { nodes { id } } }",
                {}).get_json()
    assert "$q" in body["errors"][0]["message"] and "data" not in body


def test_missing_token_is_401(store_client):
    response = post(store_client, "{ shop { name } }", token=None)
    assert response.status_code == 401
    assert response.get_json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


def test_only_configured_tokens_are_accepted(clock):
    client = create_devstore_app(access_tokens={"shpat_right"}, clock=clock).test_client()
    assert post(client, "{ shop { name } }", token="shpat_wrong").status_code == 401
    assert post(client, "{ shop { name } }", token="shpat_right").status_code == 200


@pytest.mark.parametrize("version", ["2025-01", "unstable", "latest"])
def test_unsupported_versions_are_404(store_client, version):
    response = post(store_client, "{ shop { name } }", version=version)
    assert response.status_code == 404 and response.get_json() == {"errors": "Not Found"}


def test_missing_query_is_400(store_client):
    response = store_client.post(ENDPOINT, json={"variables": {}},
                                 headers={"X-Shopify-Access-Token": TOKEN})
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"query": "Required parameter missing or invalid"}}


# --- name search ---------------------------------------------------------------------------

@pytest.mark.parametrize(("search", "names"), [
    ("name:#1042", ["#1042"]),
    ("name:1042", ["#1042"]),
    ('name:"#1042"', ["#1042"]),
    ("name:104", []),          # a token matches whole: no prefix leak to #1042
    ("name:#104", []),
    ("name:04", []),
    ("name:104*", ["#1042"]),  # prefix matching only when asked for
    ("name:#9999", []),
    ("email:JORDAN.REYES@example.com", ["#1019", "#1050", "#1077"]),
    ("email:jordan.reyes@example.com name:1050", ["#1050"]),
    ("email:jordan.reyes@example.com -name:1050", ["#1019", "#1077"]),
    ("name:1042 OR name:1088", ["#1042", "#1088"]),
    ("1088", ["#1088"]),
])
def test_name_and_email_search(store_client, search, names):
    assert find(store_client, search) == names


def test_name_search_matches_tokens_not_exact_names():
    orders = [{"name": "#1042"}, {"name": "#1042-A"}, {"name": "#10420"}, {"name": "EN1042"}]
    assert [o["name"] for o in search_orders(orders, "name:1042")] == ["#1042", "#1042-A"]
    assert [o["name"] for o in search_orders(orders, 'name:"#1042-A"')] == ["#1042-A"]
    assert [o["name"] for o in search_orders(orders, "name:1042*")] == [
        "#1042", "#1042-A", "#10420"]


def test_filters_the_store_does_not_model_are_ignored():
    orders = [{"name": "#1"}, {"name": "#2"}]
    assert search_orders(orders, "financial_status:paid") == orders
    assert search_orders(orders, "-financial_status:paid name:2") == [{"name": "#2"}]


# --- cost ------------------------------------------------------------------------------------

def requested(source: str, variables: dict | None = None) -> int:
    """The requested cost of a valid document's first operation."""
    document, errors = parse_and_validate(source)
    assert not errors
    return QueryCost(load_admin_schema(), document, document.definitions[0],
                     variables or {}).requested()


@pytest.mark.parametrize(("source", "cost"), [
    ("{ shop { name } }", 1),
    ("{ orders(first: 10) { edges { node { id name } } } }", 12),
    ("{ orders(first: 10) { nodes { id } edges { cursor node { name } } "
     "pageInfo { hasNextPage } } }", 12),
    ("{ orders(last: 3) { nodes { lineItems(first: 4) { nodes { title } } } } }", 2 + 3 * (1 + 6)),
    ("{ orders(first: 2) { nodes { ...F } } } fragment F on Order { fulfillments(first: 3) "
     "{ trackingInfo(first: 2) { number } } }", 2 + 2 * (1 + 3 * (1 + 2))),
    ("{ orders(first: 2) { nodes { id lineItems(first: 9) @skip(if: true) { nodes { id } } } } }",
     4),
    ('{ node(id: "x") { ... on Order { lineItems(first: 5) { nodes { id } } } '
     "... on Customer { id } } }", 1 + 7),
])
def test_requested_cost_follows_shopify_rules(source, cost):
    assert requested(source) == cost


def test_actual_cost_counts_each_returned_object_once(store_client):
    body = post(store_client, """{ orders(first: 3, query: "name:1042 OR name:1088") {
                                     nodes { name } edges { cursor node { id } } }
                                   order(id: "gid://shopify/Order/404") { name } }""").get_json()
    assert len(body["data"]["orders"]["nodes"]) == 2 and body["data"]["order"] is None
    assert body["extensions"]["cost"]["requestedQueryCost"] == (2 + 3) + 1
    assert body["extensions"]["cost"]["actualQueryCost"] == (2 + 2) + 0


def test_brief_lookup_document_exceeds_the_single_query_limit(store_client, devstore):
    body = post(store_client, order_by_name(BRIEF_SIZES), {"query": "name:1042"}).get_json()

    cost = documented_requested_cost(BRIEF_SIZES)
    assert cost > 1000
    [error] = body["errors"]
    assert error["message"].startswith(
        f"Query cost is {cost}, which exceeds the single query max cost limit (1000).")
    assert error["extensions"] == {"code": "MAX_COST_EXCEEDED", "cost": cost, "maxCost": 1000,
                                   "documentation": "https://shopify.dev/api/usage/limits#rate-limits"}
    assert set(body) == {"errors"}
    assert devstore.extensions["devstore"].bucket.status()["currentlyAvailable"] == 2000


# --- leaky bucket ------------------------------------------------------------------------------

def test_drained_bucket_throttles_until_points_restore(store_client, clock):
    query = "{ orders(first: 10) { nodes { name } } }"
    assert store_client.post("/_control", json={"drain": True}).status_code == 200

    throttled = post(store_client, query)
    assert throttled.status_code == 200
    assert throttled.get_json() == {
        "errors": [{"message": "Throttled",
                    "extensions": {"code": "THROTTLED",
                                   "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
        "extensions": {"cost": {"requestedQueryCost": 12, "actualQueryCost": None,
                                "throttleStatus": {"maximumAvailable": 2000.0,
                                                   "currentlyAvailable": 0,
                                                   "restoreRate": 100.0}}}}
    clock.advance(0.11)  # 11 points: one short of the 12 requested
    assert post(store_client, query).get_json()["errors"][0]["message"] == "Throttled"
    clock.advance(0.01)
    restored = post(store_client, query).get_json()
    assert len(restored["data"]["orders"]["nodes"]) == 10
    assert restored["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 0


def test_bucket_restores_up_to_its_size_and_refunds_unused_points(clock):
    bucket = LeakyBucket(100, 10, clock)
    assert bucket.take(80) and not bucket.take(30)
    bucket.refund(50)
    assert bucket.status()["currentlyAvailable"] == 70
    clock.advance(3600)
    assert bucket.status() == {"maximumAvailable": 100.0, "currentlyAvailable": 100,
                               "restoreRate": 10.0}


def test_bucket_never_hands_out_more_than_it_holds_across_threads(clock):
    bucket = LeakyBucket(2000, 100, clock)
    granted: list[bool] = []
    barrier = threading.Barrier(40)

    def take() -> None:
        barrier.wait()
        granted.append(bucket.take(100))

    threads = [threading.Thread(target=take) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 20 and bucket.status()["currentlyAvailable"] == 0


@pytest.mark.parametrize(("size", "rate"), [(0, 100), (2000, -1), (2000, True)])
def test_bucket_rejects_nonsense_settings(size, rate):
    with pytest.raises(ValueError):
        LeakyBucket(size, rate)


# --- latency, failures and the control endpoint ---------------------------------------------------

def test_latency_is_slept_before_answering(clock):
    naps: list[float] = []
    client = create_devstore_app(latency_ms=250, clock=clock, sleep=naps.append).test_client()
    assert post(client, "{ shop { name } }").status_code == 200
    assert naps == [0.25]


def test_latency_really_delays_the_answer(clock):
    client = create_devstore_app(latency_ms=40, clock=clock).test_client()
    started = time.perf_counter()
    post(client, "{ shop { name } }")
    assert time.perf_counter() - started >= 0.04


def test_failure_rate_answers_502_and_503_like_shopify(clock):
    client = create_devstore_app(failure_rate=1.0, seed=7, clock=clock).test_client()
    responses = [post(client, "{ shop { name } }") for _ in range(20)]
    assert {response.status_code for response in responses} == {502, 503}
    for response in responses:
        if response.status_code == 503:
            assert response.get_json() == {"errors": "Service Unavailable"}
        else:
            assert response.mimetype == "text/html" and b"502 Bad Gateway" in response.data


def test_failures_are_seeded_and_proportional(clock):
    def statuses(seed: int) -> list[int]:
        client = create_devstore_app(failure_rate=0.3, seed=seed, clock=clock).test_client()
        return [post(client, "{ shop { name } }").status_code for _ in range(60)]

    first = statuses(42)
    assert first == statuses(42)
    assert 8 <= sum(status != 200 for status in first) <= 30


def test_control_changes_settings_at_run_time(store_client, devstore):
    changed = store_client.post("/_control", json={"latency_ms": 5, "failure_rate": 0.25,
                                                   "bucket_size": 500, "restore_rate": 25})
    assert changed.status_code == 200
    assert changed.get_json() == {"shop": "lumen-demo.myshopify.com", "latency_ms": 5.0,
                                  "failure_rate": 0.25,
                                  "throttleStatus": {"maximumAvailable": 500.0,
                                                     "currentlyAvailable": 500,
                                                     "restoreRate": 25.0}}
    store = devstore.extensions["devstore"]
    assert (store.latency_ms, store.failure_rate) == (5.0, 0.25)
    assert store_client.get("/_control").get_json() == changed.get_json()


@pytest.mark.parametrize("changes", [
    {"failure_rate": 1.5}, {"latency_ms": -1}, {"bucket_size": 0}, {"restore_rate": "fast"},
    {"drain": "yes"}, {"speed": 3}, ["drain"],
])
def test_control_refuses_invalid_settings(store_client, devstore, changes):
    response = store_client.post("/_control", json=changes)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_control"
    assert devstore.extensions["devstore"].settings()["failure_rate"] == 0.0


# --- fixtures ------------------------------------------------------------------------------------

def write_fixture(tmp_path, data) -> str:
    """Write fixture data to a JSON file and return its path."""
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(data))
    return str(path)


def valid_order(name: str = "#2001", **fields) -> dict:
    """A minimal order with every field Shopify always has."""
    return {"id": f"gid://shopify/Order/{name[1:]}", "name": name,
            "createdAt": "2026-02-01T10:00:00Z", "processedAt": "2026-02-01T10:00:00Z",
            "displayFulfillmentStatus": "UNFULFILLED",
            "statusPageUrl": "https://test-shop.myshopify.com/1/orders/abc/authenticate?key=k",
            **fields}


def test_custom_fixture_file_is_served(tmp_path, clock):
    path = write_fixture(tmp_path, {"shop": "test-shop.myshopify.com",
                                    "orders": [valid_order(email="kim@example.com")]})
    client = create_devstore_app(path, clock=clock).test_client()
    assert find(client, "email:kim@example.com") == ["#2001"]


@pytest.mark.parametrize(("data", "expected"), [
    ([], "expected a JSON object"),
    ({"shop": "test-shop.example.com", "orders": []}, "'shop' must be a domain"),
    ({"shop": "test-shop.myshopify.com", "orders": {"#1": {}}}, "'orders' must be a list"),
    ({"shop": "test-shop.myshopify.com", "orders": [valid_order(), {"id": "gid://x/2"}]},
     "orders[1]: name: missing"),
    ({"shop": "test-shop.myshopify.com",
      "orders": [valid_order(fulfillments=[{"status": "DONE",
                                            "createdAt": "2026-02-02T00:00:00Z"}])]},
     "order #2001 (orders[0]): fulfillments[0].status: 'DONE' is not a FulfillmentStatus"),
    ({"shop": "test-shop.myshopify.com",
      "orders": [valid_order(lineItems={"nodes": [{"title": "Mug", "quantity": "2"}]})]},
     "lineItems.nodes[0].quantity: expected Int, got a string"),
    ({"shop": "test-shop.myshopify.com", "orders": [valid_order(createdAt="last Tuesday")]},
     "createdAt: 'last Tuesday' is not an ISO 8601 date-time"),
    ({"shop": "test-shop.myshopify.com", "orders": [valid_order(), valid_order()]},
     "two orders share the name '#2001'"),
    ({"shop": "test-shop.myshopify.com", "orders": ["#2001"]},
     "orders[0]: expected an object, got a string"),
])
def test_malformed_fixtures_name_the_problem(tmp_path, data, expected):
    with pytest.raises(FixtureError) as raised:
        load_fixtures(write_fixture(tmp_path, data))
    assert expected in str(raised.value)
    with pytest.raises(FixtureError):
        create_devstore_app(data)


def test_unreadable_fixture_files_are_fixture_errors(tmp_path):
    with pytest.raises(FixtureError, match="cannot read"):
        load_fixtures(tmp_path / "missing.json")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(FixtureError, match="not valid JSON"):
        load_fixtures(tmp_path / "broken.json")


def test_keys_outside_the_contract_are_dropped(tmp_path):
    fixtures = load_fixtures({"shop": "test-shop.myshopify.com",
                              "orders": [valid_order(note="story", number=2001)]})
    assert "note" not in fixtures["orders"][0] and "number" not in fixtures["orders"][0]


# --- the bundled demo store ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_orders() -> dict[str, dict]:
    """The bundled demo orders by name."""
    return {order["name"]: order for order in load_fixtures()["orders"]}


def test_bundled_fixture_file_is_valid_and_named(demo_orders):
    assert load_fixtures(BUNDLED_FIXTURES)["shop"] == "lumen-demo.myshopify.com"
    assert all(order["email"].endswith("@example.com") for order in demo_orders.values())


def test_demo_store_covers_the_seed_scenarios(demo_orders):
    split = demo_orders["#1042"]["fulfillments"]
    assert [f["trackingInfo"][0]["company"] for f in split] == ["USPS", "FedEx"]
    assert sum(line["quantity"] for line in demo_orders["#1042"]["lineItems"]["nodes"]) == 3
    cancelled = demo_orders["#1055"]
    assert (cancelled["cancelledAt"][:10], cancelled["cancelReason"],
            cancelled["displayFinancialStatus"]) == ("2026-02-20", "CUSTOMER", "REFUNDED")
    assert demo_orders["#1088"]["displayFulfillmentStatus"] == "UNFULFILLED"
    assert demo_orders["#1088"]["fulfillments"] == []
    statuses = {order["displayFulfillmentStatus"] for order in demo_orders.values()}
    assert {"FULFILLED", "PARTIALLY_FULFILLED", "UNFULFILLED"} <= statuses
    assert "PENDING" in {order["displayFinancialStatus"] for order in demo_orders.values()}
    fulfillments = [f for order in demo_orders.values() for f in order["fulfillments"]]
    assert any(f["trackingInfo"] == [] and f["displayStatus"] == "FULFILLED" for f in fulfillments)
    assert any(f["displayStatus"] == "DELIVERED" and f["deliveredAt"] for f in fulfillments)
    emails = [order["email"] for order in demo_orders.values()]
    assert max(emails.count(email) for email in emails) >= 2


def test_demo_international_order_has_stale_tracking(demo_orders):
    story_now = max(datetime.fromisoformat(o["createdAt"]) for o in demo_orders.values())
    stale = [f for order in demo_orders.values() for f in order["fulfillments"]
             if f["events"]["nodes"]
             and f["events"]["nodes"][-1]["message"] == "Departed origin country"]
    assert stale, "no order's last scan is 'Departed origin country'"
    last_scan = datetime.fromisoformat(stale[0]["events"]["nodes"][-1]["happenedAt"])
    assert story_now - last_scan >= timedelta(days=14)


def test_every_demo_fulfillment_has_line_items_and_in_order_events(demo_orders):
    for order in demo_orders.values():
        for fulfillment in order["fulfillments"]:
            assert fulfillment["fulfillmentLineItems"]["nodes"], order["name"]
            times = [event["happenedAt"] for event in fulfillment["events"]["nodes"]]
            assert times == sorted(times), order["name"]
