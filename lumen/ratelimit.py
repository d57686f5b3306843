"""Fixed-window counters in Redis, shared by every web process.

``hit`` counts an event and says whether it was within the limit. ``reserve`` is the check and
the count in one Redis operation over several buckets (a Lua script), so concurrent requests
cannot all pass a check before any of them is counted; ``release`` gives a reservation back.
Keys name shoppers by ``address_bucket``: an IPv4 address, or the /64 network of an IPv6 one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from lumen.queue import get_redis

PREFIX = "lumen:rate:"
# An IPv6 customer is usually given a whole /64: one shopper can use any address inside it.
IPV6_PREFIX = 64

# KEYS: the buckets; ARGV: limit, window and reserve (1 or 0) for each. Every bucket is checked
# first; only when all have room are the reserving ones counted. Returns {allowed, count of the
# full bucket (or 0), seconds until it empties}.
_RESERVE = """
for i = 1, #KEYS do
  local limit = tonumber(ARGV[3 * i - 2])
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= limit then
    return {0, count, redis.call('TTL', KEYS[i])}
  end
end
for i = 1, #KEYS do
  if ARGV[3 * i] == '1' then
    redis.call('INCR', KEYS[i])
    if redis.call('TTL', KEYS[i]) < 0 then
      redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3 * i - 1]))
    end
  end
end
return {1, 0, 0}
"""
# KEYS: the buckets; ARGV: limit and window of each. Counts an event in each bucket in turn and
# stops at the first one over its limit (as separate hits would). Returns {allowed, count, ttl}
# of that bucket, or of the last one when all had room.
_HIT_ALL = """
local count, ttl = 0, 0
for i = 1, #KEYS do
  count = redis.call('INCR', KEYS[i])
  ttl = redis.call('TTL', KEYS[i])
  if ttl < 0 then
    redis.call('EXPIRE', KEYS[i], tonumber(ARGV[2 * i]))
    ttl = tonumber(ARGV[2 * i])
  end
  if count > tonumber(ARGV[2 * i - 1]) then
    return {0, count, ttl}
  end
end
return {1, count, ttl}
"""
# Gives back one reservation per key, never below zero (a window may have ended meanwhile).
_RELEASE = """
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then
    redis.call('DECR', KEYS[i])
  end
end
return 0
"""


@dataclass(frozen=True)
class RateDecision:
    """Whether an action may go ahead, and when to try again if not."""

    allowed: bool
    count: int
    retry_after: int


@dataclass(frozen=True)
class Bucket:
    """One counter: at most ``limit`` events per ``window`` seconds; ``reserve=False`` only
    checks it (it is counted elsewhere)."""

    key: str
    limit: int
    window: int
    reserve: bool = True


def hit(key: str, limit: int, window_seconds: int) -> RateDecision:
    """Count one event under ``key``; allowed while the window holds at most ``limit``."""
    return hit_all([Bucket(key, limit, window_seconds)])


def hit_all(buckets: Sequence[Bucket]) -> RateDecision:
    """Count one event in each bucket, in order, in one Redis round trip; refused at the first
    bucket over its limit (the buckets after it are not counted)."""
    if not buckets:
        return RateDecision(True, 0, 1)
    arguments = [value for bucket in buckets for value in (bucket.limit, bucket.window)]
    allowed, count, ttl = _script(_HIT_ALL)(keys=[PREFIX + bucket.key for bucket in buckets],
                                            args=arguments)
    return RateDecision(bool(allowed), int(count), max(int(ttl), 1))


def any_full(buckets: Sequence[Bucket]) -> bool:
    """Whether any bucket already holds its limit (one round trip; counts nothing)."""
    if not buckets:
        return False
    counts = get_redis().mget([PREFIX + bucket.key for bucket in buckets])
    return any(int(count or 0) >= bucket.limit for count, bucket in zip(counts, buckets,
                                                                          strict=True))


def peek(key: str, limit: int) -> RateDecision:
    """The state of ``key`` without counting an event."""
    redis = get_redis()
    full_key = PREFIX + key
    count = int(redis.get(full_key) or 0)
    return RateDecision(count < limit, count, max(int(redis.ttl(full_key)), 1))


def reserve(buckets: Sequence[Bucket]) -> RateDecision:
    """Count one event in every reserving bucket if, and only if, every bucket has room."""
    if not buckets:
        return RateDecision(True, 0, 1)
    arguments = [value for bucket in buckets
                 for value in (bucket.limit, bucket.window, int(bucket.reserve))]
    allowed, count, ttl = _script(_RESERVE)(keys=[PREFIX + bucket.key for bucket in buckets],
                                            args=arguments)
    return RateDecision(bool(allowed), int(count), max(int(ttl), 1))


def release(buckets: Sequence[Bucket]) -> None:
    """Give back a reservation made by ``reserve`` over the same buckets."""
    keys = [PREFIX + bucket.key for bucket in buckets if bucket.reserve]
    if keys:
        _script(_RELEASE)(keys=keys)


def _script(source: str):
    """The Lua script bound to the current Redis client: EVALSHA, so the text is sent only
    when the server does not know it yet (redis-py loads it again after a restart)."""
    redis = get_redis()
    scripts = _SCRIPTS.setdefault(redis, {})
    if source not in scripts:
        scripts[source] = redis.register_script(source)
    return scripts[source]


# Each Redis client's registered scripts (a process has one client per app).
_SCRIPTS: WeakKeyDictionary = WeakKeyDictionary()


def address_bucket(ip: str) -> str:
    """What limits count a shopper's address as: IPv4 itself, IPv6 its /64 network."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)
