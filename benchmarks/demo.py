"""Benchmark: sequential turns in ``lumen demo``, as one person trying the demo would play them.

Starts ``lumen demo`` on a free loopback port with a fresh instance folder (so it seeds its
history first), then plays conversations one after another through the widget API, signed as
Shopify's app proxy would sign them (with the demo's development secret), each from its own
address as different visitors would be (the demo's own shim forwards one address, which the
per-address limits would stop): order number, email, three follow-ups. Reports the client's
round trip per turn.

    .venv/bin/python benchmarks/demo.py [--conversations 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conversations import free_port, percentile, wait_for  # noqa: E402

from lumen.demo.proxy_shim import signed_proxy_query  # noqa: E402
from lumen.devstore import load_fixtures  # noqa: E402

FOLLOW_UPS = ("Can I get the tracking link?", "Has it shipped?", "When will it arrive?")


def play(base: str, secret: str, conversations: int) -> list[float]:
    """Sequential conversations; each turn's round trip in milliseconds."""
    fixtures = load_fixtures(None)
    orders = [order for order in fixtures["orders"] if order.get("email")]
    times = []

    def url(endpoint: str) -> str:
        return f"/proxy/api/{endpoint}?{signed_proxy_query(fixtures['shop'], secret)}"

    with httpx.Client(base_url=base, timeout=60) as http:
        for index in range(conversations):
            order = orders[index % len(orders)]
            headers = {"X-Forwarded-For": f"10.8.{index // 250}.{index % 250 + 1}"}
            started = http.post(url("sessions"), json={}, headers=headers)
            started.raise_for_status()
            token = started.json()["session"]
            for text in (f"Where is my order {order['name']}?", order["email"], *FOLLOW_UPS):
                started = time.perf_counter()
                response = http.post(url("messages"), headers=headers,
                                     json={"session": token, "text": text})
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                token = response.json()["session"]
    return times


def main(argv: list[str] | None = None) -> None:
    """Start the demo, play, print per-turn round trips, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=60)
    args = parser.parse_args(argv)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("LUMEN_") and key not in ("DATABASE_URL", "REDIS_URL")}
    with tempfile.TemporaryDirectory(prefix="lumen-demo-bench-") as workdir:
        env["LUMEN_INSTANCE_PATH"] = str(Path(workdir) / "instance")
        # `lumen demo`, with this checkout's code first on the path (as the console script
        # would run it from an installed checkout).
        command = [sys.executable, "-c", "from lumen.cli import main; main()", "demo"]
        with open(Path(workdir) / "demo.log", "w") as log:
            demo = subprocess.Popen([*command, "--port", str(port), "--plan",
                                     "pro_plus"], cwd=ROOT, env=env, stdout=log,
                                    stderr=subprocess.STDOUT)
            try:
                wait_for(base + "/healthz", demo, timeout=180)
                secrets = json.loads((Path(env["LUMEN_INSTANCE_PATH"])
                                      / "development-secrets.json").read_text())
                play(base, secrets["SHOPIFY_API_SECRET"], 2)  # warm-up
                began = time.perf_counter()
                times = play(base, secrets["SHOPIFY_API_SECRET"], args.conversations)
                wall = time.perf_counter() - began
            finally:
                demo.terminate()
                demo.wait(timeout=20)
    print(f"{args.conversations} sequential conversations x 5 turns in lumen demo: "
          f"mean {statistics.fmean(times):.1f} ms per turn, p50 {percentile(times, 0.5):.1f} ms,"
          f" p99 {percentile(times, 0.99):.1f} ms ({wall:.1f} s in all); load average "
          + " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
