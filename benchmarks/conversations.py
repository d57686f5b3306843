"""Benchmark: many concurrent widget conversations against gunicorn (gevent) and a dev store.

Starts, on loopback only: a private redis-server, the development store in its own process
with a fixed latency per Admin API call, and the app under gunicorn with gevent workers.
Then N virtual shoppers each play conversations through the signed app-proxy path (order
number, email, two follow-ups), and the script reports turns per second and the server time
per turn taken from the ``Server-Timing`` header the widget sets: ``app`` (all time in the
app) minus ``shopify`` (time waiting for the Admin API, which includes the store's fixed
latency) is the app's own time.

    .venv/bin/python benchmarks/conversations.py --conversations 50 --latency-ms 50

Everything it starts is stopped at the end; a PostgreSQL database it creates is dropped.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lumen.demo.proxy_shim import signed_proxy_query  # noqa: E402
from lumen.devstore import load_fixtures  # noqa: E402

STORE_TOKEN = "shpat_benchmark_" + secrets.token_hex(8)
FOLLOW_UPS = ("Can I get the tracking link?", "Has it shipped?")
DEVSTORE_SCRIPT = """
import sys
from werkzeug.serving import run_simple
from lumen.devstore import create_devstore_app
port, latency, token = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
store = create_devstore_app(latency_ms=latency, access_tokens={token},
                            bucket_size=1_000_000, restore_rate=1_000_000)
run_simple("127.0.0.1", port, store, threaded=True)
"""


@dataclass
class Results:
    """Per-turn measurements collected by every virtual shopper."""

    own_ms: list[float] = field(default_factory=list)
    app_ms: list[float] = field(default_factory=list)
    shopify_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, response: httpx.Response, client_ms: float) -> None:
        """Keep one turn's timings, or its error."""
        timing = dict(part.strip().split(";dur=")
                      for part in response.headers.get("Server-Timing", "").split(",") if part)
        with self.lock:
            if response.status_code != 200 or not timing:
                self.errors.append(f"{response.status_code} {response.text[:200]}")
                return
            app, shopify = float(timing["app"]), float(timing["shopify"])
            self.app_ms.append(app)
            self.shopify_ms.append(shopify)
            self.own_ms.append(app - shopify)
            self.client_ms.append(client_ms)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Poll ``url`` until it answers, or fail when the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited early; see its log")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url, timeout=1)
            return
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout}s")


