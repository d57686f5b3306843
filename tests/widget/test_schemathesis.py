"""The widget API against its OpenAPI document: no 5xx, every response as documented.

Every generated request is signed the way Shopify's proxy signs it, unless the generator
deliberately broke the query (then the API must refuse it). Half the generated session
tokens are swapped for live ones, so messages and feedback reach the engine and Shopify.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from lumen.demo.proxy_shim import signed_proxy_query
from lumen.widget.views import OPENAPI_PATH
from tests.conftest import TEST_SECRETS

# Over-long text is refused with the contract's 413 (message_too_long), not a 400.
CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": [400, 401, 404, 405, 413, 429]}}})
schema = schemathesis.openapi.from_path(OPENAPI_PATH, config=CONFIG)


def shopper_ip(case) -> str:
    # One address per generated request, so the per-IP limit does not end the run early.
    digest = hashlib.sha256(repr((case.body, case.query)).encode()).digest()
    return f"198.51.{digest[0]}.{digest[1] or 1}"


def sign(case, shop_domain: str) -> None:
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.QUERY):
        return
    case.query = dict(parse_qsl(signed_proxy_query(shop_domain,
                                                   TEST_SECRETS["SHOPIFY_API_SECRET"]),
                                keep_blank_values=True))


def use_live_session(case, proxy) -> None:
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("session"), str):
        if len(body["session"]) % 2 == 0:
            case.body = {**body, "session": proxy.start(ip=shopper_ip(case))}


@schema.parametrize()
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_widget_api_conforms_to_its_openapi_document(case, app, proxy):
    sign(case, proxy.shop_domain)
    use_live_session(case, proxy)
    response = case.call_and_validate(app=app, headers={"X-Forwarded-For": shopper_ip(case)})
    assert response.status_code < 500


def test_the_document_is_published_without_the_proxy_gate(client):
    response = client.get("/openapi/widget.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.get_data(as_text=True) == OPENAPI_PATH.read_text(encoding="utf-8")
