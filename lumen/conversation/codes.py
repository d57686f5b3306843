"""One-time codes sent to a checkout email: for a shopper without the order number, or locked out.

The shopper gives an email; the reply is the same whether or not it has orders. A job (see
``lumen.codes``) looks the email's orders up and, only when there are some, mails the code and
records which orders it found (names and ids, under the challenge's random id). The session
keeps the challenge: the email's keyed hash (``security.email_hash``, as verification uses), the
code's keyed digest and its expiry; never the address or the code.

Every count lives in Redis and is taken before the comparison it guards, check and count in one
operation (``ratelimit.reserve``), so a burst of parallel guesses cannot all pass: 3 codes per
email hash and per address an hour, 3 tries per code. A right code proves the mailbox, so the
orders it lists are verified through the gate even while an order's guess counter is full.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lumen import ratelimit
from lumen.conversation.state import SessionState
from lumen.conversation.verification import SealedOrder, Verification, verify_by_hash
from lumen.queue import get_redis
from lumen.security import keyed_digest

DIGITS = 6
CODE_TTL_SECONDS = 10 * 60
TRIES_PER_CODE = 3
CODES_PER_EMAIL_HOUR = 3
CODES_PER_ADDRESS_HOUR = 3
HOUR = 3600
# The most recent orders a code lists: enough for a returning shopper, few Admin API reads.
MAX_ORDERS = 5
ORDERS_KEY = "lumen:code-orders:"

# (address, code, challenge id, expiry as a POSIX time): mails the code if the address has
# orders. The one way a code leaves the engine; the address lives only in that call.
CodeSender = Callable[[str, str, str, float], None]
OrderLookup = Callable[[str], SealedOrder | None]

_ASKS = re.compile(
    r"\b(?:(?:lost|forgot(?:ten)?|misplaced|deleted|can'?t find|cannot find|can not find"
    r"|don'?t (?:have|know|remember)|do not (?:have|know|remember)|no(?:t got)?|without"
    r"|never got|didn'?t get)\b.{0,20}\border (?:number|no\b|confirmation|#)"
    r"|(?:send|email|e-mail|text) me (?:a |the |my )?(?:one[- ]time |verification |login )?code"
    r"|\b(?:one[- ]time|verification) code)", re.IGNORECASE)
# "I lost my order number, get me a person": the person wins.
_PERSON = re.compile(r"\b(?:person|human|agent|someone|somebody|representative|staff)\b",
                     re.IGNORECASE)
_CODE = re.compile(r"(?:(?:my|the|your)\s+)?(?:(?:one[- ]time\s+)?code\s*(?:is|:|=)?\s*)?"
                   r"(\d{3})[\s-]?(\d{3})\s*[.!]?", re.IGNORECASE)


@dataclass(frozen=True)
class CodeCheck:
    """What a typed code came to: ``kind`` is "right", "wrong", "expired", "last_try" (the
    third wrong one) or "used_up" (refused uncompared: its tries were all taken)."""

    kind: str
    tries_left: int = 0
    # For a right code: the email's orders, each sealed and verified by the gate.
    orders: tuple[tuple[SealedOrder, Verification], ...] = ()
    email_hash: str | None = None


def asks_for_code(text: str) -> bool:
    """Whether the shopper says they have no order number, or asks for a code (and not for
    a person)."""
    return bool(_ASKS.search(text or "")) and not _PERSON.search(text or "")


def typed_code(text: str) -> str | None:
    """The six digits when the whole message is a code ("482913", "482 913", "code: 482913")."""
    match = _CODE.fullmatch((text or "").strip())
    return match[1] + match[2] if match else None


def is_pending(state: SessionState) -> bool:
    """Whether the session is waiting for a code."""
    return bool(state.code_id and state.code_hash)


def reserve_send(email_hash: str, client_ip: str) -> ratelimit.RateDecision:
    """Count one code for this email hash and this address, only when both have room."""
    buckets = [ratelimit.Bucket(f"code:email:{keyed_digest(email_hash)}",
                                CODES_PER_EMAIL_HOUR, HOUR)]
    if client_ip:
        address = keyed_digest(ratelimit.address_bucket(client_ip))
        buckets.append(ratelimit.Bucket(f"code:ip:{address}", CODES_PER_ADDRESS_HOUR, HOUR))
    return ratelimit.reserve(buckets)


def start(state: SessionState, email_hash: str, now: datetime) -> tuple[str, str, float]:
    """A new challenge in ``state`` (replacing any earlier one): (code, challenge id, expiry)."""
    code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
    challenge = secrets.token_urlsafe(16)
    expires = now.timestamp() + CODE_TTL_SECONDS
    state.code_id, state.code_hash = challenge, code_digest(challenge, code)
    state.code_email_hash, state.code_expires = email_hash, expires
    return code, challenge, expires


def code_digest(challenge: str, code: str) -> str:
    """The keyed digest a code is kept as, bound to its challenge."""
    return keyed_digest(f"email-code:{challenge}:{code}")


def check(state: SessionState, code: str, now: datetime, lookup: OrderLookup) -> CodeCheck:
    """Compare a typed code with the session's challenge (a try is counted first)."""
    challenge, expected = state.code_id or "", state.code_hash or ""
    if now.timestamp() >= (state.code_expires or 0):
        clear(state)
        return CodeCheck("expired")
    tries = ratelimit.Bucket(f"code:tries:{keyed_digest(challenge)}", TRIES_PER_CODE,
                             CODE_TTL_SECONDS)
    if not ratelimit.reserve([tries]).allowed:
        clear(state)
        return CodeCheck("used_up")
    if not hmac.compare_digest(code_digest(challenge, code).encode(), expected.encode()):
        left = TRIES_PER_CODE - ratelimit.peek(tries.key, TRIES_PER_CODE).count
        if left <= 0:
            clear(state)
            return CodeCheck("last_try")
        return CodeCheck("wrong", tries_left=left)
    proven = state.code_email_hash or ""
    # Read before the challenge ends: if Shopify is down, the shopper can type the code again.
    orders = _verified_orders(challenge, proven, state.session_id, lookup)
    clear(state)
    get_redis().delete(ORDERS_KEY + keyed_digest(challenge))
    return CodeCheck("right", orders=orders, email_hash=proven)


