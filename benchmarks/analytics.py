"""Benchmark: the analytics numbers for a 90-day range over 1,000,000 conversations (PostgreSQL).

Creates a scratch database (migrated like production), seeds one shop with N conversations
spread over the last D days in the shop's time zone (3 turns each on average, so 3N messages of
each role, a mix of every outcome, intents, reply times, Gemini turns, sentiment and tickets),
runs the daily rollup job once (timed), then times `lumen.analytics.report.shop_analytics`
(the function behind the page and the JSON) for the last 90 days, and prints each query's plan
(EXPLAIN ANALYZE, BUFFERS). ``--raw-runs N`` also times N calls with the rollup emptied (every
day from the raw rows), to show why the rollup exists.

    .venv/bin/python benchmarks/analytics.py --conversations 1000000

The seed is written by PostgreSQL itself (INSERT ... SELECT over generate_series), so a million
conversations take a minute or two, not an hour of ORM inserts. The database is dropped at the
end unless --keep (then --reuse NAME measures it again without seeding).
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

ZONE = "America/New_York"
SECRETS = {"SECRET_KEY": "bench-secret-key-" + "x" * 32,
           # Fixed, so a kept database can be measured again (--reuse).
           "LUMEN_ENCRYPTION_KEYS": base64.urlsafe_b64encode(b"lumen-analytics-benchmark-key-32")
           .decode(),
           "LUMEN_EMAIL_HASH_KEY": "bench-email-hash-key-" + "y" * 32,
           "SHOPIFY_API_KEY": "bench", "SHOPIFY_API_SECRET": "bench-secret"}

# Outcome facts by id % 20: escalated 2, confirmed 4, answered 7, unanswered 3, other 4.
SEED_CONVERSATIONS = """
INSERT INTO conversations (shop_id, order_names, order_ids, outcome, asked_order,
    details_delivered, thanked, sentiment, sentiment_score, started_at, ended_at, message_count,
    feedback, llm_tokens_in, llm_tokens_out, llm_turns, first_reply_ms, order_situation)
SELECT :shop_id, '[]', '[]', o.outcome, o.outcome <> 'other', o.outcome IN ('answered',
    'confirmed', 'escalated'), o.outcome = 'confirmed',
    (ARRAY['negative', 'neutral', 'positive', 'neutral'])[1 + g % 4], 0,
    s.started_at, s.started_at + interval '3 minutes', 2 * (1 + g % 5),
    CASE WHEN g % 23 = 0 THEN 'down' WHEN g % 7 = 0 THEN 'up' END,
    CASE WHEN g % 25 = 0 THEN 400 ELSE 0 END, CASE WHEN g % 25 = 0 THEN 60 ELSE 0 END,
    CASE WHEN g % 25 = 0 THEN 1 ELSE 0 END, 5 + (g % 97),
    (ARRAY['no_tracking', 'stale_tracking', 'delivered_not_received', NULL, NULL, NULL])
        [1 + g % 6]
FROM generate_series(1, :n) AS g
CROSS JOIN LATERAL (SELECT (ARRAY['escalated', 'escalated', 'confirmed', 'confirmed',
    'confirmed', 'confirmed', 'answered', 'answered', 'answered', 'answered', 'answered',
    'answered', 'answered', 'unanswered', 'unanswered', 'unanswered', 'other', 'other', 'other',
    'other'])[1 + g % 20] AS outcome) AS o
CROSS JOIN LATERAL (SELECT now() - ((g::bigint * 7919) % (:days * 86400)) * interval '1 second'
    AS started_at) AS s
"""
SEED_MESSAGES = """
INSERT INTO messages (conversation_id, role, text, created_at, intent, latency_ms, used_llm,
    tokens_in, tokens_out)
SELECT c.id, r.role, CASE r.role WHEN 'shopper' THEN 'where is my order'
    ELSE 'Your order is in transit.' END, c.started_at + t * interval '20 seconds',
    (ARRAY['track', 'eta', 'provide_details', 'provide_details', 'tracking_link', 'refund',
           'human', 'greeting', 'not_received', 'thanks'])[1 + (c.id + t) % 10],
    CASE r.role WHEN 'assistant' THEN 3 + (c.id * 7 + t * 13) % 180 END,
    r.role = 'assistant' AND c.llm_turns > 0 AND t = 1,
    0, 0
