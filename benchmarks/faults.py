"""Benchmark: conversations keep going while faults are injected, one at a time.

Starts on loopback only, in a temporary folder: its own redis-server (append-only file, as a
production Redis keeps) and its own PostgreSQL cluster (initdb, run as the ``postgres`` user
when started by root), the development store, a fake Gemini (tests/llm/fake_gemini.py), the
app under gunicorn with 2 gevent workers and one ``worker.py``. Shoppers play conversations
continuously (an unsure first message that needs Gemini, order number, email, two follow-ups)
while each fault is injected in its own window: Redis restart, PostgreSQL restart, kill -9 of
the RQ worker during LLM jobs (a new one started, as a supervisor would), the development
store answering 5xx, timing out, throttling, and Gemini hanging.

Per fault it reports: turns, turns answered (their transcript written), polite "try again"
replies (nothing written: the outage stopped the turn), 5xx answers (must be 0), transcripts
lost (answered turns whose messages are not in the database: must be 0) and the time to
recover (from the end of the fault to the last turn that was not answered normally).

    .venv/bin/python benchmarks/faults.py [--shoppers 8] [--fault-seconds 8]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from conversations import (  # noqa: E402
    DEVSTORE_SCRIPT,
    STORE_TOKEN,
    app_environment,
    free_port,
    prepare_app,
    scratch_dir,
    started,
)

from lumen.conversation.replies import UNAVAILABLE  # noqa: E402
from lumen.demo.proxy_shim import signed_proxy_query  # noqa: E402
from lumen.devstore import load_fixtures  # noqa: E402
from lumen.widget.outages import TRY_AGAIN  # noqa: E402
from tests.llm.fake_gemini import FakeGemini  # noqa: E402

DATABASE = "lumen_faults_issue15"
UNSURE = ("so what now", "that stuff from last week?", "my hoodie")


class Service:
    """A child process that can be stopped, killed and started again on the same port."""

    def __init__(self, command: list[str], log: Path, env: dict[str, str] | None = None,
                 user: str | None = None):
        self.command, self.log, self.env, self.user = command, log, env, user
        self.process: subprocess.Popen | None = None

    def start(self) -> Service:
        """Start it (in its own process group, so a kill reaches its children)."""
        output = open(self.log, "a")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=output,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        user=self.user)
        return self

    def stop(self, kill: bool = False) -> None:
        """SIGTERM (or SIGKILL) the whole process group and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wait_until(check: Callable[[], object], timeout: float = 30) -> None:
    """Poll ``check`` until it returns truthy without raising."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.1)
    raise SystemExit(f"not ready within {timeout}s: {check}")


@contextlib.contextmanager
def own_redis(workdir: Path) -> Iterator[tuple[str, Service]]:
    """A private redis-server with an append-only file, on a free loopback port."""
    import redis

    port = free_port()
    service = Service(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                       "--appendonly", "yes", "--dir", str(workdir), "--save", ""],
                      workdir / "redis.log").start()
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(lambda: redis.Redis.from_url(url).ping())
    try:
        yield url, service
    finally:
        service.stop()


def postgres_bin() -> Path:
    """The newest PostgreSQL server binaries installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise SystemExit("no PostgreSQL binaries under /usr/lib/postgresql")
    return found[-1].parent


@contextlib.contextmanager
def own_postgres(workdir: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """A private PostgreSQL cluster on a free loopback port; yields its URL and a restart."""
    import psycopg

    binaries, port = postgres_bin(), free_port()
    data = workdir / "pgdata"
    data.mkdir()
    user = "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root
    if user:
        entry = pwd.getpwnam(user)
        for path in (workdir, data):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    run = {"user": user, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U",
                    "postgres"], **run)
    ctl = [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(workdir / "postgres.log"),
           "-w", "-o", f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1"]
    subprocess.run([*ctl, "start"], **run)
    admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{DATABASE}"')

    def restart() -> None:
        subprocess.run([*ctl, "-m", "fast", "restart"], **run)

    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/{DATABASE}", restart
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], user=user, stdout=subprocess.DEVNULL)


@dataclass
class Window:
    """What shoppers saw while one fault was in place (and just after)."""

    name: str
    turns: int = 0
    answered: int = 0
    try_again: int = 0
    shopify_unavailable: int = 0
    server_errors: int = 0
    other: list[str] = field(default_factory=list)
    not_normal_at: list[float] = field(default_factory=list)
    slowest: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, response: httpx.Response | None, when: float, took: float = 0.0) -> None:
        """Classify one message's answer (``took``: its round trip in seconds)."""
        with self.lock:
            self.turns += 1
            self.slowest = max(self.slowest, took)
            if response is None or response.status_code >= 500:
                self.server_errors += 1
                self.not_normal_at.append(when)
                self.other.append("no answer" if response is None else str(response.status_code))
                return
            if response.status_code != 200:
                self.other.append(f"{response.status_code} {response.text[:80]}")
                self.not_normal_at.append(when)
                return
            texts = [reply["text"] for reply in response.json()["replies"]]
            if texts == [TRY_AGAIN]:
                self.try_again += 1
                self.not_normal_at.append(when)
                return
            self.answered += 1
            if UNAVAILABLE in texts:
                self.shopify_unavailable += 1
                self.not_normal_at.append(when)


