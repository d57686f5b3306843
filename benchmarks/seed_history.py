"""Seed PostgreSQL with a large conversation history, fast: set-based SQL (generate_series).

    .venv/bin/python benchmarks/seed_history.py \
        --postgres-url postgresql://postgres@127.0.0.1/postgres --database lumen_bench_history \
        --conversations 1000000 --messages-per-conversation 6

The database is created afresh (dropped first if it exists) and migrated (the app's Alembic
migrations), then filled with one INSERT ... SELECT per table; the secondary indexes are
dropped during the load and rebuilt after it (exactly the definitions the migrations made),
then the tables are VACUUM ANALYZEd.

Most conversations belong to one big store (the one the benchmarks query); the rest are spread
over other stores so every query must really filter by shop. Dates cover the last 90 days, in
insertion order (as rows arrive in production, so the newest rows sit together on disk).
Texts come from a small set of realistic (redacted) messages with order numbers mixed in.
The analytics benchmark reuses ``seed()``.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BIG_SHOP = "big-store.myshopify.com"
OTHER_SHOPS = 9
DAYS = 90
SHOPPER_TEXTS = (
    "Where is my order?", "order #{n} [email]", "Has it shipped yet?", "thanks!",
    "It says delivered but I never got my parcel", "Can I get the tracking link?",
    "I want a refund", "when will it arrive?", "hello", "talk to a person please",
    "my package is late, this is ridiculous", "do you have this in blue?",
)
ASSISTANT_TEXTS = (
    "Your order #{n} is on its way with USPS.\nTrack your package: https://tools.usps.com/go/"
    "TrackConfirmAction?tLabels=9400{n}",
    "Sure! What's your order number?",
    "For security, please give the email address used at checkout for order #{n}.",
    "I couldn't find an order matching #{n}. Could you double-check the number?",
    "Your order #{n} was delivered on the 16th. If it never arrived, I can ask our team.",
    "You're welcome! Anything else about your order?",
    "I've passed this to the store's team; they'll get back to you by email.",
    "I can help with order status and tracking.",
)


@dataclass(frozen=True)
class Seeded:
    """What seed() made."""

    big_shop_id: int
    conversations: int
    messages: int
    seconds: float


def seed(url: str, conversations: int, messages_per: int = 6, big_share: float = 0.9,
         log=print) -> Seeded:
    """Migrate the database at ``url`` and fill it; return the big shop's id and counts."""
    started = time.perf_counter()
    _migrate(url)
    with psycopg.connect(_plain(url), autocommit=True) as connection:
        big_shop_id = _shops(connection)
        indexes = _drop_secondary_indexes(connection)
        try:
            log(f"  inserting {conversations:,} conversations …")
            _conversations(connection, conversations, big_shop_id, big_share, messages_per)
            log(f"  inserting {conversations * messages_per:,} messages …")
            _messages(connection, messages_per)
            _tickets(connection)
        finally:
            log(f"  rebuilding {len(indexes)} indexes …")
            connection.execute("SET maintenance_work_mem = '256MB'")
            for definition in indexes:
                connection.execute(definition)
        log("  vacuum analyze …")
        connection.execute("VACUUM ANALYZE")
        counts = connection.execute("SELECT (SELECT count(*) FROM conversations), "
                                    "(SELECT count(*) FROM messages)").fetchone()
    return Seeded(big_shop_id, counts[0], counts[1], time.perf_counter() - started)


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create database ``name`` on the server; return its URL."""
    if not name.replace("_", "").isalnum():
        raise ValueError("database names here are letters, digits and underscores")
    with psycopg.connect(_plain(server_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = _plain(server_url).rpartition("/")
    return f"{base}/{name}"


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from lumen import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://",
                                                             "postgresql+psycopg://", 1)},
                     environ={})
    with app.app_context():
        upgrade()
        from lumen.extensions import db

        db.engine.dispose()


def _shops(connection: psycopg.Connection) -> int:
    connection.execute("TRUNCATE shops RESTART IDENTITY CASCADE")
    connection.execute(
        "INSERT INTO shops (domain, scopes, plan, installed_at, access_token, iana_timezone, "
        "timezone_checked_at) SELECT d, 'read_orders', 'pro_plus', now(), NULL, "
        "'America/New_York', now() + interval '3650 days' FROM unnest(%s::text[]) AS d",
        ([BIG_SHOP] + [f"store-{n}.myshopify.com" for n in range(OTHER_SHOPS)],))
    connection.execute("INSERT INTO shop_settings (shop_id, welcome_message, quick_prompts, "
                       "tone, persona, retention_days, order_name_prefix, order_name_suffix) "
                       "SELECT id, 'Hi!', '[]', 'friendly', '', 90, '#', '' FROM shops")
    return connection.execute("SELECT id FROM shops WHERE domain = %s", (BIG_SHOP,)).fetchone()[0]


def _drop_secondary_indexes(connection: psycopg.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename "
        "IN ('conversations', 'messages', 'tickets') AND indexname NOT LIKE '%_pkey' "
        "AND indexdef NOT LIKE 'CREATE UNIQUE%'").fetchall()
    for name, _ in rows:
        connection.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _conversations(connection: psycopg.Connection, count: int, big_shop_id: int,
                   big_share: float, per: int) -> None:
    # One row per g; r1..r5 are independent uniform draws that pick the row's facts.
    connection.execute(f"""
        INSERT INTO conversations (id, shop_id, customer_hash, order_names, order_ids, outcome,
            asked_order, details_delivered, thanked, sentiment, sentiment_score, started_at,
            ended_at, message_count, feedback, llm_tokens_in, llm_tokens_out, llm_turns,
            first_reply_ms, ticket_status, search_vector)
        SELECT g, CASE WHEN r1 < {big_share} THEN {big_shop_id}
                    ELSE {big_shop_id} + 1 + (g %% {OTHER_SHOPS}) END,
               NULL,
               CASE WHEN outcome = 'other' THEN '[]'
                    ELSE json_build_array('#' || (1000 + (g::bigint * 7919) %% 90000)) END,
               '[]', outcome, outcome <> 'other',
               outcome IN ('answered', 'confirmed') OR (outcome = 'escalated' AND r2 < 0.5),
               outcome = 'confirmed' AND r2 < 0.7,
               CASE WHEN r3 < 0.15 THEN 'negative' WHEN r3 < 0.75 THEN 'neutral'
                    ELSE 'positive' END,
               CASE WHEN r3 < 0.15 THEN -0.5 WHEN r3 < 0.75 THEN 0.0 ELSE 0.6 END,
               started, started + {per - 1} * interval '20 seconds', {per}, feedback,
               0, 0, CASE WHEN r4 < 0.05 THEN 1 ELSE 0 END, 20 + r4 * 200,
               -- What the tickets' trigger would write for _tickets' rows (migration 0008).
               CASE WHEN outcome = 'escalated'
                    THEN CASE WHEN g %% 5 < 2 THEN 'open' ELSE 'closed' END END,
               -- The search document the messages' trigger would build (migration 0008),
               -- written with the row so the table keeps its arrival order.
               (SELECT to_tsvector('simple'::regconfig, string_agg({_text('g')}, ' ' ORDER BY k))
                FROM generate_series(0, {per - 1}) AS k)
        FROM (
            SELECT g, r1, r2, r3, r4, r5,
                   -- Rows arrive in time order, as in production (g = arrival order).
                   now() - ((1 - g::float8 / {count}) * interval '{DAYS} days')
                       - r1 * interval '60 seconds' AS started,
                   CASE WHEN r4 < 0.40 THEN 'answered' WHEN r4 < 0.55 THEN 'confirmed'
                        WHEN r4 < 0.75 THEN 'unanswered' WHEN r4 < 0.83 THEN 'escalated'
                        ELSE 'other' END AS outcome,
                   CASE WHEN r5 < 0.10 THEN 'up' WHEN r5 < 0.14 THEN 'down' END AS feedback
            FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                         random() AS r5
                  FROM generate_series(1, {count}) AS g) AS draws
        ) AS rows
    """, _TEXTS)
    connection.execute("SELECT setval('conversations_id_seq', (SELECT max(id) FROM conversations))")


def _text(conversation_id: str) -> str:
    """SQL for message k's text in conversation ``conversation_id`` (shopper on even k)."""
    return f"""replace(CASE WHEN k %% 2 = 0
                    THEN (%(shopper)s::text[])[1 + ({conversation_id} * 31 + k) %% %(ns)s]
                    ELSE (%(assistant)s::text[])[1 + ({conversation_id} * 17 + k) %% %(na)s] END,
               '{{n}}', (1000 + ({conversation_id}::bigint * 7919) %% 90000)::text)"""


