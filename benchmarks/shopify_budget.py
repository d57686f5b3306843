"""Benchmark: what each kind of turn costs in Admin API points, and one store's budget.

Plays verified conversations (order number, email, two follow-ups, and a follow-up after the
order cache has expired) through the signed widget API of an in-process app against the
development store on a loopback port, recording every Admin API call the app makes: its
operation, requested cost and actual cost. From the actual points per verified conversation and
Shopify's published standard-plan limits it derives the conversations per second one store
sustains before the client has to wait for the bucket, then checks that figure by playing
conversations at 90% and 200% of it against a store with exactly those limits.

    .venv/bin/python benchmarks/shopify_budget.py [--conversations 20] [--check-seconds 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from werkzeug.serving import make_server  # noqa: E402

from lumen import create_app  # noqa: E402
from lumen.demo import install_demo_shop  # noqa: E402
from lumen.demo.proxy_shim import signed_proxy_query  # noqa: E402
from lumen.devstore import (  # noqa: E402
    STANDARD_BUCKET_SIZE,
    STANDARD_RESTORE_RATE,
    create_devstore_app,
    load_fixtures,
)
from lumen.devstore.ledger import CallLedger  # noqa: E402
from lumen.extensions import db  # noqa: E402
from lumen.models import Plan  # noqa: E402
from lumen.security import generate_secrets  # noqa: E402

TOKEN = "shpat_budget_benchmark"
TURNS = ("order number", "email (verifies)", "follow-up: tracking link",
         "follow-up: has it shipped", "follow-up after the cache expired")



def serve(wsgi_app) -> tuple[str, object]:
    """Serve ``wsgi_app`` on a free loopback port in a thread; (base URL, server)."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def make_app(store_url: str, workdir: Path):
    """The app on SQLite and the in-process Redis stand-in, Shopify being the dev store."""
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'budget.db'}",
              "LUMEN_SHOPIFY_ADMIN_URL": store_url, **generate_secrets()}
    app = create_app(config, environ={})
    from lumen.widget import limits

    limits.SESSION_MESSAGES_PER_MINUTE = 1_000_000  # the cache-expiry step is quick
    with app.app_context():
        db.create_all()
        # Pro+: the free plan's 100 conversations a month would end the run early.
        install_demo_shop(load_fixtures(None)["shop"], TOKEN).plan = Plan.PRO_PLUS
        db.session.commit()
    return app


class Shopper:
    """Plays conversations through the signed widget API with the app's test client."""

    def __init__(self, app, shop: str, number: int):
        self.client, self.shop, self.secret = (app.test_client(), shop,
                                               app.config["SHOPIFY_API_SECRET"])
        # Each shopper from its own address, as on a real storefront (per-address limits).
        self.headers = {"X-Forwarded-For": f"10.{number // 250 % 250}.{number % 250}.1"}

    def send(self, token: str, text: str) -> str:
        """One message; the token for the next one."""
        query = signed_proxy_query(self.shop, self.secret)
        response = self.client.post(f"/proxy/api/messages?{query}",
                                    json={"session": token, "text": text},
                                    headers=self.headers)
        if response.status_code != 200:
            raise SystemExit(f"turn failed: {response.status_code} {response.get_data()[:200]}")
        return response.get_json()["session"]

    def start(self) -> str:
        """A new session's token."""
        query = signed_proxy_query(self.shop, self.secret)
        response = self.client.post(f"/proxy/api/sessions?{query}", json={},
                                    headers=self.headers)
        if response.status_code != 201:
            raise SystemExit(f"no session: {response.status_code} {response.get_data()[:200]}")
        return response.get_json()["session"]


def forget_cached_orders(app) -> None:
    """Drop every cached order, as CACHE_SECONDS passing would."""
    from lumen.queue import get_redis

    with app.app_context():
        redis = get_redis()
        for key in redis.scan_iter("lumen:order:*"):
            redis.delete(key)


