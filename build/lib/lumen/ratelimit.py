"""Fixed-window counters in Redis, shared by every web process."""

from __future__ import annotations

from dataclasses import dataclass

from lumen.queue import get_redis


@dataclass(frozen=True)
class RateDecision:
    """Whether an action may go ahead, and when to try again if not."""

    allowed: bool
    count: int
    retry_after: int


def hit(key: str, limit: int, window_seconds: int) -> RateDecision:
    """Count one event under ``key``; allowed while the window holds at most ``limit``."""
    redis = get_redis()
    full_key = f"lumen:rate:{key}"
    with redis.pipeline() as pipe:
        pipe.incr(full_key)
        pipe.expire(full_key, window_seconds, nx=True)
        pipe.ttl(full_key)
        count, _, ttl = pipe.execute()
    return RateDecision(count <= limit, count, max(int(ttl), 1))


def peek(key: str, limit: int) -> RateDecision:
    """The state of ``key`` without counting an event."""
    redis = get_redis()
    full_key = f"lumen:rate:{key}"
    count = int(redis.get(full_key) or 0)
    return RateDecision(count < limit, count, max(int(redis.ttl(full_key)), 1))
