"""Tests for lumen.shopify: schema validity, throttling, retries, errors, exact order names."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from lumen.devstore import create_devstore_app
from lumen.schema import validate_document
from lumen.shopify import (
    API_VERSION,
    DOCUMENTS,
    ORDER_LOOKUP,
    AdminClient,
    ShopifyAuthError,
    ShopifyQueryError,
    ShopifyThrottled,
    ShopifyUnavailable,
    order_name_search,
    queries,
)

SHOP = "lumen-test.myshopify.com"
TOKEN = "shpat_test_secret_token"
DEVSTORE_SHOP = "lumen-demo.myshopify.com"
DEVSTORE_ORDER_ID = "gid://shopify/Order/5830000001042"
# Requested-cost budgets: Shopify reserves the requested cost up front, so it bounds how many
# lookups can run at once before throttling (standard plan: 2000-point bucket, 100/s).
CANDIDATES_BUDGET = 20
LOOKUP_BUDGET = 200
# Every GraphQL document in lumen.shopify.queries, found by scanning, so a new one is covered.
SENT_DOCUMENTS = {name: value for name, value in vars(queries).items()
                  if name.isupper() and isinstance(value, str) and "query" in value}

Handler = Callable[[httpx.Request], httpx.Response]


class Clock:
    """A fake clock whose sleep records each wait and moves time forward."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


class ScriptedShopify:
    """A mock transport answering with scripted responses (the last one repeats)."""

    def __init__(self, *responses: httpx.Response | Exception | Handler):
        self.script = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        return step(request) if callable(step) else step


def make_client(handler: Handler, clock: Clock, **options: Any) -> AdminClient:
    """An AdminClient wired to a mock transport and the fake clock."""
    return AdminClient(SHOP, TOKEN, transport=httpx.MockTransport(handler),
                       sleep=clock.sleep, clock=clock, **options)


def cost(requested: int, available: float, rate: float = 50.0, actual: int | None = None) -> dict:
    """An `extensions` object shaped like Shopify's."""
    bucket = {"maximumAvailable": 1000.0, "currentlyAvailable": available, "restoreRate": rate}
    return {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual,
                     "throttleStatus": bucket}}


def ok(data: dict, requested: int = 12, available: float = 988.0) -> httpx.Response:
    """A successful GraphQL answer."""
    return httpx.Response(200, json={"data": data,
                                     "extensions": cost(requested, available, actual=requested)})


def throttled(requested: int, available: float, rate: float, status: int = 200) -> httpx.Response:
    """Shopify's THROTTLED answer, as a 200 body or a 429."""
    error = {"message": "Throttled", "extensions": {"code": "THROTTLED"}}
    body = {"errors": [error], "extensions": cost(requested, available, rate)}
    return httpx.Response(status, json=body)


SHOP_DATA = {"shop": {"name": "Lumen"}}
SHOP_QUERY = "{ shop { name } }"


# --- every document Lumen sends is valid against Shopify's schema ---------------------------

@pytest.mark.parametrize("name", sorted(SENT_DOCUMENTS))
def test_every_document_validates_against_admin_schema(name):
    assert validate_document(SENT_DOCUMENTS[name]) == []


def test_schema_validation_catches_an_invalid_field():
    broken = ORDER_LOOKUP.replace("company number url", "company number url carrierCode")
    assert any("carrierCode" in message for message in validate_document(broken))


def test_schema_validation_catches_a_wrong_argument():
    unsorted = ORDER_LOOKUP.replace("sortKey: HAPPENED_AT", "sortKey: CREATED_AT")
    assert validate_document(unsorted) != []


# --- throttling ------------------------------------------------------------------------------

