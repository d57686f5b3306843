"""Only the body is signed: a captured body cannot be replayed as another topic or shop, or
long after Shopify triggered it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lumen.webhooks.payloads import parse_timestamp
from tests.webhooks.conftest import TOPICS, payload_for


@pytest.fixture
def shop(create_shop):
    return create_shop()


@pytest.mark.parametrize(("captured", "replayed_as"), [
    (captured, replayed_as) for captured in TOPICS for replayed_as in TOPICS
    if captured != replayed_as])
def test_a_body_replayed_as_another_topic_is_refused(captured, replayed_as, webhooks,
                                                    recorded_jobs, shop):
    response = webhooks.post(replayed_as, payload_for(captured, shop), shop.domain)
    assert response.status_code == 400
    assert response.get_json()["error"] == "payload_mismatch"
    assert recorded_jobs.count == 0


@pytest.mark.parametrize("topic", ["app/uninstalled", "shop/redact", "customers/redact",
                                   "customers/data_request"])
def test_a_body_replayed_for_another_shop_is_refused(topic, webhooks, recorded_jobs, shop,
                                                    create_shop):
    other = create_shop()
    response = webhooks.post(topic, payload_for(topic, shop), other.domain)
    assert response.status_code == 400
    assert response.get_json()["error"] == "shop_mismatch"
    assert recorded_jobs.count == 0


@pytest.mark.parametrize("topic", ["app/uninstalled", "shop/redact"])
def test_a_body_without_its_shop_is_refused(topic, webhooks, recorded_jobs, shop):
    payload = payload_for(topic, shop)
    payload.pop("shop_domain", None), payload.pop("myshopify_domain", None)
    response = webhooks.post(topic, payload, shop.domain)
    assert response.status_code == 400 and recorded_jobs.count == 0


@pytest.mark.parametrize(("age", "status"), [
    (timedelta(0), 200), (timedelta(hours=4), 200), (timedelta(days=3), 400),
    (timedelta(minutes=-30), 400),
])
def test_deliveries_triggered_long_ago_are_refused(age, status, webhooks, recorded_jobs, shop):
    moment = (datetime.now(UTC) - age).strftime("%Y-%m-%dT%H:%M:%S.%f123Z")
    response = webhooks.post("shop/redact", payload_for("shop/redact", shop), shop.domain,
                             headers={"X-Shopify-Triggered-At": moment})
    assert response.status_code == status
    if status == 400:
        assert response.get_json()["error"] == "stale_delivery"
        assert recorded_jobs.count == 0


def test_a_malformed_triggered_at_is_refused(webhooks, recorded_jobs, shop):
    response = webhooks.post("shop/redact", payload_for("shop/redact", shop), shop.domain,
                             headers={"X-Shopify-Triggered-At": "yesterday"})
    assert response.status_code == 400 and recorded_jobs.count == 0


def test_shopify_timestamps_with_nanoseconds_parse():
    assert parse_timestamp("2023-03-29T18:00:27.877041743Z") == datetime(
        2023, 3, 29, 18, 0, 27, 877041, tzinfo=UTC)
    assert parse_timestamp("2023-03-29T18:00:27-04:00").utcoffset() == timedelta(hours=-4)
    with pytest.raises(ValueError):
        parse_timestamp("2023-03-29T18:00:27")
