"""Benchmark: the app's own work per turn, counted in instructions so that runs compare.

On a shared machine the CPU time of the same turn varies by half between runs (the machine's
speed changes under load), so this plays the turns in one process (the Flask test client: no
gunicorn, no gevent) against PostgreSQL, a private redis-server and the development store in
its own process (no latency), and reports two figures per kind of request:

- process CPU time per request (varies with the machine, as any timing does);
- with ``--instructions``: instructions per request counted by valgrind's callgrind, which
  repeat within about 0.2% from run to run whatever else the machine is doing. The script
  then runs itself under valgrind and switches counting on only around the measured
  requests (``callgrind_control``), one kind of request at a time.

Each conversation is the one ``conversations.py`` plays: a new session, the order number, the
email (verifies), two follow-ups (the second-turn order is cached, so they read no order).
The test client's own work is counted too; it is the same for every version of the app.

    .venv/bin/python benchmarks/turn_cost.py [--instructions] \
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import conversations as bench  # noqa: E402

from lumen.demo.proxy_shim import signed_proxy_query  # noqa: E402
from lumen.devstore import load_fixtures  # noqa: E402

KINDS = ("new session", "order number", "email (verifies)", "follow-up 1 (cached order)",
         "follow-up 2 (cached order)")
UNDER_CALLGRIND = "LUMEN_TURN_COST_CALLGRIND"


class Player:
    """Plays conversations through the signed widget API of an in-process app."""

    def __init__(self, app, shop: str, secret: str, orders: list[dict]):
        self.client, self.shop, self.secret, self.orders = app.test_client(), shop, secret, orders

    def post(self, endpoint: str, body: dict, ip: str):
        """One signed request as Shopify's proxy forwards it; fails loudly on an error."""
        query = signed_proxy_query(self.shop, self.secret)
        response = self.client.post(f"/proxy/api/{endpoint}?{query}", json=body,
                                    headers={"X-Forwarded-For": ip})
        if response.status_code not in (200, 201):
            raise SystemExit(f"{endpoint}: {response.status_code} {response.data[:200]!r}")
        return response.get_json()

    def conversation(self, number: int, around: Callable[[int], object]) -> None:
        """Session, order number, email, follow-ups; ``around(k)`` wraps request k."""
        order = self.orders[number % len(self.orders)]
        ip = f"10.{number // 250 % 250}.{number % 250}.9"
        with around(0):
            token = self.post("sessions", {}, ip)["session"]
        texts = (f"Where is my order {order['name']}?", order["email"], *bench.FOLLOW_UPS)
        for kind, text in enumerate(texts, start=1):
            with around(kind):
                token = self.post("messages", {"session": token, "text": text}, ip)["session"]


class Meter:
    """Measures only the requests of one kind: CPU time, and callgrind's count when under it."""

    def __init__(self, kind: int, callgrind: bool):
        self.kind, self.callgrind, self.seconds, self.requests = kind, callgrind, 0.0, 0

    def __call__(self, kind: int) -> Meter | contextlib.nullcontext:
        return self if kind == self.kind else contextlib.nullcontext()

    def __enter__(self) -> Meter:
        if self.callgrind:
            callgrind_control("--instr=on")
        self._started = time.process_time()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds += time.process_time() - self._started
        self.requests += 1
        if self.callgrind:
            callgrind_control("--instr=off")


def callgrind_control(*options: str) -> None:
    """Tell the callgrind running this process what to do (count on or off, dump)."""
    subprocess.run(["callgrind_control", *options, str(os.getpid())], check=True,
                   capture_output=True)


