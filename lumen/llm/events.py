"""LLM events worth counting (misses, rejections, failures): a log line and a Redis counter.

Only the event's kind and reason are recorded, never the text involved.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from lumen.queue import get_redis

COUNTER_KEY = "lumen:llm:events"
COUNTER_TTL = 30 * 24 * 3600
# Per shop and UTC day, one hash field per hour: counts only, never text. Kept a little past
# the longest retention an analytics range can reach back to.
HELD_BACK_KEY = "lumen:llm:held_back:{shop_id}:{day}"
HELD_BACK_TTL = 400 * 24 * 3600
logger = logging.getLogger("lumen.llm")


def record(kind: str, reason: str) -> None:
    """Count one ``kind`` event (deadline, failure, rejected...) with its ``reason``."""
    logger.warning("llm %s: %s", kind, reason)
    redis = get_redis()
    with redis.pipeline() as pipe:
        pipe.hincrby(COUNTER_KEY, f"{kind}:{reason}", 1)
        pipe.expire(COUNTER_KEY, COUNTER_TTL)
        pipe.execute()


def counts() -> dict[str, int]:
    """Every recorded event with its count, e.g. ``{"rejected:email": 2}``."""
    raw = get_redis().hgetall(COUNTER_KEY)
    return {key.decode(): int(value) for key, value in raw.items()}


def record_held_back(shop_id: int | None, at: datetime | None = None) -> None:
    """Count one rewrite the guard held back (the shopper got the template) for ``shop_id``."""
    if shop_id is None:
        return
    at = (at or datetime.now(UTC)).astimezone(UTC)
    key = HELD_BACK_KEY.format(shop_id=shop_id, day=at.date().isoformat())
    with get_redis().pipeline() as pipe:
        pipe.hincrby(key, str(at.hour), 1)
        pipe.expire(key, HELD_BACK_TTL)
        pipe.execute()


def held_back_rewrites(shop_id: int, start: datetime, end: datetime) -> int:
    """Rewrites held back for ``shop_id`` from ``start`` (inclusive) to ``end`` (exclusive).

    Both are timezone-aware; counts are kept per UTC hour, so bounds fall to the hour.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    first = start.replace(minute=0, second=0, microsecond=0)
    days = [first.date() + timedelta(days=n) for n in range((end.date() - first.date()).days + 1)]
    with get_redis().pipeline() as pipe:
        for day in days:
            pipe.hgetall(HELD_BACK_KEY.format(shop_id=shop_id, day=day.isoformat()))
        per_day = pipe.execute()
    total = 0
    for day, hours in zip(days, per_day, strict=True):
        for hour, count in hours.items():
            moment = datetime(day.year, day.month, day.day, int(hour), tzinfo=UTC)
            total += int(count) if first <= moment < end else 0
    return total