def per_turn_costs(app, ledger: CallLedger, orders: list[dict], shop: str, count: int) -> dict:
    """Play ``count`` conversations; the Admin API calls of each kind of turn."""
    by_turn = defaultdict(list)
    for index in range(count):
        shopper, order = Shopper(app, shop, index), orders[index % len(orders)]
        token = shopper.start()
        messages = (f"Where is my order {order['name']}?", order["email"],
                    "Can I get the tracking link?", "Has it shipped?", "When will it arrive?")
        for turn, text in zip(TURNS, messages, strict=True):
            if turn == TURNS[-1]:
                forget_cached_orders(app)
            ledger.take()
            token = shopper.send(token, text)
            by_turn[turn].append(ledger.take())
    return by_turn


def print_costs(by_turn: dict) -> float:
    """Print the per-turn table; return the actual points of one verified conversation
    (order number, email, two follow-ups)."""
    print("\n| turn | Admin API queries | requested points | actual points |")
    print("|---|---|---|---|")
    conversation = 0.0
    for turn in TURNS:
        calls = by_turn[turn]
        queries = statistics.fmean(len(c) for c in calls)
        requested = statistics.fmean(sum(call.requested or 0 for call in c) for c in calls)
        actual = statistics.fmean(sum(call.actual for call in c) for c in calls)
        names = sorted({call.operation for c in calls for call in c})
        print(f"| {turn} | {queries:.1f} ({', '.join(names) or 'none'}) | {requested:.1f} "
              f"| {actual:.1f} |")
        if turn != TURNS[-1]:
            conversation += actual
    return conversation


def check_rate(app, ledger: CallLedger, orders: list[dict], shop: str, rate: float,
               seconds: float) -> tuple[int, int, float | None]:
    """Start verified conversations at ``rate`` per second for ``seconds``; (conversations,
    throttled answers, seconds until the first one)."""
    ledger.take()
    started, done, first_throttle = time.monotonic(), [0], [None]

    def one(index: int) -> None:
        shopper, order = Shopper(app, shop, 1000 + index), orders[index % len(orders)]
        token = shopper.start()
        for text in (f"Where is my order {order['name']}?", order["email"],
                     "Can I get the tracking link?", "Has it shipped?"):
            token = shopper.send(token, text)
            if first_throttle[0] is None and any(call.throttled for call in ledger.calls):
                first_throttle[0] = time.monotonic() - started
        done[0] += 1

    threads, index = [], 0
    while time.monotonic() - started < seconds:
        thread = threading.Thread(target=one, args=(index,))
        thread.start()
        threads.append(thread)
        index += 1
        time.sleep(max(0.0, started + index / rate - time.monotonic()))
    for thread in threads:
        thread.join()
    throttled = sum(call.throttled for call in ledger.take())
    return done[0], throttled, first_throttle[0]


def main(argv: list[str] | None = None) -> None:
    """Measure per-turn costs, derive the store budget, check it at 90% and 200%."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--check-seconds", type=float, default=40.0)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    fixtures = load_fixtures(None)
    shop, orders = fixtures["shop"], [o for o in fixtures["orders"] if o.get("email")]
    store = create_devstore_app(fixtures, access_tokens={TOKEN}, bucket_size=1_000_000,
                                restore_rate=1_000_000)
    ledger = CallLedger(store)
    store_url, server = serve(ledger)
    with tempfile.TemporaryDirectory(prefix="lumen-budget-") as workdir:
        app = make_app(store_url, Path(workdir))
        conversation = print_costs(per_turn_costs(app, ledger, orders, shop,
                                                  args.conversations))
        sustained = STANDARD_RESTORE_RATE / conversation
        print(f"\nactual points per verified conversation (4 turns): {conversation:.1f}; "
              f"standard plan: {STANDARD_BUCKET_SIZE:g}-point bucket restoring "
              f"{STANDARD_RESTORE_RATE:g} points/s -> {sustained:.2f} verified conversations/s "
              f"({sustained * 60:.0f} a minute) sustained")
        store.extensions["devstore"].bucket.configure(STANDARD_BUCKET_SIZE,
                                                      STANDARD_RESTORE_RATE)
        for share in (0.9, 2.0):
            made, throttled, first = check_rate(app, ledger, orders, shop, sustained * share,
                                                args.check_seconds)
            when = f"first after {first:.1f} s" if first is not None else "none"
            print(f"  at {share:.0%} of it ({sustained * share:.2f}/s) for "
                  f"{args.check_seconds:g} s: {made} conversations, {throttled} throttled "
                  f"answers ({when})")
    server.shutdown()


if __name__ == "__main__":
    main()
