"""Limits on verification attempts (ASVS V2.2.1 / V11), kept in Redis for every web process.

A wrong email counts against the chat session, the order (across all sessions) and the
shopper's address (IPv6 by /64). An order number that matches no order counts against the
session and the address in separate, more generous buckets, which slows down guessing which
numbers exist.

An email is compared only after ``reserve`` has counted the attempt in every bucket, check and
count in one Redis operation: however many guesses arrive at once, no more than a bucket's
limit are ever compared. A guess that turns out right (or never reaches a comparison) gives its
reservation back with ``release``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lumen import ratelimit
from lumen.ratelimit import Bucket
from lumen.security import keyed_digest

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class AttemptLimits:
    """How many failures each bucket allows, and over what window in seconds."""

    per_session: int = 3
    session_window: int = DAY
    per_order: int = 5
    order_window: int = HOUR
    # A busy store's shoppers can share one NAT address: generous, but still a ceiling.
    per_ip: int = 30
    ip_window: int = HOUR
    misses_per_session: int = 10
    misses_per_ip: int = 60


class AttemptLimiter:
    """Reserves email comparisons, counts order-number misses, says when to stop."""

    def __init__(self, limits: AttemptLimits | None = None):
        self.limits = limits or AttemptLimits()

    def blocked(self, session_id: str, order_key: str, ip: str) -> bool:
        """True when any bucket this attempt would touch is already full."""
        return ratelimit.any_full(list(self._buckets(session_id, order_key, ip)))

    def reserve(self, session_id: str, order_key: str, ip: str) -> bool:
        """Count one email comparison in every failure bucket; False (nothing counted) when
        any bucket, misses included, is already full."""
        buckets = self._reservation(session_id, order_key, ip)
        return ratelimit.reserve(buckets).allowed

    def release(self, session_id: str, order_key: str, ip: str) -> None:
        """Give back a reservation whose comparison succeeded or never took place."""
        ratelimit.release(self._reservation(session_id, order_key, ip))

    def record_miss(self, session_id: str, ip: str) -> bool:
        """Count an order number that matched no order; True when that leaves them blocked."""
        for bucket in self._miss_buckets(session_id, ip):
            ratelimit.hit(bucket.key, bucket.limit, bucket.window)
        return self.blocked(session_id, "", ip)

    def _reservation(self, session_id: str, order_key: str, ip: str) -> list[Bucket]:
        checked = [Bucket(bucket.key, bucket.limit, bucket.window, reserve=False)
                   for bucket in self._miss_buckets(session_id, ip)]
        return [*self._failure_buckets(session_id, order_key, ip), *checked]

    def _buckets(self, session_id: str, order_key: str, ip: str):
        yield from self._failure_buckets(session_id, order_key, ip)
        yield from self._miss_buckets(session_id, ip)

    def _failure_buckets(self, session_id: str, order_key: str, ip: str):
        limits = self.limits
        yield Bucket(f"verify:session:{keyed_digest(session_id)}", limits.per_session,
                     limits.session_window)
        if order_key:
            yield Bucket(f"verify:order:{keyed_digest(order_key)}", limits.per_order,
                         limits.order_window)
        if ip:
            yield Bucket(f"verify:ip:{keyed_digest(ratelimit.address_bucket(ip))}", limits.per_ip,
                         limits.ip_window)

    def _miss_buckets(self, session_id: str, ip: str):
        limits = self.limits
        yield Bucket(f"verify:miss:{keyed_digest(session_id)}", limits.misses_per_session,
                     limits.session_window)
        if ip:
            yield Bucket(f"verify:miss-ip:{keyed_digest(ratelimit.address_bucket(ip))}",
                         limits.misses_per_ip, limits.ip_window)