class Shopper(threading.Thread):
    """Plays conversations back to back until told to stop."""

    def __init__(self, number: int, base_url: str, shop: str, secret: str,
                 orders: list[dict], window: Window, stop: threading.Event):
        super().__init__(daemon=True)
        self.http = httpx.Client(base_url=base_url, timeout=60)
        self.ip = f"10.7.{number % 250}.1"
        self.number, self.shop, self.secret, self.orders = number, shop, secret, orders
        self.window, self.stop_event = window, stop

    def post(self, endpoint: str, body: dict) -> httpx.Response | None:
        """One signed request; None when the app did not answer at all."""
        query = signed_proxy_query(self.shop, self.secret)
        try:
            return self.http.post(f"/proxy/api/{endpoint}?{query}", json=body,
                                  headers={"X-Forwarded-For": self.ip})
        except httpx.TransportError:
            return None

    def session(self) -> str | None:
        """A new session, waiting out 429s (Retry-After) while the stop flag is clear."""
        while not self.stop_event.is_set():
            response = self.post("sessions", {})
            if response is not None and response.status_code == 201:
                return response.json()["session"]
            if response is None or response.status_code >= 500:
                self.window.record(response, time.monotonic())
            time.sleep(float(response.headers.get("Retry-After", 1)) if response else 1)
        return None

    def run(self) -> None:
        """Conversations until stopped; each message's answer goes to the window."""
        round_number = 0
        while not self.stop_event.is_set():
            order = self.orders[(self.number + round_number) % len(self.orders)]
            round_number += 1
            # Each conversation from its own address, as different visitors: one address
            # playing without pause for minutes would reach the per-address request limit.
            self.ip = f"10.7.{self.number % 250}.{round_number % 250 + 1}"
            token = self.session()
            texts = (UNSURE[round_number % len(UNSURE)], f"Where is my order {order['name']}?",
                     order["email"], "Can I get the tracking link?", "Has it shipped?")
            for text in texts:
                if token is None or self.stop_event.is_set():
                    break
                began = time.monotonic()
                response = self.post("messages", {"session": token, "text": text})
                self.window.record(response, time.monotonic(), time.monotonic() - began)
                if response is not None and response.status_code == 200:
                    token = response.json()["session"] or token
                elif response is not None and response.status_code == 401:
                    break  # the session is gone: a new conversation
                time.sleep(0.3)
        self.http.close()


def assistant_messages(database_url: str) -> int:
    """Assistant messages stored so far (one per answered turn)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT count(*) FROM messages WHERE role = 'assistant'").fetchone()[0]


@dataclass
class Stack:
    """Everything the faults act on."""

    base_url: str
    store_url: str
    database_url: str
    shop: str
    secret: str
    orders: list[dict]
    redis: Service
    restart_postgres: Callable[[], None]
    worker: Service
    fake: FakeGemini


def play_window(stack: Stack, name: str, inject: Callable[[], None],
                clear: Callable[[], None] | None,
                args: argparse.Namespace) -> tuple[Window, float, float, int]:
    """Shoppers play; the fault is injected, held and cleared (a restart is over once its
    command returns: ``clear`` None); (window, injected at, ended at, messages stored)."""
    window, stop = Window(name), threading.Event()
    before = assistant_messages(stack.database_url)
    shoppers = [Shopper(number, stack.base_url, stack.shop, stack.secret, stack.orders,
                        window, stop) for number in range(args.shoppers)]
    for shopper in shoppers:
        shopper.start()
    time.sleep(args.warm_seconds)
    injected = time.monotonic()
    inject()
    ended = time.monotonic()
    time.sleep(args.fault_seconds)
    if clear is not None:
        clear()
        ended = time.monotonic()
    time.sleep(args.after_seconds)
    stop.set()
    for shopper in shoppers:
        shopper.join()
    return window, injected, ended, assistant_messages(stack.database_url) - before


def control(stack: Stack, **settings: object) -> None:
    """Change the development store's behaviour."""
    httpx.post(stack.store_url + "/_control", json=settings, timeout=5).raise_for_status()


def restart_redis(stack: Stack) -> None:
    """Stop Redis (it writes its append-only file) and start it again on the same port."""
    stack.redis.stop()
    time.sleep(0.5)
    stack.redis.start()


def kill_worker(stack: Stack) -> None:
    """kill -9 the RQ worker and its work horse while LLM jobs run."""
    stack.worker.stop(kill=True)