FROM conversations c
CROSS JOIN generate_series(1, c.message_count / 2) AS t
CROSS JOIN (VALUES ('shopper'), ('assistant')) AS r(role)
WHERE c.shop_id = :shop_id
"""
SEED_TICKETS = """
INSERT INTO tickets (shop_id, conversation_id, reason, summary, status, created_at, updated_at,
    note)
SELECT c.shop_id, c.id, (ARRAY['human_requested', 'not_received', 'out_of_scope',
    'frustration'])[1 + c.id % 4], 'needs a person', 'open', c.ended_at, c.ended_at, ''
FROM conversations c WHERE c.shop_id = :shop_id AND c.outcome = 'escalated'
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--conversations", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90, help="spread the seed over this many days")
    parser.add_argument("--range-days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--raw-runs", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", help="measure this existing database; no seeding")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Create and seed a database, measure, print the plans, drop it."""
    args = parse_args(argv)
    import psycopg

    admin = make_url(args.postgres_url).set(drivername="postgresql")
    admin_dsn = admin.render_as_string(hide_password=False)
    name = args.reuse or f"lumen_bench_analytics_{uuid.uuid4().hex[:8]}"
    if not args.reuse:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(args.postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        measure(args, url, seed=not args.reuse)
    finally:
        if not (args.keep or args.reuse):
            with psycopg.connect(admin_dsn, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept database {name}")


def measure(args: argparse.Namespace, url: str, *, seed: bool) -> None:
    """Seed (unless reusing), then time the analytics function and explain its queries."""
    from flask_migrate import upgrade

    from lumen import create_app
    from lumen.extensions import db
    from lumen.jobs.analytics import roll_up_shop
    from lumen.models import AnalyticsDay, Shop, ShopSettings

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, **SECRETS}, environ={})
    with app.app_context():
        if not seed:
            # A database seeded by an earlier version of this script may lack the rollup.
            AnalyticsDay.__table__.create(db.engine, checkfirst=True)
            db.session.execute(text("UPDATE shops SET access_token = NULL"))  # not needed here
            db.session.commit()
        if seed:
            upgrade()
            shop = Shop(domain="bench.myshopify.com", iana_timezone=ZONE,
                        settings=ShopSettings())
            db.session.add(shop)
            db.session.commit()
            seed_database(shop.id, args.conversations, args.days)
        shop = db.session.scalars(db.select(Shop)).first()
        if args.raw_runs:
            db.session.execute(db.delete(AnalyticsDay))
            db.session.commit()
            time_analytics(shop, args, runs=args.raw_runs, label="no rollup (raw rows only)",
                           keep=False)
        started = time.perf_counter()
        stored = roll_up_shop(shop.id)
        print(f"rollup job: {stored} days stored in {time.perf_counter() - started:.1f} s")
        time_analytics(shop, args, runs=args.runs, label="with the daily rollup")
        time_full_open_day(shop, args.runs)
        time_late_open_day(shop, args.runs)
        explain(shop, args)


def seed_database(shop_id: int, conversations: int, days: int) -> None:
    """Conversations, messages and tickets for one shop, written by PostgreSQL."""
    from lumen.extensions import db

    started = time.perf_counter()
    with db.engine.begin() as connection:
        connection.execute(text(SEED_CONVERSATIONS),
                           {"shop_id": shop_id, "n": conversations, "days": days})
        # The transcripts' search documents (migration 0008) are not analytics, and by far the
        # slowest part to write while seeding.
        connection.execute(text("ALTER TABLE messages DISABLE TRIGGER lumen_search_insert"))
        connection.execute(text(SEED_MESSAGES), {"shop_id": shop_id})
        connection.execute(text("ALTER TABLE messages ENABLE TRIGGER lumen_search_insert"))
        connection.execute(text("ALTER TABLE tickets DISABLE TRIGGER lumen_ticket_status"))
        connection.execute(text(SEED_TICKETS), {"shop_id": shop_id})
        connection.execute(text("ALTER TABLE tickets ENABLE TRIGGER lumen_ticket_status"))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    counts = {table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))
              for table in ("conversations", "messages", "tickets")}
    print(f"seeded {counts} in {time.perf_counter() - started:.0f} s")