@contextlib.contextmanager
def started(args: list[str], log: Path, env: dict[str, str] | None = None,
            ready_url: str | None = None) -> Iterator[subprocess.Popen]:
    """Run a child process for the duration of the block, logging to ``log``."""
    with open(log, "w") as output:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
        try:
            if ready_url:
                wait_for(ready_url, process)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def redis_server(workdir: Path, url: str | None) -> Iterator[str]:
    """The given Redis URL, or a private redis-server on a free loopback port."""
    if url:
        yield url
        return
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server not found; pass --redis-url")
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(workdir)]
    with started(command, workdir / "redis.log"):
        redis_url = f"redis://127.0.0.1:{port}/0"
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(redis_url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield redis_url


@contextlib.contextmanager
def database(workdir: Path, postgres_url: str | None,
             prefix: str = "lumen_bench_") -> Iterator[str]:
    """A fresh PostgreSQL database (dropped afterwards) or a SQLite file in ``workdir``."""
    if not postgres_url:
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"{prefix}{secrets.token_hex(6)}"
    admin = make_url(postgres_url).set(drivername="postgresql")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_environment(workdir: Path, database_url: str, redis_url: str,
                    store_url: str) -> dict[str, str]:
    """The app's settings: real Redis and database, fresh secrets, the dev store as Shopify."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("LUMEN_") and key not in ("DATABASE_URL", "REDIS_URL")}
    env.update({
        "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "SHOPIFY_API_KEY": "benchmark", "SHOPIFY_API_SECRET": secrets.token_urlsafe(32),
        "LUMEN_SECRET_KEY": secrets.token_urlsafe(48),
        "LUMEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "LUMEN_EMAIL_HASH_KEY": secrets.token_urlsafe(48),
        "LUMEN_SHOPIFY_ADMIN_URL": store_url, "LUMEN_INSTANCE_PATH": str(workdir / "instance"),
        "LUMEN_LOG_LEVEL": "WARNING",
    })
    return env


def prepare_app(env: dict[str, str], shop_domain: str) -> None:
    """Migrate the database and install the shop with the dev store's token."""
    from flask_migrate import upgrade

    from lumen import create_app
    from lumen.demo import install_demo_shop

    app = create_app(environ=env)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        install_demo_shop(shop_domain, STORE_TOKEN)


class Shopper:
    """One virtual shopper: plays conversations back to back, each from its own IP address
    (one address for all of them would meet the per-address limit on new sessions)."""

    def __init__(self, number: int, base_url: str, shop: str, secret: str, orders: list[dict],
                 results: Results, think_ms: float):
        self.number = number
        self.ip = self.address(0)
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.shop, self.secret, self.orders, self.results = shop, secret, orders, results
        self.think_ms = think_ms
        self.random = random.Random(number)

    def think(self) -> None:
        """Pause as a shopper reading the reply and typing would (uniform, mean think_ms)."""
        if self.think_ms:
            time.sleep(self.random.uniform(0.5, 1.5) * self.think_ms / 1000)

    def post(self, endpoint: str, body: dict) -> tuple[httpx.Response, float]:
        """One signed request, as Shopify's proxy would forward it."""
        query = signed_proxy_query(self.shop, self.secret)
        started = time.perf_counter()
        response = self.http.post(f"/proxy/api/{endpoint}?{query}", json=body,
                                  headers={"X-Forwarded-For": self.ip})
        return response, (time.perf_counter() - started) * 1000

    def converse(self, order: dict) -> None:
        """Order number, email (verification), then the follow-ups."""
        response, _ = self.post("sessions", {})
        if response.status_code != 201:
            self.results.errors.append(f"session {response.status_code} {response.text[:200]}")
            return
        token = response.json()["session"]
        for text in (f"Where is my order {order['name']}?", order["email"], *FOLLOW_UPS):
            self.think()
            response, client_ms = self.post("messages", {"session": token, "text": text})
            self.results.record(response, client_ms)
            if response.status_code == 200:
                token = response.json()["session"]  # a new one after verification

    def address(self, round_number: int) -> str:
        """The address this shopper's conversation number ``round_number`` comes from."""
        return f"10.{self.number // 250}.{self.number % 250}.{round_number % 250 + 1}"

    def run(self, rounds: int) -> None:
        """Play ``rounds`` conversations, each about the next fixture order."""
        for round_number in range(rounds):
            self.ip = self.address(round_number)
            self.converse(self.orders[(self.number + round_number) % len(self.orders)])
        self.http.close()


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time used so far by these processes."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def reference_ms() -> float:
    """The machine's speed now: the best of five runs of a fixed pure-Python loop, in ms.

    Shared machines change speed between runs (here, by up to half for the same loop);
    printing this beside the CPU per turn lets runs on different machines be compared.
    """
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        sum(number * number for number in range(1_000_000))
        best = min(best, time.process_time() - started)
    return best * 1000


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


@dataclass(frozen=True)
class Load:
    """Who plays: how many shoppers at once, conversations each, pause before each message."""

    conversations: int
    rounds: int
    think_ms: float
    first_shopper: int = 0


def play(base_url: str, shop: str, secret: str, orders: list[dict],
         load: Load) -> tuple[Results, float]:
    """Run the shoppers concurrently; return their results and the wall time."""
    results = Results()
    numbers = range(load.first_shopper, load.first_shopper + load.conversations)
    shoppers = [Shopper(number, base_url, shop, secret, orders, results, load.think_ms)
                for number in numbers]
    threads = [threading.Thread(target=shopper.run, args=(load.rounds,)) for shopper in shoppers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def report(results: Results, seconds: float, args: argparse.Namespace) -> None:
    """Print turns per second and server-time percentiles."""
    turns = len(results.own_ms)
    print(f"\n{args.conversations} concurrent conversations x {args.rounds} rounds, "
          f"think time {args.think_ms:g} ms, store latency {args.latency_ms:g} ms per "
          f"Admin API call, gunicorn {args.workers} gevent workers, database {args.db_kind}, "
          f"load average before start {args.load_before}")
    print(f"turns: {turns} in {seconds:.1f} s = {turns / seconds:.1f} turns/s; "
          f"errors: {len(results.errors)}")
    for label, values in (("own server time (app - shopify)", results.own_ms),
                          ("app time (incl. Shopify waits)", results.app_ms),
                          ("shopify time", results.shopify_ms),
                          ("client round trip", results.client_ms)):
        if values:
            print(f"  {label:34} p50 {percentile(values, 0.50):7.1f} ms   "
                  f"p99 {percentile(values, 0.99):7.1f} ms   "
                  f"mean {statistics.fmean(values):7.1f} ms")
    for error in results.errors[:5]:
        print("  error:", error)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50, help="concurrent shoppers")
    parser.add_argument("--rounds", type=int, default=4, help="conversations per shopper")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--think-ms", type=float, default=1000.0,
                        help="mean pause before each message (0: back-to-back stress)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres-url", help="server to create a temporary database on "
                                               "(default: a SQLite file)")
    parser.add_argument("--database-prefix", default="lumen_bench_",
                        help="name prefix of the temporary PostgreSQL database")
    parser.add_argument("--redis-url", help="default: a private redis-server")
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args(argv)
    args.db_kind = "PostgreSQL" if args.postgres_url else "SQLite"
    args.load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return args


