"""Widget request limits per shopper IP, per chat session and per shop, shared via Redis."""

from __future__ import annotations

from lumen import ratelimit
from lumen.errors import ApiError
from lumen.models import Shop
from lumen.security import keyed_digest

RATE_WINDOW_SECONDS = 60
# Generous per address: a busy store's shoppers may share one NAT.
IP_REQUESTS_PER_MINUTE = 120
SESSION_MESSAGES_PER_MINUTE = 20
# A sanity ceiling per shop (100 requests a second), far above a real store's chat traffic.
SHOP_REQUESTS_PER_MINUTE = 6000


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
    # The key names the shopper by a keyed digest, so Redis holds no IP address.
    _enforce(f"widget:ip:{keyed_digest(client_ip)}", IP_REQUESTS_PER_MINUTE)
    _enforce(f"widget:shop:{shop.id}", SHOP_REQUESTS_PER_MINUTE)


def limit_session(session_id: str) -> None:
    """Count one message against the chat session; RateLimited if over."""
    _enforce(f"widget:session:{session_id}", SESSION_MESSAGES_PER_MINUTE)


def _enforce(key: str, limit: int) -> None:
    decision = ratelimit.hit(key, limit, RATE_WINDOW_SECONDS)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)
