"""Benchmark: how often a turn needs Gemini, what it costs, and what it adds to a turn's time.

Starts, on loopback only: a private redis-server, the development store, a Gemini-compatible
fake (tests/llm/fake_gemini.py), the app under gunicorn (gevent) and one worker.py process, all
configured with a Gemini key pointed at the fake. Then three runs through the signed widget API:

1. the seed scenarios (the shopper phrasings of the product docs), fake answering at once:
   the share of shopper turns that called Gemini (target at most 20%) and the LLM tokens per
   resolved conversation (the fake counts one token per four characters);
2. turns the deterministic layer is unsure about, fake answering in 400 ms: the p50 round trip
   minus the fake's latency (target within 60 ms);
3. the same turns with the fake hanging: the slowest round trip (target deadline + 100 ms).

Before those, in process: the brand-voice guard on the hand-written rewrite sets of
tests/llm/rewrites.py: its reject rate on faithful rewrites (all, and those never tuned on), on
rewrites that add a false claim (target 100%), and its time per check.

    .venv/bin/python benchmarks/llm.py
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.conversations import (  # noqa: E402
    DEVSTORE_SCRIPT,
    STORE_TOKEN,
    app_environment,
    database,
    free_port,
    percentile,
    prepare_app,
    redis_server,
    scratch_dir,
    started,
)
from lumen.config import DEFAULT_LLM_DEADLINE  # noqa: E402
from lumen.demo.proxy_shim import signed_proxy_query  # noqa: E402
from lumen.devstore import load_fixtures  # noqa: E402
from lumen.llm.guard import Allowed, Rejected, check_reply  # noqa: E402
from tests.llm import rewrites  # noqa: E402
from tests.llm.fake_gemini import FakeGemini  # noqa: E402

# The seeds' own phrasings ({name}, {number}, {email} come from the scenario's order).
SEED_SCENARIOS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("#1042", ("Where is my order?", "{name}", "{email}", "Can I get the tracking link?",
               "Has it shipped?", "What if it has not arrived?")),
    ("#1019", ("Where's my stuff?", "{name}", "{email}")),
    ("#1031", ("Order {number} status", "{email}", "thanks")),
    ("#1036", ("I placed an order last Tuesday, has it shipped?", "{name}", "{email}")),
    ("#1050", ("My order hasn't arrived", "{name}", "{email}")),
    ("#1042", ("Can you check order {name}?", "{email}", "What carrier is it with?",
               "When was it fulfilled?")),
    ("#1031", ("It says delivered but I never got my package", "{name}", "{email}")),
    ("#1088", ("When will my pre-order ship?", "{name}", "{email}")),
    ("#1063", ("It's been 3 weeks and my order still hasn't arrived.", "{name}", "{email}")),
    ("#1042", ("Check order 9999",)),
    ("#1042", ("Where is my Amazon order?",)),
    ("#1055", ("What happened to my order?", "{name}", "{email}")),
    ("#1039", ("Track my order", "{name}", "{email}", "Talk to a person")),
    ("#1077", ("I want a refund for order {name}", "{email}")),
    ("#1063", ("is it on the way", "{name}", "{email}", "did u send it")),
)
# Turns the deterministic layer cannot read (the intent model now reads "is it on the way",
# "did u send it" and "the thing I bought, whats the deal" itself).
UNSURE_TURNS = ("so what now", "that stuff from last week?", "où est mon colis",
                "kommt mein paket bald", "my hoodie")


class Widget:
    """Signed widget API calls, as Shopify's app proxy forwards them."""

    def __init__(self, base_url: str, shop: str, secret: str):
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.shop, self.secret = shop, secret
        self.sessions = 0
        self.tokens: dict[str, str] = {}

    def post(self, endpoint: str, body: dict, ip: str) -> httpx.Response:
        """One signed request from the shopper at ``ip``."""
        query = signed_proxy_query(self.shop, self.secret)
        response = self.http.post(f"/proxy/api/{endpoint}?{query}", json=body,
                                  headers={"X-Forwarded-For": ip})
        response.raise_for_status()
        return response

    def session(self) -> tuple[str, str]:
        """A new session's token and its shopper's address (one each, as in a real store)."""
        self.sessions += 1
        ip = f"10.{self.sessions // 250}.{self.sessions % 250}.1"
        return self.post("sessions", {}, ip).json()["session"], ip

    def say(self, session: tuple[str, str], text: str) -> float:
        """Send one message; the round trip in milliseconds."""
        token, ip = session
        began = time.perf_counter()
        # The token changes once an order is verified: the newest one for this shopper.
        response = self.post("messages", {"session": self.tokens.get(ip, token), "text": text},
                             ip)
        self.tokens[ip] = response.json()["session"]
        return (time.perf_counter() - began) * 1000


