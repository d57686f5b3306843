"""Benchmark: what the stack itself costs per request, before Lumen does any work of its own.

A turn cannot cost less than the framework calls it makes. This plays, in one process with
the Flask test client exactly as ``turn_cost.py`` plays Lumen's turns, a tiny app on the
same stack (Flask 3, Flask-SQLAlchemy 2.0, psycopg 3, redis-py; PostgreSQL and a private
redis-server) that does only the I/O a recorded follow-up turn needs, one layer at a time:

1. JSON in, JSON out (Flask and the test client);
2. + one Redis GET (the chat session);
3. + a rate-limit EVALSHA and a SET (the least Redis traffic of a turn: 3 commands);
4. + one ORM SELECT of a row by key (the shop; Lumen also reads its conversation);
5. + the transcript: one Core INSERT of two rows, one UPDATE, COMMIT (all of a turn's I/O);
6. the same database work as 5 with Core statements on a connection (no ORM session);
7. the same database work as 5 through psycopg alone (no SQLAlchemy), for comparison.

The difference between a layer and the one before is what that I/O costs on this stack; the
difference between layer 5 and ``turn_cost.py``'s figures is Lumen's own work (signature, shop
settings, engine, redaction, bookkeeping). CPU time per request varies with the machine's
speed, so the reference loop of ``conversations.py`` is printed beside it; ``--instructions``
counts instructions per request with callgrind instead, as ``turn_cost.py --instructions`` does,
so the two compare whatever the machine's speed. ``--served`` serves the tiny app as
``conversations.py`` serves Lumen (gunicorn, 2 gevent workers) to concurrent clients and
reports the workers' CPU per request, the figure issue 15's CPU target is stated in.

    .venv/bin/python benchmarks/floor.py [--instructions | --served] \
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import conversations as bench  # noqa: E402
import httpx  # noqa: E402
import psycopg  # noqa: E402
import redis  # noqa: E402
import turn_cost  # noqa: E402
from flask import Flask, jsonify, request  # noqa: E402
from flask_sqlalchemy import SQLAlchemy  # noqa: E402
from sqlalchemy import (  # noqa: E402
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url  # noqa: E402

LAYERS = ("flask: JSON in and out", "+ Redis GET", "+ EVALSHA and SET (3 commands)",
          "+ ORM SELECT by key", "+ INSERT 2 rows, UPDATE, COMMIT", "same, Core on a connection",
          "same, psycopg alone")
# The shape of a rate-limit bucket: count and expiry in one script.
HIT = "local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 60) return n"

metadata = MetaData()
shops = Table("floor_shops", metadata, Column("id", Integer, primary_key=True),
              Column("domain", String(255)), Column("turns", Integer))
messages = Table("floor_messages", metadata, Column("id", Integer, primary_key=True),
                 Column("conversation_id", Integer), Column("text", String))
# One row per client, as each conversation updates its own row (no lock waits between them).
ROWS = 64
SHOP = select(shops).where(shops.c.id == bindparam("shop"))
COUNT_TURN = update(shops).where(shops.c.id == bindparam("shop")).values(turns=shops.c.turns + 1)


def floor_app(database_url: str, redis_url: str, layer: int, *, create: bool = True) -> Flask:
    """The tiny app: one POST view doing the I/O of ``layer`` (see ``LAYERS``); ``create``
    makes its tables (once, before any server process starts)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    db = SQLAlchemy(metadata=metadata)
    db.init_app(app)
    store = redis.Redis.from_url(redis_url)
    hit = store.register_script(HIT)
    raw = psycopg.connect(make_url(database_url).set(drivername="postgresql")
                          .render_as_string(hide_password=False)) if layer == 7 else None

    @app.post("/turn")
    def turn():
        """Read the body, do this layer's I/O, answer."""
        body = request.get_json()
        session, row = body["session"], body["row"]
        if layer >= 2:
            store.get(f"session:{session}")
        if layer >= 3:
            hit(keys=[f"limit:{session}"])
            store.set(f"session:{session}", json.dumps(body), ex=1800)
        if layer in (4, 5):
            db.session.execute(SHOP, {"shop": row}).one()
        if layer == 5:
            db.session.execute(insert(messages), [{"conversation_id": row, "text": body["text"]},
                                                  {"conversation_id": row, "text": "reply"}])
            db.session.execute(COUNT_TURN, {"shop": row})
            db.session.commit()
        if layer == 6:
            _core_turn(db.engine, body["text"], row)
        if raw is not None:
            _raw_turn(raw, body["text"], row)
        return jsonify(replies=[{"text": "reply"}], session=session)

    @app.get("/healthz")
    def healthz():
        """Ready to serve."""
        return "ok"

    if not create:
        return app
    with app.app_context():
        metadata.drop_all(db.engine)
        metadata.create_all(db.engine)
        db.session.execute(insert(shops), [{"id": row, "domain": f"floor{row}.myshopify.com",
                                            "turns": 0} for row in range(1, ROWS + 1)])
        db.session.commit()
    return app


