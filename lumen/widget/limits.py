"""Widget request limits per shopper address, per chat session and per shop, shared via Redis.

Addresses are counted as ``ratelimit.address_bucket`` names them (IPv6 by /64), after
``proxy_auth.shopper_ip`` has read the one Shopify forwarded (LUMEN_TRUSTED_PROXY_HOPS).
"""

from __future__ import annotations

from lumen import ratelimit
from lumen.errors import ApiError
from lumen.models import Shop
from lumen.security import keyed_digest

RATE_WINDOW_SECONDS = 60
# Generous per address: a busy store's shoppers may share one NAT.
IP_REQUESTS_PER_MINUTE = 120
SESSION_MESSAGES_PER_MINUTE = 20
# A last-resort brake per shop (500 requests a second), far above a real store's chat traffic.
# Requests refused per address never reach it, so it takes 250 addresses, each at its own
# limit, to fill: a script on a few dozen cannot lock a store's shoppers out.
SHOP_REQUESTS_PER_MINUTE = 30_000
# New chat sessions per address per hour: an office or a mobile carrier's NAT puts many real
# shoppers behind one address, so this is generous; it bounds what one script can open.
SESSIONS_PER_ADDRESS_PER_HOUR = 150
SESSION_WINDOW_SECONDS = 3600


class RateLimited(ApiError):
    """Too many requests from one shopper, session or shop; retry after ``retry_after`` s."""

    status = 429
    code = "rate_limited"
    message = "Too many messages. Please wait a moment and try again."

    def __init__(self, retry_after: int):
        super().__init__(headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


def limit_client(shop: Shop, client_ip: str) -> None:
    """Count one widget request against the shopper's IP and the shop; RateLimited if over."""
    # The key names the shopper by a keyed digest, so Redis holds no IP address. Both buckets
    # in one round trip; the shop's is not counted once the address is over its limit.
    decision = ratelimit.hit_all([
        ratelimit.Bucket(f"widget:ip:{address_key(client_ip)}", IP_REQUESTS_PER_MINUTE,
                         RATE_WINDOW_SECONDS),
        ratelimit.Bucket(f"widget:shop:{shop.id}", SHOP_REQUESTS_PER_MINUTE, RATE_WINDOW_SECONDS),
    ])
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


def limit_new_session(client_ip: str) -> None:
    """Count one new chat session against the shopper's address; RateLimited if over."""
    _enforce(f"widget:new-session:{address_key(client_ip)}", SESSIONS_PER_ADDRESS_PER_HOUR,
             SESSION_WINDOW_SECONDS)


def address_key(client_ip: str) -> str:
    """The keyed digest naming a shopper's address (IPv6: its /64) in limit keys."""
    return keyed_digest(ratelimit.address_bucket(client_ip))


def limit_session(session_id: str) -> None:
    """Count one message against the chat session; RateLimited if over."""
    _enforce(f"widget:session:{session_id}", SESSION_MESSAGES_PER_MINUTE)


def _enforce(key: str, limit: int, window: int = RATE_WINDOW_SECONDS) -> None:
    decision = ratelimit.hit(key, limit, window)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)
