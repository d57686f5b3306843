"""The state of one development store: orders, bucket, access tokens, latency and failures."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lumen.devstore.bucket import LeakyBucket
from lumen.devstore.resolvers import root_value

CONTROL_SETTINGS = ("latency_ms", "failure_rate", "bucket_size", "restore_rate", "drain")


class DevStore:
    """One development store; its settings can change while it serves requests."""

    def __init__(self, fixtures: Mapping[str, Any], *, bucket: LeakyBucket,
                 latency_ms: float = 0, failure_rate: float = 0.0,
                 access_tokens: Iterable[str] | None = None, seed: int | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.shop: str = fixtures["shop"]
        self.orders: list[dict[str, Any]] = list(fixtures["orders"])
        self.root = root_value(fixtures)
        self.bucket = bucket
        self.access_tokens = None if access_tokens is None else frozenset(access_tokens)
        # Tokens issued by the token endpoint (lumen.devstore.oauth), set by the app factory.
        self.token_issuer: Any = None
        self.latency_ms = 0.0
        self.failure_rate = 0.0
        self._sleep = sleep
        self._random = random.Random(seed)
        self._random_lock = threading.Lock()
        self.configure(latency_ms=latency_ms, failure_rate=failure_rate)

    def configure(self, *, latency_ms: float | None = None, failure_rate: float | None = None,
                  bucket_size: float | None = None, restore_rate: float | None = None,
                  drain: bool = False) -> None:
        """Change settings at run time (ValueError, changing nothing, if one is invalid)."""
        if latency_ms is not None and not _is_number_between(latency_ms, 0, 60_000):
            raise ValueError("latency_ms must be a number of milliseconds from 0 to 60000")
        if failure_rate is not None and not _is_number_between(failure_rate, 0, 1):
            raise ValueError("failure_rate must be a number from 0 to 1")
        self.bucket.configure(size=bucket_size, restore_rate=restore_rate)
        self.latency_ms = self.latency_ms if latency_ms is None else float(latency_ms)
        self.failure_rate = self.failure_rate if failure_rate is None else float(failure_rate)
        if drain:
            self.bucket.drain()

    def settings(self) -> dict[str, Any]:
        """The current settings and bucket, as /_control reports them."""
        return {"shop": self.shop, "latency_ms": self.latency_ms,
                "failure_rate": self.failure_rate, "throttleStatus": self.bucket.status()}

    def accepts(self, token: str | None) -> bool:
        """Whether a request with this X-Shopify-Access-Token may read the store."""
        if not token:
            return False
        if self.token_issuer is not None and self.token_issuer.accepts(token):
            return True
        return self.access_tokens is None or token in self.access_tokens

    def wait(self) -> None:
        """Sleep for the configured latency, as a distant API would make a caller wait."""
        if self.latency_ms > 0:
            self._sleep(self.latency_ms / 1000)

    def injected_failure(self) -> int | None:
        """502 or 503 for the share of requests set by failure_rate (seeded), else None."""
        with self._random_lock:
            if self._random.random() >= self.failure_rate:
                return None
            return self._random.choice((502, 503))


def _is_number_between(value: Any, low: float, high: float) -> bool:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return is_number and low <= value <= high
