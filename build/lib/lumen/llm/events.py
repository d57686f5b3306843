"""LLM events worth counting (misses, rejections, failures): a log line and a Redis counter.

Only the event's kind and reason are recorded, never the text involved.
"""

from __future__ import annotations

import logging

from lumen.queue import get_redis

COUNTER_KEY = "lumen:llm:events"
COUNTER_TTL = 30 * 24 * 3600
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