def measure(base_url: str, server: subprocess.Popen, store: subprocess.Popen,
            env: dict[str, str], args: argparse.Namespace) -> None:
    """Warm the app up, play the measured load, print the report with CPU per process."""
    fixtures = load_fixtures(None)
    shop, secret, orders = fixtures["shop"], env["SHOPIFY_API_SECRET"], fixtures["orders"]
    processes = {"app workers": children(server.pid), "dev store": [store.pid],
                 "load generator": [os.getpid()]}
    reference_before = reference_ms()
    # Warm-up (not measured): first requests compile SQL, open pools, load code.
    play(base_url, shop, secret, orders, Load(10, 1, 0, first_shopper=1000))
    before = {name: cpu_seconds(pids) for name, pids in processes.items()}
    results, seconds = play(base_url, shop, secret, orders,
                            Load(args.conversations, args.rounds, args.think_ms))
    cpu = {name: cpu_seconds(pids) - before[name] for name, pids in processes.items()}
    report(results, seconds, args)
    print("  CPU used: " + ", ".join(f"{name} {used:.1f} s ({used / seconds:.0%} of a core)"
                                     for name, used in cpu.items()))
    turns = len(results.own_ms)
    if turns:
        print(f"  app CPU per turn: {cpu['app workers'] / turns * 1000:.1f} ms "
              f"({cpu['app workers']:.1f} s for {turns} turns); load average after "
              + " ".join(f"{value:.2f}" for value in os.getloadavg()))
    print(f"  machine reference loop: {reference_before:.1f} ms before, "
          f"{reference_ms():.1f} ms after")


@contextlib.contextmanager
def scratch_dir(prefix: str, keep: bool) -> Iterator[Path]:
    """A temporary folder for a run's files; removed afterwards unless ``keep`` (logs)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
    finally:
        if keep:
            print("logs in", workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    """Start Redis, a database, the dev store and gunicorn; measure; stop and clean up."""
    args = parse_args(argv)
    with scratch_dir("lumen-bench-", args.keep_logs) as workdir:
        run(args, workdir)


def run(args: argparse.Namespace, workdir: Path) -> None:
    """One benchmark run with its processes' files in ``workdir``."""
    store_url, base_url = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    store_command = [sys.executable, "-c", DEVSTORE_SCRIPT, store_url.rsplit(":", 1)[1],
                     str(args.latency_ms), STORE_TOKEN]
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "-k", "gevent",
                "-w", str(args.workers), "--worker-connections", "1000",
                "-b", base_url.removeprefix("http://"), "wsgi:app"]
    with (redis_server(workdir, args.redis_url) as redis_url,
          database(workdir, args.postgres_url, args.database_prefix) as database_url,
          started(store_command, workdir / "devstore.log",
                  ready_url=store_url + "/_control") as store):
        env = app_environment(workdir, database_url, redis_url, store_url)
        prepare_app(env, load_fixtures(None)["shop"])
        with started(gunicorn, workdir / "gunicorn.log", env, base_url + "/healthz") as server:
            measure(base_url, server, store, env, args)


if __name__ == "__main__":
    main()