_TEXTS = {"shopper": list(SHOPPER_TEXTS), "assistant": list(ASSISTANT_TEXTS),
          "ns": len(SHOPPER_TEXTS), "na": len(ASSISTANT_TEXTS)}


def _messages(connection: psycopg.Connection, per: int) -> None:
    # The documents were written with the conversations: the trigger would only redo them.
    connection.execute("ALTER TABLE messages DISABLE TRIGGER lumen_search_insert")
    connection.execute(f"""
        INSERT INTO messages (conversation_id, role, text, created_at, intent, latency_ms,
            used_llm, llm_latency_ms, tokens_in, tokens_out, sentiment_score)
        SELECT c.id, CASE WHEN k %% 2 = 0 THEN 'shopper' ELSE 'assistant' END,
               {_text('c.id')},
               c.started_at + k * interval '20 seconds',
               (ARRAY['track','provide_details','shipped','thanks','not_received'])
                   [1 + (c.id + k) %% 5],
               CASE WHEN k %% 2 = 1 THEN 15 + (c.id %% 40) END,
               false, NULL, 0, 0, NULL
        FROM conversations c CROSS JOIN generate_series(0, %(last)s) AS k
    """, {**_TEXTS, "last": per - 1})
    connection.execute("ALTER TABLE messages ENABLE TRIGGER lumen_search_insert")