def test_throttled_body_waits_for_the_restore_formula_then_succeeds():
    clock = Clock()
    shopify = ScriptedShopify(throttled(173, 73.0, 50.0), ok(SHOP_DATA))
    assert make_client(shopify, clock).execute(SHOP_QUERY) == SHOP_DATA
    formula = (173 - 73.0) / 50.0
    assert len(clock.waits) == 1 and formula <= clock.waits[0] <= formula * 1.2
    assert len(shopify.requests) == 2


def test_http_429_with_cost_waits_for_the_restore_formula():
    clock = Clock()
    shopify = ScriptedShopify(throttled(100, 10.0, 100.0, status=429), ok(SHOP_DATA))
    assert make_client(shopify, clock).execute(SHOP_QUERY) == SHOP_DATA
    assert 0.9 <= clock.waits[0] <= 0.9 * 1.2


@pytest.mark.parametrize(("headers", "expected"), [({"Retry-After": "3"}, 3.0), ({}, 1.0)])
def test_http_429_without_cost_honours_retry_after(headers, expected):
    clock = Clock()
    shopify = ScriptedShopify(httpx.Response(429, headers=headers, text="Too many"), ok(SHOP_DATA))
    assert make_client(shopify, clock).execute(SHOP_QUERY) == SHOP_DATA
    assert expected <= clock.waits[0] <= expected * 1.2


def test_throttling_gives_up_after_max_attempts():
    clock = Clock()
    shopify = ScriptedShopify(throttled(50, 0.0, 50.0))
    with pytest.raises(ShopifyThrottled) as raised:
        make_client(shopify, clock, max_attempts=3).execute(SHOP_QUERY)
    assert len(shopify.requests) == 3 and len(clock.waits) == 2
    assert raised.value.retry_after >= 1.0


def test_throttling_never_sleeps_past_the_retry_budget():
    clock = Clock()
    shopify = ScriptedShopify(throttled(900, 0.0, 50.0))
    with pytest.raises(ShopifyThrottled) as raised:
        make_client(shopify, clock, retry_budget=5.0).execute(SHOP_QUERY)
    assert clock.waits == [] and len(shopify.requests) == 1
    assert raised.value.retry_after >= 900 / 50.0


def test_last_cost_keeps_the_latest_cost_extension():
    clock = Clock()
    client = make_client(ScriptedShopify(ok(SHOP_DATA, requested=7, available=993.0)), clock)
    client.execute(SHOP_QUERY)
    assert client.last_cost["requestedQueryCost"] == 7
    assert client.last_cost["throttleStatus"]["currentlyAvailable"] == 993.0


# --- 5xx and network errors -----------------------------------------------------------------

@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_retried_with_exponential_backoff(status):
    clock = Clock()
    failure = httpx.Response(status, text="oops")
    shopify = ScriptedShopify(failure, failure, ok(SHOP_DATA))
    assert make_client(shopify, clock).execute(SHOP_QUERY) == SHOP_DATA
    assert len(clock.waits) == 2
    assert 0.5 <= clock.waits[0] <= 0.625 and 1.0 <= clock.waits[1] <= 1.25


def test_5xx_gives_up_after_max_attempts():
    clock = Clock()
    shopify = ScriptedShopify(httpx.Response(503))
    with pytest.raises(ShopifyUnavailable, match="HTTP 503"):
        make_client(shopify, clock, max_attempts=4).execute(SHOP_QUERY)
    assert len(shopify.requests) == 4 and len(clock.waits) == 3