def served_app() -> Flask:
    """The tiny app in a gunicorn worker, configured by the environment ``serve`` sets."""
    return floor_app(os.environ["FLOOR_DATABASE_URL"], os.environ["FLOOR_REDIS_URL"],
                     int(os.environ["FLOOR_LAYER"]), create=False)


def _core_turn(engine: Engine, text: str, row: int) -> None:
    """Layer 5's database work with Core statements on a pooled connection."""
    with engine.begin() as connection:
        connection.execute(SHOP, {"shop": row}).one()
        connection.execute(insert(messages), [{"conversation_id": row, "text": text},
                                              {"conversation_id": row, "text": "reply"}])
        connection.execute(COUNT_TURN, {"shop": row})


def _raw_turn(connection: psycopg.Connection, text: str, row: int) -> None:
    """Layer 5's database work without SQLAlchemy."""
    with connection.transaction():
        connection.execute("SELECT id, domain, turns FROM floor_shops WHERE id = %s",
                           (row,)).fetchone()
        connection.cursor().executemany(
            "INSERT INTO floor_messages (conversation_id, text) VALUES (%s, %s)",
            [(row, text), (row, "reply")])
        connection.execute("UPDATE floor_shops SET turns = turns + 1 WHERE id = %s", (row,))


def measure(app: Flask, requests: int, callgrind: bool) -> tuple[float, float]:
    """User and system CPU milliseconds per request, after a warm-up (under callgrind:
    counted, not timed)."""
    client = app.test_client()
    body = _body(1)
    for _ in range(100):
        client.post("/turn", json=body)
    if callgrind:
        turn_cost.callgrind_control("--instr=on")
    started = os.times()
    for _ in range(requests):
        client.post("/turn", json=body)
    ended = os.times()
    if callgrind:
        turn_cost.callgrind_control("--instr=off")
    return ((ended.user - started.user) / requests * 1000,
            (ended.system - started.system) / requests * 1000)


def _layers(args: argparse.Namespace) -> list[tuple[int, str]]:
    """The layers to measure, numbered; psycopg alone speaks only to PostgreSQL."""
    return [(layer, label) for layer, label in enumerate(LAYERS, start=1)
            if layer != 7 or args.postgres_url]


def _body(row: int) -> dict:
    """A request as a follow-up sends it, for the client that owns ``row``."""
    return {"session": f"{row:024d}", "row": row, "text": "Can I get the tracking link?"}


def serve(args: argparse.Namespace) -> None:
    """Serve each layer with gunicorn (2 gevent workers) to concurrent clients; print the
    workers' CPU per request and the clients' round trip."""
    with bench.scratch_dir("lumen-floor-", keep=False) as workdir:
        with bench.redis_server(workdir, args.redis_url) as redis_url:
            for layer, label in _layers(args):
                with bench.database(workdir, args.postgres_url, "lumen_floor_") as url:
                    floor_app(url, redis_url, layer)
                    cpu_ms, round_trip = _served_layer(workdir, url, redis_url, layer, args)
                print(f"{layer}. {label:34} workers' CPU {cpu_ms:5.2f} ms per request, "
                      f"round trip p50 {round_trip:5.2f} ms", flush=True)


