"""Benchmark: the Conversations list, the transcript and the CSV export on a big history.

Run benchmarks/seed_history.py first (1,000,000 conversations, 6,000,000 messages), then:

    .venv/bin/python benchmarks/history.py \
        --postgres-url postgresql://postgres@127.0.0.1:5432/lumen_bench_history

Each list scenario (a filter combination) and the transcript view is requested ``--repeat``
times through the app in process (routing, gate, queries, templates: the server's time, no
network), and p50/p95/max are reported. EXPLAIN (ANALYZE, BUFFERS) of each scenario's list
query is written to ``--plans``. Then the CSV export of ``--export-days`` days of the big
store (about 100,000 conversations) runs as the RQ job does, in a fresh process, and its
wall time and peak memory (max RSS) are reported.
"""

from __future__ import annotations

import argparse
import base64
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.seed_history import BIG_SHOP  # noqa: E402

# A fixed key, so the job's own process reads the token the benchmark stored (benchmark data).
BENCH_KEY = base64.urlsafe_b64encode(b"lumen-benchmark-key-32-bytes!!!!").decode()

SCENARIOS = {
    "no filter": "",
    "outcome=escalated": "outcome=escalated",
    "outcome=answered+confirmed": "outcome=answered&outcome=confirmed",
    "last 7 days": "from={week_ago}&to={today}",
    "ticket=open": "ticket=open",
    "feedback=down": "feedback=down",
    "sentiment=negative": "sentiment=negative",
    "order number": "order={order}",
    "text: common word (parcel)": "q=parcel",
    "text: two words": "q=ridiculous+late",
    "text: two common words that never meet": "q=shipped+thanks",
    "text: two words + sentiment + feedback": "q=parcel+refund&sentiment=negative&feedback=down",
    "text: rare (an order number)": "q={order}",
    "text: no match": "q=zebra",
    "outcome+date+feedback": "outcome=unanswered&from={month_ago}&to={today}&feedback=down",
    "ticket=open+sentiment+q": "ticket=open&sentiment=negative&q=refund",
    # Filters that exclude each other (a ticket means escalated): nothing or little matches,
    # though each filter alone matches many.
    "outcome=answered+ticket=open (none)": "outcome=answered&ticket=open",
    "outcome=other+ticket=closed (none)": "outcome=other&ticket=closed",
    "feedback=up+unanswered+ticket=open": "feedback=up&outcome=unanswered&ticket=open",
    "escalated+open+positive+down": "outcome=escalated&ticket=open&sentiment=positive"
                                    "&feedback=down",
    "positive+down+escalated": "sentiment=positive&feedback=down&outcome=escalated",
    "feedback=down+confirmed": "feedback=down&outcome=confirmed",
    "deep page (cursor 60 days back)": "after={deep_cursor}",
    "escalated, page 2 of a date range": "outcome=escalated&from={month_ago}&after={mid_cursor}",
}
JOB_SCRIPT = """
import resource, sys, time
sys.path.insert(0, {root!r})
from benchmarks.history import bench_app
from lumen.history.exports import write_export
app = bench_app({url!r})
with app.app_context():
    started = time.perf_counter()
    rows = write_export({export_id})
    seconds = time.perf_counter() - started
print(rows, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_app(url: str):
    """The app on the benchmark database, with the development login for the big store."""
    from lumen import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url.replace("postgresql://",
                                                              "postgresql+psycopg://", 1),
                       "LUMEN_DEMO_SHOP": BIG_SHOP, "SECRET_KEY": "bench-" + "x" * 40,
                       "LUMEN_ENCRYPTION_KEYS": BENCH_KEY, "TESTING": False},
                      environ={})


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    """Run every scenario, the transcript view and the export; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--plans", type=Path, default=Path("/tmp/lumen-history-plans"))
    parser.add_argument("--export-days", type=int, default=10)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--only-export", action="store_true")
    args = parser.parse_args()
    app = bench_app(args.postgres_url)
    with app.app_context():
        values = _prepare(app)
        client = app.test_client()
        client.get("/admin/dev-login")
        if not args.only_export:
            _list_scenarios(client, values, args.repeat)
            _transcripts(client, values, args.repeat)
            _explain(values, args.plans)
        if not args.skip_export:
            _export(app, args.postgres_url, values, args.export_days)


