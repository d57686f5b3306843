"""Oversized bodies are refused (413, in each blueprint's own shape) before a byte is read,
and before any gate runs; bodies without a length are cut off at the limit."""

from __future__ import annotations

import io

import pytest

from lumen.request_limits import APP_MAX_BODY, BLUEPRINT_MAX_BODY

HUGE = 200 * 1024 * 1024


class CountingStream(io.RawIOBase):
    """A body of ``size`` bytes that is never held in memory, counting what is read."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.read_bytes)
        buffer[:count] = b"x" * count
        self.read_bytes += count
        return count


def post(client, path: str, stream: CountingStream, *, length: bool = True, **headers):
    """POST ``stream`` as the raw WSGI input, with its Content-Length or chunked (none)."""
    environ = {"wsgi.input": stream}
    if length:
        environ["CONTENT_LENGTH"] = str(stream.size)
    else:
        # As a server hands over a chunked body: no length, the stream ends itself.
        environ["wsgi.input_terminated"] = True
        headers["Transfer-Encoding"] = "chunked"
    return client.post(path, headers=headers, environ_overrides=environ)


@pytest.mark.parametrize("path", ["/webhooks/shop/redact", "/webhooks/app/uninstalled"])
def test_a_huge_webhook_is_refused_unread_in_the_json_shape(client, path):
    stream = CountingStream(HUGE)
    response = post(client, path, stream, **{"X-Shopify-Hmac-Sha256": "AAAA"})
    assert response.status_code == 413
    assert response.get_json()["error"] == "request_entity_too_large"
    assert stream.read_bytes == 0


def test_a_huge_admin_post_is_refused_unread_before_authentication(client):
    stream = CountingStream(HUGE)
    response = post(client, "/admin/settings", stream,
                    **{"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "Request Entity Too Large" in response.text
    assert stream.read_bytes == 0


def test_a_widget_body_over_its_limit_is_refused_in_the_widget_shape(client):
    stream = CountingStream(BLUEPRINT_MAX_BODY["widget"] + 1)
    response = post(client, "/proxy/api/messages", stream,
                    **{"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.get_json() == {"error": "request_too_large",
                                   "message": "The request body is too large."}
    assert stream.read_bytes == 0


def test_outside_any_blueprint_the_app_wide_limit_holds(app, client):
    assert app.config["MAX_CONTENT_LENGTH"] == APP_MAX_BODY
    assert all(limit < 1024 * 1024 for limit in BLUEPRINT_MAX_BODY.values())
    stream = CountingStream(APP_MAX_BODY + 1)
    assert post(client, "/no-such-page", stream).status_code == 413
    assert stream.read_bytes == 0


def test_a_body_without_a_length_is_cut_off_at_the_limit(client):
    stream = CountingStream(HUGE)
    response = post(client, "/webhooks/shop/redact", stream, length=False,
                    **{"X-Shopify-Hmac-Sha256": "AAAA"})
    assert response.status_code == 413
    assert stream.read_bytes <= BLUEPRINT_MAX_BODY["webhooks"] + 64 * 1024


def test_a_chunked_body_under_the_limit_is_read_as_usual(client, create_shop):
    import json

    from tests.shopify_signing import sign_webhook

    shop = create_shop()
    body = json.dumps({"shop_id": 1, "shop_domain": shop.domain}).encode()
    environ = {"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True}
    headers = {"Transfer-Encoding": "chunked", "Content-Type": "application/json",
               "X-Shopify-Topic": "shop/redact", "X-Shopify-Shop-Domain": shop.domain,
               "X-Shopify-Webhook-Id": "chunked-1",
               "X-Shopify-Hmac-Sha256": sign_webhook(body, "test-api-secret")}
    response = client.post("/webhooks/shop/redact", headers=headers, environ_overrides=environ)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_widget_limit_is_the_one_its_inputs_document():
    from lumen.widget.inputs import MAX_BODY_BYTES

    assert BLUEPRINT_MAX_BODY["widget"] == MAX_BODY_BYTES
