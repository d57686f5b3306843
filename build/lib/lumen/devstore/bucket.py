"""The leaky bucket Shopify uses to rate-limit Admin GraphQL calls by query cost."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Shopify's standard plan: "Standard | 100 points/second" (shopify.dev/docs/apps/build/apis/
# graphql-admin/rate-limits); standard-plan responses report maximumAvailable 2000.0 with
# restoreRate 100.0 since Shopify doubled the old 1000-point / 50-per-second bucket.
STANDARD_BUCKET_SIZE = 2000.0
STANDARD_RESTORE_RATE = 100.0


class LeakyBucket:
    """A thread-safe points bucket: queries take points up front, points restore over time."""

    def __init__(self, size: float = STANDARD_BUCKET_SIZE,
                 restore_rate: float = STANDARD_RESTORE_RATE,
                 clock: Callable[[], float] = time.monotonic):
        _check_positive(size=size, restore_rate=restore_rate)
        self._size = float(size)
        self._restore_rate = float(restore_rate)
        self._clock = clock
        self._lock = threading.Lock()
        self._available = self._size
        self._updated_at = clock()

    def take(self, points: float) -> bool:
        """Take `points` if the bucket holds that many; False (and take nothing) otherwise."""
        with self._lock:
            self._restore()
            if points > self._available:
                return False
            self._available -= points
            return True

    def refund(self, points: float) -> None:
        """Give back points a query reserved but did not use."""
        with self._lock:
            self._restore()
            self._available = min(self._size, self._available + max(points, 0))

    def drain(self) -> None:
        """Empty the bucket, as a burst of expensive queries would."""
        with self._lock:
            self._restore()
            self._available = 0.0

    def configure(self, size: float | None = None, restore_rate: float | None = None) -> None:
        """Change the bucket size and/or restore rate, keeping the points already available."""
        size = self._size if size is None else size
        restore_rate = self._restore_rate if restore_rate is None else restore_rate
        _check_positive(size=size, restore_rate=restore_rate)
        with self._lock:
            self._restore()
            self._size = float(size)
            self._restore_rate = float(restore_rate)
            self._available = min(self._available, self._size)

    def status(self) -> dict[str, float | int]:
        """The bucket as Shopify reports it in `extensions.cost.throttleStatus`."""
        with self._lock:
            self._restore()
            return {"maximumAvailable": self._size,
                    "currentlyAvailable": int(self._available),
                    "restoreRate": self._restore_rate}

    def _restore(self) -> None:
        now = self._clock()
        elapsed = max(now - self._updated_at, 0.0)
        self._available = min(self._size, self._available + elapsed * self._restore_rate)
        self._updated_at = now


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}")
