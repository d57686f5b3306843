"""`lumen demo` starts the whole embedded default in one command."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo(tmp_path):
    """A `lumen demo` process on a free port with its own instance folder."""
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("LUMEN_") and key not in ("DATABASE_URL", "REDIS_URL")}
    env["LUMEN_INSTANCE_PATH"] = str(tmp_path / "instance")
    lumen = Path(sys.executable).with_name("lumen")
    with open(tmp_path / "demo.log", "w") as log:
        process = subprocess.Popen([str(lumen), "demo", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process)
            yield base, tmp_path / "instance"
        finally:
            process.terminate()
            process.wait(timeout=10)


def wait_until_healthy(base: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Poll /healthz until it answers 200 or the process dies (the first start seeds the demo
    history, which takes seconds, more on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "lumen demo exited early"
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("lumen demo never became healthy")


def test_demo_serves_health_storefront_and_development_store(demo):
    base, instance = demo
    assert httpx.get(base + "/healthz").json() == {"database": "ok", "redis": "ok",
                                                     "status": "ok"}
    page = httpx.get(base + "/")
    assert page.status_code == 200 and "lumen-widget.js" in page.text
    unauthenticated = httpx.post(base + "/devstore/admin/api/2026-04/graphql.json",
                                 json={"query": "{ shop { name } }"})
    assert unauthenticated.status_code == 401
    assert (instance / "lumen.db").exists()
    assert (instance / "development-secrets.json").exists()


def test_demo_restarts_on_an_existing_database(demo, tmp_path):
    base, instance = demo
    secrets_before = (instance / "development-secrets.json").read_text()
    # A second start migrates the existing database and reuses the stored secrets.
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("LUMEN_")}
    env["LUMEN_INSTANCE_PATH"] = str(instance)
    lumen = Path(sys.executable).with_name("lumen")
    with subprocess.Popen([str(lumen), "demo", "--port", str(port)], cwd=ROOT, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as second:
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", second)
        finally:
            second.terminate()
    assert (instance / "development-secrets.json").read_text() == secrets_before


def test_demo_rejects_a_malformed_fixture_file(tmp_path):
    bad = tmp_path / "orders.json"
    bad.write_text('{"shop": "x.myshopify.com", "orders": [{"email": "a@example.com"}]}')
    env = {key: value for key, value in os.environ.items() if not key.startswith("LUMEN_")}
    env["LUMEN_INSTANCE_PATH"] = str(tmp_path / "instance")
    lumen = Path(sys.executable).with_name("lumen")
    result = subprocess.run([str(lumen), "demo", "--port", "0", "--fixtures", str(bad)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "orders.json" in result.stderr and "name" in result.stderr