def _tickets(connection: psycopg.Connection) -> None:
    # Each conversation's ticket status was written with it: the trigger would only redo it.
    connection.execute("ALTER TABLE tickets DISABLE TRIGGER lumen_ticket_status")
    connection.execute("""
        INSERT INTO tickets (shop_id, conversation_id, reason, summary, order_name, status,
            created_at, updated_at, note)
        SELECT shop_id, id,
               (ARRAY['not_received','human_requested','frustration','out_of_scope',
                      'verification_locked'])[1 + id % 5],
               'The shopper asked for help.', order_names ->> 0,
               CASE WHEN id % 5 < 2 THEN 'open' ELSE 'closed' END,
               started_at + interval '60 seconds', started_at + interval '60 seconds', ''
        FROM conversations WHERE outcome = 'escalated'
    """)
    connection.execute("ALTER TABLE tickets ENABLE TRIGGER lumen_ticket_status")


def main() -> None:
    """Seed the database named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", required=True, help="any database on the server")
    parser.add_argument("--database", default="lumen_bench_history")
    parser.add_argument("--conversations", type=int, default=1_000_000)
    parser.add_argument("--messages-per-conversation", type=int, default=6)
    args = parser.parse_args()
    url = fresh_database(args.postgres_url, args.database)
    result = seed(url, args.conversations, args.messages_per_conversation)
    print(f"{url}: seeded {result.conversations:,} conversations and {result.messages:,} messages "
          f"in {result.seconds:.0f} s (big shop id {result.big_shop_id})")


if __name__ == "__main__":
    main()