def _prepare(app) -> dict[str, str]:
    from sqlalchemy import select

    from lumen.extensions import db
    from lumen.history.filters import Cursor
    from lumen.models import Conversation, Shop, utcnow

    shop = db.session.scalar(select(Shop).where(Shop.domain == BIG_SHOP))
    shop.access_token = "shpat_benchmark"  # installed: the gate lets the dev login in
    db.session.commit()
    now = utcnow()
    zone_today = now.date()

    def cursor_at(days: int) -> str:
        row = db.session.execute(select(Conversation.started_at, Conversation.id).where(
            Conversation.shop_id == shop.id, Conversation.started_at < now - timedelta(days=days))
            .order_by(Conversation.started_at.desc(), Conversation.id.desc()).limit(1)).one()
        return Cursor(row.started_at, row.id).token()

    order = db.session.scalar(select(Conversation.order_names).where(
        Conversation.shop_id == shop.id, Conversation.outcome == "answered").limit(1))[0]
    ids = list(db.session.scalars(select(Conversation.id).where(
        Conversation.shop_id == shop.id).order_by(Conversation.id).limit(1).offset(1000)))
    return {"today": zone_today.isoformat(),
            "week_ago": (zone_today - timedelta(days=7)).isoformat(),
            "month_ago": (zone_today - timedelta(days=30)).isoformat(),
            "order": order.lstrip("#"), "deep_cursor": cursor_at(60), "mid_cursor": cursor_at(15),
            "shop_id": str(shop.id), "first_id": str(ids[0])}


def _timed(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path, headers={"HX-Request": "true",
                                         "HX-Target": "conversation-list"})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:300]}")
    return elapsed


def _list_scenarios(client, values: dict[str, str], repeat: int) -> None:
    print(f"{'scenario':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  count shown")
    for name, query in SCENARIOS.items():
        path = "/admin/conversations?" + query.format(**values)
        _timed(client, path)  # warm the plan and the cache once
        times = [_timed(client, path) for _ in range(repeat)]
        shown = client.get(path, headers={"HX-Request": "true",
                                          "HX-Target": "conversation-list"}).text
        paragraph = shown.split('id="conversation-count">', 1)[1].split("</p>", 1)[0]
        count = re.sub(r' <span class="count-note">.*?</span>|<[^>]+>| conversations?'
                       r'| match these filters', "", paragraph)
        print(f"{name:40} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} "
              f"{max(times):8.1f}  {count}")


def _transcripts(client, values: dict[str, str], repeat: int) -> None:
    rng = random.Random(9)
    first = int(values["first_id"])
    paths = [f"/admin/conversations/{first + rng.randrange(500_000)}" for _ in range(repeat)]
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path, headers={"HX-Request": "true"})
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code not in (200, 404):
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    print(f"{'transcript view (random ids)':40} {statistics.median(times):8.1f} "
          f"{percentile(times, 0.95):8.1f} {max(times):8.1f}")


def _explain(values: dict[str, str], directory: Path) -> None:
    from sqlalchemy import event
    from werkzeug.datastructures import MultiDict

    from lumen.extensions import db
    from lumen.history import queries
    from lumen.history.filters import ConversationFilters
    from lumen.history.timezone import zone_named
    from lumen.models import Shop

    directory.mkdir(parents=True, exist_ok=True)
    shop = db.session.get(Shop, int(values["shop_id"]))
    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, parameters))

    for name, query in SCENARIOS.items():
        pairs = [pair.split("=", 1) for pair in query.format(**values).split("&") if pair]
        args = MultiDict([(key, value.replace("+", " ")) for key, value in pairs])
        filters = ConversationFilters.parse(args, shop)
        captured.clear()
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            queries.conversation_page(shop, filters, zone_named(shop.iana_timezone))
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        connection = db.session.connection()
        plans = []
        for statement, parameters in list(captured):
            if not statement.lstrip().upper().startswith("SELECT"):
                continue  # the count's planner estimate, savepoints, time budgets
            rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement,
                                              parameters).scalars()
            plans.append(f"-- {name}\n-- {statement}\n-- {parameters}\n" + "\n".join(rows))
        slug = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")
        (directory / f"{slug}.txt").write_text("\n\n".join(plans) + "\n")
    print(f"EXPLAIN ANALYZE plans written to {directory}/")


def _export(app, url: str, values: dict[str, str], days: int) -> None:
    from lumen.extensions import db
    from lumen.history import exports
    from lumen.history.filters import ConversationFilters
    from lumen.models import ExportShape, Shop

    shop = db.session.get(Shop, int(values["shop_id"]))
    end = date.fromisoformat(values["today"])
    filters = ConversationFilters(date_from=end - timedelta(days=days - 1), date_to=end)
    export = exports.create_export(shop, filters, ExportShape.CONVERSATIONS)
    db.session.commit()
    script = JOB_SCRIPT.format(root=str(ROOT), url=url, export_id=export.id)
    started = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True).stdout.split()
    wall = time.perf_counter() - started
    rows, seconds, max_rss_kb = int(output[0]), float(output[1]), int(output[2])
    db.session.expire_all()
    size_mb = exports.shop_export(shop, export.id).size_bytes / 1_048_576
    print(f"export: {rows:,} conversations ({days} days), {size_mb:.0f} MB CSV, job "
          f"{seconds:.1f} s (process {wall:.1f} s), peak memory {max_rss_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