def play_seed_scenarios(widget: Widget, orders: dict[str, dict]) -> int:
    """Every seed scenario as one conversation; the number of shopper turns."""
    turns = 0
    for name, messages in SEED_SCENARIOS:
        order = orders[name]
        values = {"name": name, "number": name.lstrip("#"), "email": order["email"]}
        session = widget.session()
        for message in messages:
            widget.say(session, message.format(**values))
            turns += 1
    return turns


def llm_metrics(database_url: str) -> tuple[int, int, float, int]:
    """(assistant turns, turns that used Gemini, tokens per resolved conversation, resolved)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        turns, used = connection.execute(text(
            "SELECT count(*), coalesce(sum(CASE WHEN used_llm THEN 1 ELSE 0 END), 0) "
            "FROM messages WHERE role = 'assistant'")).one()
        resolved, tokens = connection.execute(text(
            "SELECT count(*), coalesce(sum(llm_tokens_in + llm_tokens_out), 0) "
            "FROM conversations WHERE status = 'resolved'")).one()
    engine.dispose()
    return turns, used, (tokens / resolved if resolved else 0.0), resolved


def unsure_round_trips(widget: Widget, rounds: int) -> list[float]:
    """Round trips of turns the deterministic layer is unsure about (each needs Gemini)."""
    times = []
    for index in range(rounds):
        times.append(widget.say(widget.session(), UNSURE_TURNS[index % len(UNSURE_TURNS)]))
    return times


@contextlib.contextmanager
def stack(args: argparse.Namespace, workdir: Path, fake: FakeGemini) -> Iterator[tuple]:
    """Redis, database, dev store, gunicorn and one worker, all pointed at the fake."""
    fixtures = load_fixtures(None)
    store_port, app_port = free_port(), free_port()
    store_url = f"http://127.0.0.1:{store_port}"
    with (redis_server(workdir, args.redis_url) as redis_url,
          database(workdir, args.postgres_url) as database_url,
          started([sys.executable, "-c", DEVSTORE_SCRIPT, str(store_port), "0", STORE_TOKEN],
                  workdir / "devstore.log", ready_url=store_url + "/_control")):
        env = app_environment(workdir, database_url, redis_url, store_url)
        env.update(GEMINI_API_KEY="benchmark", LUMEN_GEMINI_BASE_URL=fake.base_url,
                   LUMEN_LLM_DEADLINE=str(args.deadline))
        prepare_app(env, fixtures["shop"])
        gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "-k", "gevent", "-w", "2",
                    "-b", f"127.0.0.1:{app_port}", "wsgi:app"]
        base_url = f"http://127.0.0.1:{app_port}"
        with (started([sys.executable, "worker.py"], workdir / "worker.log", env),
              started(gunicorn, workdir / "gunicorn.log", env, base_url + "/healthz")):
            widget = Widget(base_url, fixtures["shop"], env["SHOPIFY_API_SECRET"])
            orders = {order["name"]: order for order in fixtures["orders"]}
            yield widget, orders, database_url


def guard_rejects(cases: list[rewrites.Case]) -> tuple[float, list[float]]:
    """The share of ``cases`` the guard rejects, and each check's time in ms."""
    rejected, times = 0, []
    for case in cases:
        allowed = Allowed(case.template, case.allowed_facts)
        started = time.perf_counter()
        try:
            check_reply(case.reply, allowed, case.language)
        except Rejected:
            rejected += 1
        times.append((time.perf_counter() - started) * 1000)
    return rejected / len(cases), times