def faults(stack: Stack) -> list[tuple[str, Callable[[], None], Callable[[], None] | None]]:
    """Each fault: its name, how it is injected and how it is cleared (None: a restart)."""
    normal_store = {"latency_ms": 50, "failure_rate": 0.0, "bucket_size": 1_000_000,
                    "restore_rate": 1_000_000}
    return [
        ("none (baseline)", lambda: None, None),
        ("Redis restart", lambda: restart_redis(stack), None),
        ("PostgreSQL restart", stack.restart_postgres, None),
        ("kill -9 of the RQ worker during LLM jobs", lambda: kill_worker(stack),
         lambda: stack.worker.start()),
        ("dev store answering 5xx", lambda: control(stack, failure_rate=1.0),
         lambda: control(stack, **normal_store)),
        ("dev store timing out", lambda: control(stack, latency_ms=3000),
         lambda: control(stack, **normal_store)),
        ("dev store throttling", lambda: control(stack, bucket_size=100, restore_rate=5,
                                                 drain=True),
         lambda: control(stack, **normal_store)),
        ("Gemini hanging", lambda: setattr(stack.fake, "mode", "hang"),
         lambda: setattr(stack.fake, "mode", "normal")),
    ]


def report(rows: list[tuple[Window, float, float, int]]) -> None:
    """The faults table (Markdown). Time to recover: from the end of the fault (a restart's
    command returning) to the last answer that was not a normal one; "disturbed": from the
    injection to that answer."""
    print("\n| fault | turns | answered | polite \"try again\" | Shopify-unavailable replies "
          "(answered) | 5xx | transcripts lost | time to recover | disturbed | slowest answer |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for window, injected, ended, stored in rows:
        last = max((moment for moment in window.not_normal_at if moment >= injected),
                   default=None)
        recover = f"{max(0.0, last - ended):.1f} s" if last is not None else "0 s"
        disturbed = f"{last - injected:.1f} s" if last is not None else "0 s"
        lost = max(0, window.answered - stored)
        print(f"| {window.name} | {window.turns} | {window.answered} | {window.try_again} | "
              f"{window.shopify_unavailable} | {window.server_errors} | {lost} | {recover} | "
              f"{disturbed} | {window.slowest:.1f} s |")
        if window.other:
            print(f"|   other answers: {sorted(set(window.other))[:5]} |")


@contextlib.contextmanager
def stack_running(args: argparse.Namespace, workdir: Path) -> Iterator[Stack]:
    """Redis, PostgreSQL, dev store, fake Gemini, gunicorn and one worker."""
    fixtures = load_fixtures(None)
    store_port, app_port = free_port(), free_port()
    store_url, base_url = f"http://127.0.0.1:{store_port}", f"http://127.0.0.1:{app_port}"
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the fake Gemini's access log
    fake = FakeGemini().start()
    fake.latency = 0.5
    with (own_redis(workdir) as (redis_url, redis_service),
          own_postgres(workdir) as (database_url, restart_postgres),
          started([sys.executable, "-c", DEVSTORE_SCRIPT, str(store_port), "50", STORE_TOKEN],
                  workdir / "devstore.log", ready_url=store_url + "/_control")):
        env = app_environment(workdir, database_url, redis_url, store_url)
        env.update(GEMINI_API_KEY="benchmark", LUMEN_GEMINI_BASE_URL=fake.base_url,
                   LUMEN_LLM_DEADLINE="2", LUMEN_SHOPIFY_TIMEOUT="1")
        prepare_app(env, fixtures["shop"])
        pro_plus(database_url)
        worker = Service([sys.executable, "worker.py"], workdir / "worker.log", env).start()
        gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "-k", "gevent", "-w", "2",
                    "-b", f"127.0.0.1:{app_port}", "wsgi:app"]
        try:
            with started(gunicorn, workdir / "gunicorn.log", env, base_url + "/healthz"):
                yield Stack(base_url, store_url, database_url, fixtures["shop"],
                            env["SHOPIFY_API_SECRET"], fixtures["orders"], redis_service,
                            restart_postgres, worker, fake)
        finally:
            worker.stop()
            fake.stop()


def pro_plus(database_url: str) -> None:
    """Put the shop on Pro+: the free plan's 100 conversations a month would end the run."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        connection.execute("UPDATE shops SET plan = 'pro_plus'")


def main(argv: list[str] | None = None) -> None:
    """Start everything, run each fault's window, print the table, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shoppers", type=int, default=8)
    parser.add_argument("--warm-seconds", type=float, default=3.0)
    parser.add_argument("--fault-seconds", type=float, default=8.0)
    parser.add_argument("--after-seconds", type=float, default=8.0)
    parser.add_argument("--only", help="run only the faults whose name contains this")
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args(argv)
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server not found")
    print("load average before start", " ".join(f"{v:.2f}" for v in os.getloadavg()))
    with scratch_dir("lumen-faults-", args.keep_logs) as workdir, \
            stack_running(args, workdir) as stack:
        rows = []
        for name, inject, clear in faults(stack):
            if args.only and args.only.lower() not in name.lower() and "baseline" not in name:
                continue
            rows.append(play_window(stack, name, inject, clear, args))
            print(f"  {name}: done, load average "
                  + " ".join(f"{v:.2f}" for v in os.getloadavg()), flush=True)
        report(rows)


if __name__ == "__main__":
    main()