def clear(state: SessionState) -> None:
    """End the session's challenge."""
    state.code_id = state.code_hash = state.code_email_hash = None
    state.code_expires = None


def _verified_orders(challenge: str, proven: str, session_id: str,
                     lookup: OrderLookup) -> tuple[tuple[SealedOrder, Verification], ...]:
    """The orders the job found, read again from Shopify and verified by the email's hash."""
    verified = []
    for name, order_id in found_orders(challenge):
        sealed = lookup(name)
        if sealed is None or sealed.id != order_id:
            continue
        verification = verify_by_hash(sealed, proven, session_id)
        if verification is not None:
            verified.append((sealed, verification))
    return tuple(verified)


def remember_orders(challenge: str, orders: list[tuple[str, str]], ttl_seconds: int) -> None:
    """Keep the (name, id) of the orders a code was sent for, until the code expires."""
    get_redis().set(ORDERS_KEY + keyed_digest(challenge), json.dumps(orders[:MAX_ORDERS]),
                    ex=max(int(ttl_seconds), 1))


def found_orders(challenge: str) -> list[tuple[str, str]]:
    """The (name, id) pairs the job recorded for ``challenge`` (none: no code was sent)."""
    raw = get_redis().get(ORDERS_KEY + keyed_digest(challenge))
    pairs = json.loads(raw) if raw else []
    return [(str(name), str(order_id)) for name, order_id in pairs][:MAX_ORDERS]
