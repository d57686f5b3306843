"""Limits count the shopper's IP as Shopify forwards it, never the proxy's own address."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder

from lumen.widget import limits
from lumen.widget.proxy_auth import UNKNOWN_IP, shopper_ip


def request_with(app, forwarded_for: str | None, remote_addr: str = "10.0.0.5"):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    builder = EnvironBuilder(path="/proxy/api/sessions", headers=headers,
                             environ_base={"REMOTE_ADDR": remote_addr})
    return app.request_class(builder.get_environ())


@pytest.mark.parametrize(("forwarded_for", "expected"), [
    ("198.51.100.23", "198.51.100.23"),
    # Entries before Shopify's may have been sent by the shopper: only the last one counts.
    ("6.6.6.6, 198.51.100.23", "198.51.100.23"),
    ("2001:db8::1", "2001:db8::1"),
    ("not-an-ip", UNKNOWN_IP),
    ("", UNKNOWN_IP),
    (None, UNKNOWN_IP),
])
def test_shopper_ip_is_the_address_shopify_forwarded(app, forwarded_for, expected):
    assert shopper_ip(request_with(app, forwarded_for)) == expected


def test_hops_added_by_our_own_load_balancers_are_skipped(app):
    app.config["LUMEN_TRUSTED_PROXY_HOPS"] = 1
    assert shopper_ip(request_with(app, "6.6.6.6, 198.51.100.23, 10.1.2.3")) == "198.51.100.23"
    assert shopper_ip(request_with(app, "10.1.2.3")) == UNKNOWN_IP


def test_shoppers_behind_one_proxy_address_have_separate_limits(proxy, monkeypatch):
    monkeypatch.setattr(limits, "IP_REQUESTS_PER_MINUTE", 2)
    for _ in range(2):
        assert proxy.post("api/sessions", {}, ip="198.51.100.1").status_code == 201
    assert proxy.post("api/sessions", {}, ip="198.51.100.1").status_code == 429
    # Same proxy connection (remote address), another shopper: not limited.
    assert proxy.post("api/sessions", {}, ip="198.51.100.2").status_code == 201
