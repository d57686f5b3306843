"""Limits on verification attempts (ASVS V2.2.1 / V11), kept in Redis for every web process.

A wrong email counts against the chat session, the order (across all sessions) and the
shopper's IP address. An order number that matches no order counts against the session and
the IP in separate, more generous buckets, which slows down guessing which numbers exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from lumen import ratelimit
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
    """Counts failed verification attempts and says when to stop accepting more."""

    def __init__(self, limits: AttemptLimits | None = None):
        self.limits = limits or AttemptLimits()

    def blocked(self, session_id: str, order_key: str, ip: str) -> bool:
        """True when any bucket this attempt would touch is already full."""
        return any(not ratelimit.peek(key, limit).allowed
                   for key, limit, _ in self._buckets(session_id, order_key, ip))

    def record_failure(self, session_id: str, order_key: str, ip: str) -> bool:
        """Count a wrong email; True when that leaves the shopper blocked."""
        for key, limit, window in self._failure_buckets(session_id, order_key, ip):
            ratelimit.hit(key, limit, window)
        return self.blocked(session_id, order_key, ip)

    def record_miss(self, session_id: str, ip: str) -> bool:
        """Count an order number that matched no order; True when that leaves them blocked."""
        for key, limit, window in self._miss_buckets(session_id, ip):
            ratelimit.hit(key, limit, window)
        return self.blocked(session_id, "", ip)

    def _buckets(self, session_id: str, order_key: str, ip: str):
        yield from self._failure_buckets(session_id, order_key, ip)
        yield from self._miss_buckets(session_id, ip)

    def _failure_buckets(self, session_id: str, order_key: str, ip: str):
        limits, digest = self.limits, keyed_digest
        yield f"verify:session:{digest(session_id)}", limits.per_session, limits.session_window
        if order_key:
            yield f"verify:order:{digest(order_key)}", limits.per_order, limits.order_window
        if ip:
            yield f"verify:ip:{digest(ip)}", limits.per_ip, limits.ip_window

    def _miss_buckets(self, session_id: str, ip: str):
        limits, digest = self.limits, keyed_digest
        yield f"verify:miss:{digest(session_id)}", limits.misses_per_session, limits.session_window
        if ip:
            yield f"verify:miss-ip:{digest(ip)}", limits.misses_per_ip, limits.ip_window