@pytest.mark.parametrize("error", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")])
def test_network_errors_are_retried_then_reported(error):
    clock = Clock()
    recovering = make_client(ScriptedShopify(error, ok(SHOP_DATA)), clock)
    assert recovering.execute(SHOP_QUERY) == SHOP_DATA
    failing = ScriptedShopify(error)
    with pytest.raises(ShopifyUnavailable, match="network"):
        make_client(failing, clock, max_attempts=2).execute(SHOP_QUERY)
    assert len(failing.requests) == 2


def test_timeout_is_enforced_against_a_server_that_never_answers():
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        client = AdminClient(SHOP, TOKEN, base_url=f"http://127.0.0.1:{port}", timeout=0.2,
                             max_attempts=2, sleep=lambda _: None)
        started = time.perf_counter()
        with pytest.raises(ShopifyUnavailable):
            client.execute(SHOP_QUERY)
        elapsed = time.perf_counter() - started
    assert 0.4 <= elapsed < 2.0


def test_retries_are_logged_without_secrets(caplog):
    clock = Clock()
    shopify = ScriptedShopify(httpx.Response(502), ok(SHOP_DATA))
    with caplog.at_level(logging.WARNING, logger="lumen.shopify"):
        make_client(shopify, clock).execute(SHOP_QUERY, {"query": 'name:"#1042"'})
    assert "HTTP 502" in caplog.text and SHOP in caplog.text
    assert TOKEN not in caplog.text and "#1042" not in caplog.text


# --- errors that must not be retried ------------------------------------------------------

ACCESS_DENIED = {"errors": [{"message": "Access denied for orders field.",
                             "extensions": {"code": "ACCESS_DENIED"}}]}


@pytest.mark.parametrize("response", [
    httpx.Response(401, text="[API] Invalid API key or access token"),
    httpx.Response(403, text="Forbidden"),
    httpx.Response(200, json=ACCESS_DENIED),
])
def test_auth_failures_raise_without_retrying(response):
    clock = Clock()
    shopify = ScriptedShopify(response)
    with pytest.raises(ShopifyAuthError):
        make_client(shopify, clock).execute(SHOP_QUERY)
    assert len(shopify.requests) == 1 and clock.waits == []


def test_graphql_errors_raise_query_error_with_codes():
    clock = Clock()
    error = {"message": "Query cost is 5817, which exceeds the single query max cost limit",
             "extensions": {"code": "MAX_COST_EXCEEDED"}}
    shopify = ScriptedShopify(httpx.Response(200, json={"errors": [error]}))
    with pytest.raises(ShopifyQueryError, match="exceeds") as raised:
        make_client(shopify, clock).execute(SHOP_QUERY)
    assert raised.value.codes == ("MAX_COST_EXCEEDED",) and len(shopify.requests) == 1


@pytest.mark.parametrize("status", [402, 404, 423])
def test_a_frozen_missing_or_locked_shop_is_unavailable_at_once(status):
    clock = Clock()
    shopify = ScriptedShopify(httpx.Response(status))
    with pytest.raises(ShopifyUnavailable, match=str(status)):
        make_client(shopify, clock).execute(SHOP_QUERY)
    assert len(shopify.requests) == 1


# --- the request itself ------------------------------------------------------------------------

def test_request_goes_to_base_url_with_token_version_and_variables():
    shopify = ScriptedShopify(ok(SHOP_DATA))
    client = AdminClient(SHOP, TOKEN, base_url="http://127.0.0.1:5000/devstore/",
                         transport=httpx.MockTransport(shopify))
    client.execute(SHOP_QUERY, {"first": 1})
    request = shopify.requests[0]
    assert str(request.url) == f"http://127.0.0.1:5000/devstore/admin/api/{API_VERSION}/graphql.json"
    assert request.headers["host"] == "127.0.0.1:5000"
    assert request.headers["x-shopify-access-token"] == TOKEN
    assert json.loads(request.content) == {"query": SHOP_QUERY, "variables": {"first": 1}}


def test_without_base_url_requests_go_to_the_shop():
    shopify = ScriptedShopify(ok(SHOP_DATA))
    AdminClient(SHOP, TOKEN, transport=httpx.MockTransport(shopify)).execute(SHOP_QUERY)
    assert str(shopify.requests[0].url) == f"https://{SHOP}/admin/api/{API_VERSION}/graphql.json"


def test_a_missing_token_is_an_auth_error_without_a_request():
    shopify = ScriptedShopify(ok(SHOP_DATA))
    client = AdminClient(SHOP, "", transport=httpx.MockTransport(shopify))
    with pytest.raises(ShopifyAuthError):
        client.find_order_by_name("#1042")
    assert shopify.requests == []


@pytest.mark.parametrize(
    "domain", ["evil.com", "shop.myshopify.com.evil.com", "", "a/b.myshopify.com"]
)
def test_only_myshopify_domains_are_accepted(domain):
    with pytest.raises(ValueError):
        AdminClient(domain, TOKEN)


# --- order lookup by exact name --------------------------------------------------------------

def shop_with_orders(*names: str) -> Handler:
    """A fake Shopify whose name search is loose, like the real one (prefix, any case)."""
    orders = {f"gid://shopify/Order/{i}": {"id": f"gid://shopify/Order/{i}", "name": name,
                                           "email": "a@example.com", "fulfillments": []}
              for i, name in enumerate(names, start=1)}

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if "OrderCandidates" in body["query"]:
            wanted = re.fullmatch(r'name:"(.*)"', body["variables"]["query"]).group(1)
            loose = [{"id": o["id"], "name": o["name"]} for o in orders.values()
                     if o["name"].lstrip("#").casefold().startswith(wanted.lstrip("#").casefold())]
            return ok({"orders": {"nodes": loose}})
        return ok({"order": orders.get(body["variables"]["id"])}, requested=173)

    return answer


def lookups(shopify: ScriptedShopify) -> list[dict]:
    """The variables of every request the client sent."""
    return [json.loads(request.content)["variables"] for request in shopify.requests]


def test_order_lookup_picks_the_exact_name_among_loose_matches():
    shopify = ScriptedShopify(shop_with_orders("#10420", "#1042-A", "#1042", "#1043"))
    order = make_client(shopify, Clock()).find_order_by_name("#1042")
    assert order["name"] == "#1042" and order["id"] == "gid://shopify/Order/3"
    assert lookups(shopify) == [{"query": 'name:"#1042"'}, {"id": "gid://shopify/Order/3"}]


def test_order_lookup_returns_none_when_only_loose_matches_exist():
    shopify = ScriptedShopify(shop_with_orders("#10420", "#1042-A"))
    assert make_client(shopify, Clock()).find_order_by_name("#1042") is None
    assert len(shopify.requests) == 1


def test_order_lookup_prefers_the_same_case_but_accepts_another():
    shopify = ScriptedShopify(shop_with_orders("#1042-a", "#1042-A"))
    assert make_client(shopify, Clock()).find_order_by_name("#1042-A")["name"] == "#1042-A"
    only_lower = ScriptedShopify(shop_with_orders("#1042-a"))
    assert make_client(only_lower, Clock()).find_order_by_name("#1042-A")["name"] == "#1042-a"


def test_order_lookup_rechecks_the_name_of_the_fetched_order():
    renamed = {"id": "gid://shopify/Order/1", "name": "#1042-R"}
    shopify = ScriptedShopify(ok({"orders": {"nodes": [{"id": renamed["id"], "name": "#1042"}]}}),
                              ok({"order": renamed}))
    assert make_client(shopify, Clock()).find_order_by_name("#1042") is None


@pytest.mark.parametrize("typed", [
    '#1042" OR name:*', "1042 OR email:a@b.c", "name:1042", "#10*", "", "#", "1042\\", "١٠٤٢",
    "#" + "1" * 64,
])
def test_order_names_that_could_inject_search_syntax_are_refused(typed):
    shopify = ScriptedShopify(ok({"orders": {"nodes": []}}))
    with pytest.raises(ValueError):
        make_client(shopify, Clock()).find_order_by_name(typed)
    assert shopify.requests == []


def test_order_name_search_quotes_safe_names():
    assert order_name_search("#LUM-1042_b") == 'name:"#LUM-1042_b"'


# --- against the development store, over real HTTP and with real waiting --------------------

DEVSTORE_ORDER = "#1042"  # bundled demo order with two fulfillments


class Spy(httpx.BaseTransport):
    """A real HTTP transport that also keeps the JSON body of every response."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.bodies: list[dict] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        self.bodies.append(json.loads(response.content) if response.content[:1] == b"{" else {})
        return response

    def close(self) -> None:
        self.inner.close()

    def costs(self) -> list[dict]:
        """The `extensions.cost` of each response."""
        return [body["extensions"]["cost"] for body in self.bodies]

    def throttle_formulas(self) -> list[float]:
        """(requested - available) / restoreRate for each THROTTLED response, in order."""
        throttled = [body["extensions"]["cost"] for body in self.bodies
                     if "THROTTLED" in json.dumps(body.get("errors"))]
        return [(c["requestedQueryCost"] - c["throttleStatus"]["currentlyAvailable"])
                / c["throttleStatus"]["restoreRate"] for c in throttled]


class MeasuredSleep:
    """time.sleep, timing how long each wait really lasted."""

    def __init__(self) -> None:
        self.measured: list[float] = []

    def __call__(self, seconds: float) -> None:
        started = time.perf_counter()
        time.sleep(seconds)
        self.measured.append(time.perf_counter() - started)


@pytest.fixture
def devstore() -> Iterator[str]:
    """The development store served over HTTP under /devstore, as `lumen demo` mounts it."""
    app = create_devstore_app(access_tokens={TOKEN}, seed=7)
    server = make_server("127.0.0.1", 0, DispatcherMiddleware(NotFound(), {"/devstore": app}),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/devstore"
    server.shutdown()
    server.server_close()
    thread.join()


def control(base_url: str, **settings: Any) -> None:
    """Change the development store's bucket, latency or failure rate."""
    httpx.post(f"{base_url}/_control", json=settings).raise_for_status()


def devstore_client(base_url: str, transport: httpx.BaseTransport | None = None,
                    **options: Any) -> AdminClient:
    """An AdminClient pointed at the development store."""
    return AdminClient(DEVSTORE_SHOP, TOKEN, base_url=base_url, transport=transport, **options)


def test_devstore_lookup_stays_within_its_cost_budget(devstore):
    spy = Spy()
    with devstore_client(devstore, spy) as client:
        order = client.find_order_by_name(DEVSTORE_ORDER)
        assert client.find_order_by_name("#9999") is None
    assert order["name"] == DEVSTORE_ORDER and len(order["fulfillments"]) == 2
    (candidates, lookup, not_found) = spy.costs()
    assert candidates["requestedQueryCost"] <= CANDIDATES_BUDGET
    assert lookup["requestedQueryCost"] <= LOOKUP_BUDGET
    assert lookup["actualQueryCost"] < lookup["requestedQueryCost"]
    assert not_found["actualQueryCost"] <= candidates["actualQueryCost"]


FOLLOW_UP_BUDGET = 60


def test_a_verified_order_is_read_by_id_in_one_query_under_the_follow_up_budget(devstore):
    spy = Spy()
    with devstore_client(devstore, spy) as client:
        order = client.read_order(DEVSTORE_ORDER_ID, DEVSTORE_ORDER)
        assert client.read_order(DEVSTORE_ORDER_ID, "#1043") is None  # renamed since
    assert order["name"] == DEVSTORE_ORDER and len(order["fulfillments"]) == 2
    [follow_up, _] = spy.costs()
    assert follow_up["requestedQueryCost"] < FOLLOW_UP_BUDGET


def large_order(lines: int, packages: int, trackings: int) -> dict:
    """An ORDER_FOLLOW_UP answer with these many lines, packages and trackings per package."""
    package = {"trackingInfo": [{"number": str(n)} for n in range(trackings)],
               "fulfillmentLineItems": {"nodes": [], "pageInfo": {"hasNextPage": False}}}
    return {"id": "gid://shopify/Order/1", "name": "#1042",
            "lineItems": {"nodes": [{"title": "x"}] * lines,
                          "pageInfo": {"hasNextPage": lines > 10}},
            "fulfillments": [package] * packages}


@pytest.mark.parametrize(("lines", "packages", "trackings", "full_read"), [
    (2, 2, 1, False), (11, 1, 1, True), (1, 3, 1, True), (1, 1, 2, True),
])
def test_an_order_too_large_for_the_small_query_is_read_in_full(lines, packages, trackings,
                                                                full_read):
    small = large_order(lines, packages, trackings)
    full = {**small, "lineItems": {"nodes": [{"title": "x"}] * lines}}
    shopify = ScriptedShopify(ok({"order": small}), ok({"order": full}))
    order = make_client(shopify, Clock()).read_order("gid://shopify/Order/1", "#1042")
    sent = [json.loads(request.content)["query"] for request in shopify.requests]
    assert [("OrderLookup" in query) for query in sent] == [False, True][:1 + full_read]
    assert order == (full if full_read else small)


@pytest.mark.parametrize(
    ("name", "restore_rate"), [("ORDER_CANDIDATES", 40), ("ORDER_LOOKUP", 500)]
)
def test_drained_bucket_waits_the_restore_formula_then_succeeds(devstore, name, restore_rate):
    variables = ({"query": order_name_search(DEVSTORE_ORDER)} if name == "ORDER_CANDIDATES"
                 else {"id": DEVSTORE_ORDER_ID})
    spy, sleep = Spy(), MeasuredSleep()
    control(devstore, bucket_size=1000, restore_rate=restore_rate, drain=True)
    data = devstore_client(devstore, spy, sleep=sleep).execute(DOCUMENTS[name], variables)
    assert data  # no error reached the caller
    [formula] = spy.throttle_formulas()
    assert 0.15 <= formula <= 0.5 and len(sleep.measured) == 1
    assert formula <= sleep.measured[0] <= formula * 1.2


def test_drained_bucket_lookup_by_name_waits_then_returns_the_order(devstore):
    spy, sleep = Spy(), MeasuredSleep()
    control(devstore, bucket_size=1000, restore_rate=500, drain=True)
    order = devstore_client(devstore, spy, sleep=sleep).find_order_by_name(DEVSTORE_ORDER)
    assert order["name"] == DEVSTORE_ORDER
    formulas = spy.throttle_formulas()
    # The lookup query (the costlier of the two) is always throttled; the cheap candidate
    # search only if it arrives before the bucket restores its few points.
    assert len(formulas) == len(sleep.measured) >= 1
    assert sum(formulas) * 0.8 <= sum(sleep.measured) <= sum(formulas) * 1.2
    assert all(wait >= formula for wait, formula in zip(sleep.measured, formulas, strict=True))


def test_devstore_outage_is_retried_then_reported(devstore):
    control(devstore, failure_rate=1.0)
    clock = Clock()
    client = devstore_client(devstore, sleep=clock.sleep, clock=clock, max_attempts=3)
    with pytest.raises(ShopifyUnavailable, match="HTTP 50[23]"):
        client.find_order_by_name(DEVSTORE_ORDER)
    assert len(clock.waits) == 2


def test_devstore_rejects_a_wrong_token(devstore):
    client = AdminClient(DEVSTORE_SHOP, "shpat_revoked", base_url=devstore)
    with pytest.raises(ShopifyAuthError):
        client.find_order_by_name(DEVSTORE_ORDER)


def test_a_passed_in_transport_serves_call_after_call(devstore):
    spy = Spy()
    client = devstore_client(devstore, spy)
    assert client.find_order_by_name(DEVSTORE_ORDER)["name"] == DEVSTORE_ORDER
    assert client.find_order_by_name(DEVSTORE_ORDER)["name"] == DEVSTORE_ORDER
    assert len(spy.bodies) == 4
