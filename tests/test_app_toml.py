"""shopify.app.toml, shopify.web.toml and package.json say what the code does."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from lumen.devstore.webhooks import send_webhook
from lumen.shopify import API_VERSION
from lumen.webhooks.handlers import HANDLERS

ROOT = Path(__file__).resolve().parent.parent
APP = tomllib.loads((ROOT / "shopify.app.toml").read_text())
WEB = tomllib.loads((ROOT / "shopify.web.toml").read_text())
COMPLIANCE_TOPICS = {"customers/data_request", "customers/redact", "shop/redact"}


def subscriptions() -> list[dict]:
    return APP["webhooks"]["subscriptions"]


def test_api_version_is_the_one_the_code_uses():
    assert APP["webhooks"]["api_version"] == API_VERSION


def test_app_is_embedded_with_minimal_scopes():
    assert APP["embedded"] is True
    assert APP["application_url"].startswith("https://")
    assert APP["access_scopes"]["scopes"].split(",") == ["read_orders", "read_themes",
                                                         "read_legal_policies"]
    assert APP["build"]["automatically_update_urls_on_dev"] is True
    assert APP["auth"]["redirect_urls"]


def test_app_proxy_reaches_the_widget_blueprint():
    from lumen.widget import bp as widget_bp

    proxy = APP["app_proxy"]
    assert (proxy["prefix"], proxy["subpath"]) == ("apps", "lumen")
    assert urlsplit(proxy["url"]).path == widget_bp.url_prefix
    assert urlsplit(proxy["url"]).netloc == urlsplit(APP["application_url"]).netloc


def test_every_handled_topic_is_subscribed_and_nothing_else():
    topics = [topic for sub in subscriptions()
              for topic in sub.get("topics", []) + sub.get("compliance_topics", [])]
    assert sorted(topics) == sorted(HANDLERS)
    compliance = {topic for sub in subscriptions() for topic in sub.get("compliance_topics", [])}
    assert compliance == COMPLIANCE_TOPICS


@pytest.mark.parametrize("subscription", subscriptions(), ids=lambda sub: sub["uri"])
def test_each_subscription_uri_is_its_topics_route(app, subscription):
    [topic] = subscription.get("topics", []) + subscription.get("compliance_topics", [])
    assert subscription["uri"] == f"/webhooks/{topic}"
    adapter = app.url_map.bind("lumen.example.com")
    assert adapter.match(subscription["uri"], method="POST") == ("webhooks.receive",
                                                                 {"topic": topic})


def test_each_subscription_has_a_comment_naming_its_handler():
    text = (ROOT / "shopify.app.toml").read_text()
    for topic, handler in HANDLERS.items():
        comment = f"# lumen.webhooks.handlers.{handler.__name__} ->"
        uri_line = f'uri = "/webhooks/{topic}"'
        assert text.index(comment) < text.index(uri_line), topic


def test_web_toml_serves_one_process_for_both_roles():
    assert sorted(WEB["roles"]) == ["backend", "frontend"]
    # The CLI splits commands on spaces and runs them without a shell.
    assert "$" not in WEB["commands"]["dev"] and "gunicorn" in WEB["commands"]["dev"]
    for command in WEB["commands"].values():
        assert (ROOT / command.split(" ")[0]).name in {"gunicorn", "flask"}


def test_package_json_only_drives_shopify_cli():
    package = json.loads((ROOT / "package.json").read_text())
    assert package["private"] is True
    assert set(package["scripts"]) >= {"shopify", "dev", "deploy"}
    assert list(package.get("dependencies", {})) == []
    assert "@shopify/cli" in package["devDependencies"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cli_command(name: str) -> list[str]:
    """shopify.web.toml's command as Shopify CLI runs it: split on spaces, no shell."""
    return WEB["commands"][name].split(" ")


@pytest.mark.integration
def test_shopify_cli_commands_serve_webhooks_on_the_port_it_chooses(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("LUMEN_")}
    env.update(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'dev.db'}",
               SHOPIFY_API_KEY="cli-key", SHOPIFY_API_SECRET="cli-secret")
    predev = subprocess.run(_cli_command("predev"), cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert predev.returncode == 0, predev.stderr
    with open(tmp_path / "dev.log", "w") as log:
        server = subprocess.Popen(_cli_command("dev"), cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            _wait_for_health(f"http://127.0.0.1:{port}/healthz")
            response = send_webhook(f"http://127.0.0.1:{port}", "shop/redact",
                                    "cli.myshopify.com",
                                    {"shop_id": 1, "shop_domain": "cli.myshopify.com"},
                                    "cli-secret")
            assert (response.status_code, response.json()) == (200, {"status": "accepted"})
        finally:
            server.terminate()
            server.wait(timeout=15)


def _wait_for_health(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout}s")
