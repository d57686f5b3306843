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
so the two compare whatever the machine's speed.

    .venv/bin/python benchmarks/floor.py [--instructions] \
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import conversations as bench  # noqa: E402
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
SHOP = select(shops).where(shops.c.id == bindparam("shop"))
COUNT_TURN = update(shops).where(shops.c.id == bindparam("shop")).values(turns=shops.c.turns + 1)


def floor_app(database_url: str, redis_url: str, layer: int) -> Flask:
    """The tiny app: one POST view doing the I/O of ``layer`` (see ``LAYERS``)."""
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
        if layer >= 2:
            store.get(f"session:{body['session']}")
        if layer >= 3:
            hit(keys=[f"limit:{body['session']}"])
            store.set(f"session:{body['session']}", json.dumps(body), ex=1800)
        if layer in (4, 5):
            db.session.execute(SHOP, {"shop": 1}).one()
        if layer == 5:
            db.session.execute(insert(messages), [{"conversation_id": 1, "text": body["text"]},
                                                  {"conversation_id": 1, "text": "reply"}])
            db.session.execute(COUNT_TURN, {"shop": 1})
            db.session.commit()
        if layer == 6:
            _core_turn(db.engine, body["text"])
        if raw is not None:
            _raw_turn(raw, body["text"])
        return jsonify(replies=[{"text": "reply"}], session=body["session"])

    with app.app_context():
        metadata.drop_all(db.engine)
        metadata.create_all(db.engine)
        db.session.execute(insert(shops).values(id=1, domain="floor.myshopify.com", turns=0))
        db.session.commit()
    return app


def _core_turn(engine: Engine, text: str) -> None:
    """Layer 5's database work with Core statements on a pooled connection."""
    with engine.begin() as connection:
        connection.execute(SHOP, {"shop": 1}).one()
        connection.execute(insert(messages), [{"conversation_id": 1, "text": text},
                                              {"conversation_id": 1, "text": "reply"}])
        connection.execute(COUNT_TURN, {"shop": 1})


def _raw_turn(connection: psycopg.Connection, text: str) -> None:
    """Layer 5's database work without SQLAlchemy."""
    with connection.transaction():
        connection.execute("SELECT id, domain, turns FROM floor_shops WHERE id = %s",
                           (1,)).fetchone()
        connection.cursor().executemany(
            "INSERT INTO floor_messages (conversation_id, text) VALUES (%s, %s)",
            [(1, text), (1, "reply")])
        connection.execute("UPDATE floor_shops SET turns = turns + 1 WHERE id = %s", (1,))


def measure(app: Flask, requests: int, callgrind: bool) -> tuple[float, float]:
    """User and system CPU milliseconds per request, after a warm-up (under callgrind:
    counted, not timed)."""
    client = app.test_client()
    body = {"session": "s" * 24, "text": "Can I get the tracking link?"}
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


def play(args: argparse.Namespace) -> None:
    """Measure each layer on a fresh database; print CPU per request, or dump counts."""
    callgrind = bool(os.environ.get(turn_cost.UNDER_CALLGRIND))
    with bench.scratch_dir("lumen-floor-", keep=False) as workdir:
        with bench.redis_server(workdir, args.redis_url) as redis_url:
            for layer, label in enumerate(LAYERS, start=1):
                if layer == 7 and not args.postgres_url:
                    continue  # psycopg speaks only to PostgreSQL
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
    args = parser.parse_args(argv)
    if args.instructions:
        counted(args)
        return
    timed = not os.environ.get(turn_cost.UNDER_CALLGRIND)  # under valgrind, times mean nothing
    if timed:
        print(f"machine reference loop: {bench.reference_ms():.1f} ms")
    play(args)
    if timed:
        print(f"machine reference loop: {bench.reference_ms():.1f} ms")


if __name__ == "__main__":
    main()
