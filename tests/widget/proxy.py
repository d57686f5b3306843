"""Test helpers that talk to the widget API as Shopify's app proxy forwards a shopper."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lumen.demo.proxy_shim import signed_proxy_query

SHOPPER_IP = "203.0.113.7"


class ProxyClient:
    """Signs every request with the app's secret, as Shopify's proxy does, for one shop."""

    def __init__(self, client: FlaskClient, shop_domain: str, secret: str,
                 ip: str = SHOPPER_IP):
        self.client = client
        self.shop_domain = shop_domain
        self.secret = secret
        self.ip = ip

    def url(self, path: str, *, query: Iterable[tuple[str, str]] = (),
            timestamp: int | None = None, secret: str | None = None,
            shop_domain: str | None = None) -> str:
        """``/proxy/<path>`` with a signed proxy query (overrides make it stale or forged)."""
        signed = signed_proxy_query(shop_domain or self.shop_domain, secret or self.secret,
                                    query, timestamp=timestamp)
        return f"/proxy/{path}?{signed}"

    def post(self, path: str, body: Any = None, *, data: bytes | str | None = None,
             ip: str | None = None, **signing: Any) -> TestResponse:
        """POST ``body`` as JSON (or raw ``data``) to ``/proxy/<path>``, signed."""
        headers = {"X-Forwarded-For": ip or self.ip}
        if data is not None:
            return self.client.post(self.url(path, **signing), data=data, headers=headers,
                                    content_type="application/json")
        return self.client.post(self.url(path, **signing), json=body, headers=headers)

    def start(self, ip: str | None = None) -> str:
        """A new session's token."""
        response = self.post("api/sessions", {}, ip=ip)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()["session"]


class Chat:
    """One shopper's widget session: say something, read the replies."""

    def __init__(self, proxy: ProxyClient, ip: str | None = None):
        self.proxy = proxy
        self.ip = ip
        self.token = proxy.start(ip=ip)

    def send(self, text: str) -> TestResponse:
        """POST the message and return the raw response; keep the token it hands back (it
        changes when an order is verified), as the widget does."""
        response = self.proxy.post("api/messages", {"session": self.token, "text": text},
                                   ip=self.ip)
        if response.status_code == 200:
            self.token = response.get_json()["session"]
        return response

    def say(self, text: str) -> str:
        """Send ``text``; return all replies' texts and link URLs as one string."""
        response = self.send(text)
        assert response.status_code == 200, response.get_data(as_text=True)
        return replies_text(response.get_json()["replies"])

    def feedback(self, rating: str) -> TestResponse:
        """Rate the conversation."""
        return self.proxy.post("api/feedback", {"session": self.token, "rating": rating},
                               ip=self.ip)


def replies_text(replies: list[dict[str, Any]]) -> str:
    """Everything a shopper sees in ``replies``: texts, link labels and URLs, quick replies."""
    parts = []
    for reply in replies:
        parts.append(reply["text"])
        parts.extend(f"{link['label']} {link['url']}" for link in reply["links"])
        parts.extend(reply["quick_replies"])
    return "\n".join(parts)