def play(args: argparse.Namespace, workdir: Path) -> None:
    """Start the services, warm up, then measure each kind of request in its own pass."""
    callgrind = bool(os.environ.get(UNDER_CALLGRIND))
    store_url = f"http://127.0.0.1:{bench.free_port()}"
    store = [sys.executable, "-c", bench.DEVSTORE_SCRIPT, store_url.rsplit(":", 1)[1], "0",
             bench.STORE_TOKEN]
    with (bench.redis_server(workdir, args.redis_url) as redis_url,
          bench.database(workdir, args.postgres_url, "lumen_turn_cost_") as database_url,
          bench.started(store, workdir / "devstore.log", ready_url=store_url + "/_control")):
        env = bench.app_environment(workdir, database_url, redis_url, store_url)
        fixtures = load_fixtures(None)
        bench.prepare_app(env, fixtures["shop"])
        player = Player(_started_app(env), fixtures["shop"], env["SHOPIFY_API_SECRET"],
                        fixtures["orders"])
        for number in range(20):  # warm-up: SQL compiled, pools open, code loaded
            player.conversation(100_000 + number, lambda kind: contextlib.nullcontext())
        for kind, label in enumerate(KINDS):
            meter = Meter(kind, callgrind)
            for number in range(args.conversations):
                player.conversation(kind * 10_000 + number, meter)
            if callgrind:
                callgrind_control(f"--dump={kind}")
                continue  # timings under valgrind mean nothing
            print(f"{label:28} CPU {meter.seconds / meter.requests * 1000:6.2f} ms per request"
                  f" ({meter.requests} requests)", flush=True)


def _started_app(env: dict[str, str]):
    """The app as a worker process runs it (start-up work done)."""
    from lumen import create_app
    from lumen.startup import prepare_process

    app = create_app(environ=env)
    prepare_process(app)
    return app


def counted(args: argparse.Namespace) -> None:
    """Run this script under callgrind and print instructions per request of each kind."""
    totals = run_counted(__file__, ["--conversations", str(args.conversations)], args)
    report_instructions(totals, args.conversations)


def run_counted(script: str, options: list[str], args: argparse.Namespace) -> list[int]:
    """Run ``script`` under callgrind (counting off until it switches it on; its database and
    Redis options passed on) and return the instruction total of each dump, in order."""
    with tempfile.TemporaryDirectory(prefix="lumen-callgrind-") as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                   f"--callgrind-out-file={out}", sys.executable, script, *options]
        for option in ("postgres_url", "redis_url"):
            if getattr(args, option):
                command += [f"--{option.replace('_', '-')}", getattr(args, option)]
        env = {**os.environ, UNDER_CALLGRIND: "1"}
        run = subprocess.run(command, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(run.stdout[-2000:] + run.stderr[-2000:])
        print(run.stdout, end="")
        dumps = sorted(Path(folder).glob("callgrind.out.*"), key=lambda path: int(path.suffix[1:]))
        return [instructions(path) for path in dumps]


def instructions(dump: Path) -> int:
    """The instruction total of one callgrind dump."""
    match = re.search(r"^totals: (\d+)", dump.read_text(), re.MULTILINE)
    if match is None:
        raise SystemExit(f"no totals in {dump}")
    return int(match.group(1))


def report_instructions(totals: list[int], conversations: int) -> None:
    """Instructions per request of each kind and per message turn."""
    if len(totals) != len(KINDS):
        raise SystemExit(f"expected {len(KINDS)} callgrind dumps, found {len(totals)}")
    per_request = [total / conversations for total in totals]
    print("\ninstructions (callgrind), millions per request:")
    for label, count in zip(KINDS, per_request, strict=True):
        print(f"  {label:28} {count / 1e6:6.2f}")
    turns = per_request[1:]
    print(f"  {'per message turn (mean)':28} {sum(turns) / len(turns) / 1e6:6.2f}")
    print(f"  {'per turn, session included':28} {sum(per_request) / len(turns) / 1e6:6.2f}")


def add_service_options(parser: argparse.ArgumentParser, counting_note: str) -> None:
    """The options every in-process benchmark takes: its services, and counting instructions."""
    parser.add_argument("--postgres-url", help="server to create a temporary database on "
                                               "(default: a SQLite file)")
    parser.add_argument("--redis-url", help="default: a private redis-server")
    parser.add_argument("--instructions", action="store_true",
                        help=f"count instructions with valgrind's callgrind ({counting_note})")


def main(argv: list[str] | None = None) -> None:
    """Parse options; count instructions under callgrind, or time the requests."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10,
                        help="conversations per kind of request measured")
    add_service_options(parser, "slow: about 3 minutes for the default 10 conversations")
    args = parser.parse_args(argv)
    if args.instructions:
        counted(args)
        return
    with bench.scratch_dir("lumen-turn-cost-", keep=False) as workdir:
        play(args, workdir)


if __name__ == "__main__":
    main()