def _served_layer(workdir: Path, database_url: str, redis_url: str, layer: int,
                  args: argparse.Namespace) -> tuple[float, float]:
    """One layer under gunicorn: warm up, then the workers' CPU per measured request."""
    base_url = f"http://127.0.0.1:{bench.free_port()}"
    command = [str(Path(sys.executable).with_name("gunicorn")), "-k", "gevent", "-w", "2",
               "--worker-connections", "1000", "--pythonpath", str(ROOT / "benchmarks"),
               "-b", base_url.removeprefix("http://"), "floor:served_app()"]
    env = {**os.environ, "FLOOR_DATABASE_URL": database_url, "FLOOR_REDIS_URL": redis_url,
           "FLOOR_LAYER": str(layer)}
    with bench.started(command, workdir / "gunicorn.log", env, base_url + "/healthz") as server:
        workers = bench.children(server.pid)
        _load(base_url, args.concurrency, 200)
        before = bench.cpu_seconds(workers)
        round_trips = _load(base_url, args.concurrency, args.requests)
        used = bench.cpu_seconds(workers) - before
    return used / len(round_trips) * 1000, statistics.median(round_trips)


def _load(base_url: str, concurrency: int, requests: int) -> list[float]:
    """``requests`` POSTs from ``concurrency`` clients, each on its own row; round trips in ms."""
    def client(row: int) -> list[float]:
        times = []
        with httpx.Client(base_url=base_url) as http:
            for _ in range(requests // concurrency):
                started = time.perf_counter()
                http.post("/turn", json=_body(row)).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
        return times

    with ThreadPoolExecutor(concurrency) as pool:
        return [ms for times in pool.map(client, range(1, concurrency + 1)) for ms in times]


def play(args: argparse.Namespace) -> None:
    """Measure each layer on a fresh database; print CPU per request, or dump counts."""
    callgrind = bool(os.environ.get(turn_cost.UNDER_CALLGRIND))
    with bench.scratch_dir("lumen-floor-", keep=False) as workdir:
        with bench.redis_server(workdir, args.redis_url) as redis_url:
            for layer, label in _layers(args):
                with bench.database(workdir, args.postgres_url, "lumen_floor_") as url:
                    user_ms, system_ms = measure(floor_app(url, redis_url, layer),
                                                 args.requests, callgrind)
                if callgrind:
                    turn_cost.callgrind_control(f"--dump={layer}")
                else:
                    print(f"{layer}. {label:34} CPU {user_ms + system_ms:5.2f} ms per request"
                          f" (user {user_ms:5.2f}, system {system_ms:5.2f})", flush=True)


def counted(args: argparse.Namespace) -> None:
    """Run this script under callgrind and print instructions per request of each layer."""
    totals = turn_cost.run_counted(__file__, ["--requests", str(args.requests)], args)
    print("instructions (callgrind), millions per request:")
    for layer, (label, total) in enumerate(zip(LAYERS, totals, strict=False), start=1):
        print(f"{layer}. {label:34} {total / args.requests / 1e6:6.2f}")


def main(argv: list[str] | None = None) -> None:
    """Count instructions under callgrind, or time each layer's requests."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="measured per layer")
    turn_cost.add_service_options(parser, "slow: use --requests 100")
    parser.add_argument("--served", action="store_true",
                        help="serve with gunicorn (2 gevent workers) to concurrent clients")
    parser.add_argument("--concurrency", type=int, default=20,
                        help=f"clients with --served (at most {ROWS})")
    args = parser.parse_args(argv)
    if args.instructions:
        counted(args)
        return
    if args.served:
        serve(args)
        return
    timed = not os.environ.get(turn_cost.UNDER_CALLGRIND)  # under valgrind, times mean nothing
    if timed:
        print(f"machine reference loop: {bench.reference_ms():.1f} ms")
    play(args)
    if timed:
        print(f"machine reference loop: {bench.reference_ms():.1f} ms")


if __name__ == "__main__":
    main()
