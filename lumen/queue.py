"""Redis and RQ, bound to the app: real Redis with workers, or an in-process stand-in inline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis
from flask import Flask, current_app
from redis.backoff import ExponentialBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry

QUEUE_NAME = "lumen"
RECONNECT_ATTEMPTS = 8


def init_app(app: Flask) -> None:
    """Connect to ``REDIS_URL``, or use fakeredis and run jobs inline when it is unset."""
    url = app.config.get("REDIS_URL")
    if url:
        # A Redis restart takes about a second: commands wait and reconnect through it
        # (backoff up to 1 s, about 4 s in all) instead of failing the request.
        connection = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=30,
            retry=RedisRetry(ExponentialBackoff(cap=1.0, base=0.05), RECONNECT_ATTEMPTS),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError])
    else:
        # Imported here: a process with real Redis (every production one) never loads it (~20 MB).
        import fakeredis

        connection = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    app.extensions["redis"] = connection
    app.extensions["rq"] = Queue(QUEUE_NAME, connection=connection, is_async=bool(url))


def get_redis() -> redis.Redis:
    """The app's Redis connection (real or stand-in)."""
    return current_app.extensions["redis"]


def get_queue() -> Queue:
    """The app's RQ queue."""
    return current_app.extensions["rq"]


def enqueue(job: Callable[..., Any], *args: Any, timeout: int = 60, retries: int = 3,
            intervals: list[int] | None = None, at: datetime | None = None, **kwargs: Any):
    """Enqueue a plain-function job with a timeout and a bounded retry policy.

    ``intervals`` are the seconds between retries (the last repeats); ``at`` defers the job
    (run by the worker's scheduler; an inline queue only records it).
    """
    retry = Retry(max=retries, interval=intervals or [5, 30, 120]) if retries else None
    options = {"job_timeout": timeout, "retry": retry, "result_ttl": 3600,
               "failure_ttl": 7 * 24 * 3600, **kwargs}
    if at is not None:
        return get_queue().enqueue_at(at, job, *args, **options)
    return get_queue().enqueue(job, *args, **options)
