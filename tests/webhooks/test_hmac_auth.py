"""The one gate: every topic refuses a bad signature with 401 and handles a delivery once."""

from __future__ import annotations

import json
import time

import pytest
import redis
from sqlalchemy import func, select

from lumen.extensions import db
from lumen.models import WebhookDelivery
from tests.shopify_signing import sign_webhook
from tests.webhooks.conftest import TOPICS, payload_for


def deliveries() -> int:
    return db.session.scalar(select(func.count()).select_from(WebhookDelivery))


@pytest.fixture
def shop(create_shop):
    return create_shop()


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("forgery", ["wrong_secret", "missing", "tampered_body", "garbage"])
def test_every_topic_refuses_a_bad_signature(topic, forgery, webhooks, recorded_jobs, shop):
    payload = payload_for(topic, shop)
    body = b'{"shop_domain": "%s"}' % shop.domain.encode()
    kwargs = {
        "wrong_secret": {"signature": sign_webhook(body, "not-the-app-secret"), "body": body},
        "missing": {"headers": {"X-Shopify-Hmac-Sha256": ""}},
        "tampered_body": {"signature": sign_webhook(body, webhooks.secret),
                          "body": body.replace(b"}", b', "extra": 1}')},
        "garbage": {"signature": "not base64 at all"},
    }[forgery]
    response = webhooks.post(topic, payload, shop.domain, **kwargs)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_hmac"
    assert recorded_jobs.count == 0 and deliveries() == 0


def test_a_body_that_is_not_utf8_is_refused(webhooks, recorded_jobs, shop):
    body = b'{"shop_domain": "\xff"}'
    response = webhooks.post("shop/redact", None, shop.domain, body=body,
                             signature=sign_webhook(body, webhooks.secret))
    assert response.status_code == 401
    assert recorded_jobs.count == 0


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_enqueues_once_under_duplicate_delivery(topic, webhooks, recorded_jobs,
                                                            shop):
    payload = payload_for(topic, shop)
    first = webhooks.post(topic, payload, shop.domain, webhook_id="b54557e4-dup")
    second = webhooks.post(topic, payload, shop.domain, webhook_id="b54557e4-dup")
    assert first.status_code == second.status_code == 200
    assert first.get_json() == {"status": "accepted"}
    assert second.get_json() == {"status": "duplicate"}
    assert recorded_jobs.count == 1
    assert deliveries() == 1


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_enqueues_its_own_job_and_answers_fast(topic, webhooks, recorded_jobs, shop):
    started = time.perf_counter()
    response = webhooks.post(topic, payload_for(topic, shop), shop.domain)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 0.5
    [job] = recorded_jobs.jobs
    expected = {
        "app/uninstalled": "lumen.jobs.privacy.uninstall_shop",
        "app_subscriptions/update": "lumen.jobs.billing.refresh_plan",
        "shop/redact": "lumen.jobs.privacy.redact_shop",
        "customers/redact": "lumen.jobs.privacy.redact_customer",
        "customers/data_request": "lumen.jobs.privacy.export_customer_data",
    }[topic]
    assert job.func_name == expected
    assert job.get_status() == "queued"


def test_job_arguments_carry_ids_and_hashes_never_the_email(app, webhooks, recorded_jobs, shop):
    from lumen.security import email_hash

    payload = payload_for("customers/redact", shop, email=" Ada@Example.com ",
                          order_ids=(450789469, 450789470))
    webhooks.post("customers/redact", payload, shop.domain)
    [job] = recorded_jobs.jobs
    assert job.args == (shop.domain, email_hash("ada@example.com"),
                        ["gid://shopify/Order/450789469", "gid://shopify/Order/450789470"])
    assert b"example.com" not in recorded_jobs.connection.hget(job.key, "data")


def test_subscription_update_enqueues_the_plan_refresh_with_the_shop_id(webhooks, recorded_jobs,
                                                                        shop):
    webhooks.post("app_subscriptions/update", payload_for("app_subscriptions/update", shop),
                  shop.domain)
    [job] = recorded_jobs.jobs
    assert job.args == (shop.id,)


def test_subscription_update_for_an_unknown_shop_enqueues_nothing(webhooks, recorded_jobs):
    response = webhooks.post("app_subscriptions/update", {"app_subscription": {}},
                             "nobody.myshopify.com")
    assert response.status_code == 200
    assert recorded_jobs.count == 0


def test_unknown_topic_is_acknowledged_and_ignored(webhooks, recorded_jobs, shop):
    response = webhooks.post("orders/create", {"id": 1}, shop.domain)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ignored"}
    assert recorded_jobs.count == 0 and deliveries() == 0


def test_unknown_topic_still_needs_a_valid_signature(webhooks, shop):
    response = webhooks.post("orders/create", {"id": 1}, shop.domain, signature="AAAA")
    assert response.status_code == 401


@pytest.mark.parametrize("change, code", [
    ({"path_topic": "shop/redact", "topic": "customers/redact"}, "topic_mismatch"),
    ({"headers": {"X-Shopify-Webhook-Id": ""}}, "invalid_headers"),
    ({"headers": {"X-Shopify-Topic": ""}}, "invalid_headers"),
    ({"shop_domain": "evil.example.com"}, "invalid_headers"),
    ({"shop_domain": "other-shop.myshopify.com"}, "shop_mismatch"),
    ({"body": b"[1, 2]"}, "invalid_payload"),
    ({"body": b"not json"}, "invalid_payload"),
])
def test_inconsistent_signed_deliveries_are_refused(change, code, webhooks, recorded_jobs, shop):
    arguments = {"topic": "shop/redact", "payload": payload_for("shop/redact", shop),
                 "shop_domain": shop.domain, **change}
    response = webhooks.post(**arguments)
    assert response.status_code == 400
    assert response.get_json()["error"] == code
    assert recorded_jobs.count == 0 and deliveries() == 0


def test_malformed_order_ids_are_refused(webhooks, recorded_jobs, shop):
    payload = {**payload_for("customers/redact", shop), "orders_to_redact": ["x"]}
    response = webhooks.post("customers/redact", payload, shop.domain)
    assert response.status_code == 400
    assert recorded_jobs.count == 0 and deliveries() == 0


def test_get_is_not_allowed(client):
    assert client.get("/webhooks/shop/redact").status_code == 405


def test_a_failed_enqueue_answers_500_and_lets_shopify_retry(webhooks, recorded_jobs, shop,
                                                             monkeypatch):
    def redis_down(*args, **kwargs):
        raise redis.ConnectionError("Redis is down")

    monkeypatch.setattr("lumen.webhooks.handlers.enqueue", redis_down)
    payload = payload_for("shop/redact", shop)
    failed = webhooks.post("shop/redact", payload, shop.domain, webhook_id="retry-me")
    assert failed.status_code == 500
    assert failed.get_json()["error"] == "internal_error"
    assert deliveries() == 0
    monkeypatch.undo()
    retried = webhooks.post("shop/redact", payload, shop.domain, webhook_id="retry-me")
    assert retried.get_json() == {"status": "accepted"}
    assert recorded_jobs.count == 1


def test_the_signature_covers_the_exact_utf8_bytes(webhooks, recorded_jobs, shop):
    payload = {"shop_id": 1, "shop_domain": shop.domain, "note": "Zoë — 東京"}
    body = json.dumps(payload, ensure_ascii=False).encode()
    response = webhooks.post("shop/redact", None, shop.domain, body=body,
                             signature=sign_webhook(body, webhooks.secret))
    assert response.get_json() == {"status": "accepted"}
    assert recorded_jobs.count == 1