def guard_figures() -> None:
    """The guard's reject rates on the faithful and adversarial sets, and its cost."""
    faithful = rewrites.faithful() + rewrites.held_out() + rewrites.untuned()
    rate, times = guard_rejects(faithful)
    fresh_rate, _ = guard_rejects(rewrites.untuned())
    adversarial_rate, more_times = guard_rejects(rewrites.adversarial())
    times += more_times
    print(f"guard: faithful rewrites rejected {rate:.1%} of {len(faithful)} (never tuned on: "
          f"{fresh_rate:.1%} of {len(rewrites.untuned())}); rewrites adding a false "
          f"claim rejected {adversarial_rate:.1%} of {len(rewrites.adversarial())} "
          f"(target 100%); check p50 {percentile(times, 0.5):.2f} ms, "
          f"p99 {percentile(times, 0.99):.2f} ms")


def run(args: argparse.Namespace, workdir: Path) -> None:
    """The guard's figures, then the three measurements, printed as they finish."""
    guard_figures()
    if args.guard_only:
        return
    fake = FakeGemini().start()
    try:
        with stack(args, workdir, fake) as (widget, orders, database_url):
            shopper_turns = play_seed_scenarios(widget, orders)
            turns, used, tokens, resolved = llm_metrics(database_url)
            print(f"seed scenarios: {len(SEED_SCENARIOS)} conversations, {shopper_turns} "
                  f"shopper turns; turns that called Gemini: {used}/{turns} = "
                  f"{used / turns:.1%} (target <= 20%)")
            print(f"LLM tokens per resolved conversation: {tokens:.1f} over {resolved} resolved")
            fake.latency = args.fake_latency
            unsure_round_trips(widget, 4)  # both gunicorn workers have made an LLM call
            times = unsure_round_trips(widget, args.rounds)
            p50 = percentile(times, 0.5)
            print(f"fake at {args.fake_latency * 1000:.0f} ms: LLM turn p50 {p50:.1f} ms = "
                  f"fake + {p50 - args.fake_latency * 1000:.1f} ms (target <= 60 ms); "
                  f"p90 {percentile(times, 0.9):.1f} ms, mean {statistics.fmean(times):.1f} ms")
            fake.mode = "hang"
            times = unsure_round_trips(widget, args.hang_rounds)
            print(f"fake hanging, deadline {args.deadline:g} s: slowest LLM turn "
                  f"{max(times):.1f} ms, p50 {percentile(times, 0.5):.1f} ms "
                  f"(target <= {args.deadline * 1000 + 100:.0f} ms)")
    finally:
        fake.stop()


def main(argv: list[str] | None = None) -> None:
    """Parse options, run, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="LLM turns at 400 ms")
    parser.add_argument("--hang-rounds", type=int, default=5, help="LLM turns with a hang")
    parser.add_argument("--fake-latency", type=float, default=0.4, help="seconds")
    parser.add_argument("--deadline", type=float, default=DEFAULT_LLM_DEADLINE,
                        help="LUMEN_LLM_DEADLINE")
    parser.add_argument("--postgres-url", help="default: a SQLite file")
    parser.add_argument("--redis-url", help="default: a private redis-server")
    parser.add_argument("--keep-logs", action="store_true")
    parser.add_argument("--guard-only", action="store_true", help="only the guard's figures")
    args = parser.parse_args(argv)
    with scratch_dir("lumen-llm-bench-", args.keep_logs) as workdir:
        run(args, workdir)


if __name__ == "__main__":
    main()