def time_analytics(shop, args: argparse.Namespace, *, runs: int, label: str,
                   keep: bool = True) -> None:
    """p50/p95 of the function's wall time over ``runs`` calls (committed, as the view does,
    unless not ``keep``)."""
    from lumen.analytics.report import shop_analytics
    from lumen.extensions import db

    period = range_period(shop, args.range_days)
    shop_analytics(shop, period, with_sentiment=True)  # warm the cache as a live server is
    if keep:
        db.session.commit()
    db.session.rollback()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = shop_analytics(shop, period, with_sentiment=True).as_json()
        if keep:
            db.session.commit()  # as the view does: closed hours read raw are kept
        timings.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"{label}: {args.range_days}-day range, {result['conversations']:,} conversations "
          f"(previous {result['previous']['conversations']:,}); "
          f"server time over {runs} runs: p50 {statistics.median(timings):.0f} ms, "
          f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms")


def time_full_open_day(shop, runs: int) -> None:
    """Today is always read raw; late in the day it is a whole day's rows. Time yesterday's
    raw queries as that worst case (the rollup's read is the same at any hour)."""
    from lumen.analytics.period import Period
    from lumen.analytics.queries import raw_day_numbers
    from lumen.extensions import db

    period = range_period(shop, 2)
    yesterday = Period(period.first, period.first, period.zone)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        numbers = raw_day_numbers(shop.id, yesterday)
        timings.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    timings.sort()
    count = sum(sum(day.outcomes.values()) for day in numbers.values())
    print(f"one whole open day read raw ({count:,} conversations): p50 "
          f"{statistics.median(timings):.0f} ms, p95 "
          f"{timings[max(0, round(0.95 * len(timings)) - 1)]:.0f} ms")


def time_late_open_day(shop, runs: int) -> None:
    """The 90-day range at 23:50 on a full day (yesterday, its stored day dropped): the first
    load reads the day's closed hours raw and stores them; the next ones read them stored and
    only the open hour raw; then one conversation of the morning changes (its hour is
    dropped) and the next load counts that hour again."""
    from datetime import UTC, datetime
    from datetime import time as clock

    from lumen.analytics.period import Period
    from lumen.analytics.report import shop_analytics
    from lumen.extensions import db
    from lumen.models import AnalyticsDay, AnalyticsHour, Conversation

    zone = range_period(shop, 1).zone
    day = range_period(shop, 2).first
    now = datetime.combine(day, clock(23, 50), zone).astimezone(UTC)
    period = Period(day - timedelta(days=89), day, zone)
    db.session.execute(db.delete(AnalyticsDay).where(AnalyticsDay.day == day))
    db.session.execute(db.delete(AnalyticsHour))
    db.session.commit()

    def load() -> float:
        started = time.perf_counter()
        shop_analytics(shop, period, with_sentiment=True, now=now)
        db.session.commit()  # as the view does: the stored hours are kept
        return (time.perf_counter() - started) * 1000

    first = load()
    timings = sorted(load() for _ in range(runs))
    morning = db.session.scalars(db.select(Conversation).where(
        Conversation.shop_id == shop.id,
        Conversation.started_at >= datetime.combine(day, clock(9), zone)).order_by(
        Conversation.started_at).limit(1)).one()
    morning.sentiment = "negative" if morning.sentiment != "negative" else "positive"
    db.session.commit()
    recount = load()
    today = sum(db.session.execute(db.select(db.func.count()).select_from(Conversation).where(
        Conversation.shop_id == shop.id, Conversation.started_at >= period.end_utc
        - timedelta(days=1), Conversation.started_at < period.end_utc)).scalars())
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"90-day range at 23:50 of a full day ({today:,} conversations that day): first load "
          f"{first:.0f} ms (stores 23 closed hours); then over {runs} loads p50 "
          f"{statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms; "
          f"after a morning conversation changed: {recount:.0f} ms")


def range_period(shop, days: int):
    """The last ``days`` days up to today, in the shop's zone."""
    from lumen.analytics.period import parse_period, zone_named
    from lumen.models import utcnow

    zone = zone_named(shop.iana_timezone)
    today = utcnow().astimezone(zone).date()
    return parse_period({"from": (today - timedelta(days=days - 1)).isoformat(),
                         "to": today.isoformat()}, zone, utcnow())


def explain(shop, args: argparse.Namespace) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement one call of the function runs."""
    from lumen.analytics.report import shop_analytics
    from lumen.extensions import db

    period = range_period(shop, args.range_days)
    statements = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        shop_analytics(shop, period, with_sentiment=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("\n" + statement.strip().splitlines()[0][:100] + " ...")
            print("\n".join(row[0] for row in cursor.fetchall()))
    finally:
        raw.close()


if __name__ == "__main__":
    main()
