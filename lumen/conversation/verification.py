"""The verification gate: the only way from a Shopify order to facts a reply may use.

A SealedOrder shows its name and id and nothing else: the order JSON lives in a closure held
by a module-private table, not on the object, so attributes, ``repr``, ``vars`` and pickling
reveal nothing. A Verification can only be minted here, after the shopper's email matched the
order's (or the keyed hash of an email already proven in the session did), and it is bound
to one order id and one session id. ``order_facts`` checks all of that before it reads the
order.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any, NoReturn
from weakref import WeakKeyDictionary, WeakSet

from lumen.conversation.facts import OrderFacts, build_facts
from lumen.security import email_hash

_MINT = object()
# Not a Shopify field: where an order read from the cache keeps its email's keyed hash.
EMAIL_HASH_FIELD = "lumenEmailHash"
_VAULT: WeakKeyDictionary[SealedOrder, Callable[[object], dict[str, Any]]] = WeakKeyDictionary()
_ISSUED: WeakSet[Verification] = WeakSet()


class VerificationError(PermissionError):
    """A verification does not grant access to this order in this session."""


class _Sealed:
    """Shared behaviour: immutable after minting, never copied or pickled."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be pickled or copied")

    def __copy__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be copied")

    def __deepcopy__(self, memo: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be copied")


class SealedOrder(_Sealed):
    """An order fetched from Shopify; only its name and id are readable outside the gate."""

    __slots__ = ("_name", "_id", "__weakref__")

    def __init__(self, token: object, name: str, order_id: str):
        if token is not _MINT:
            raise TypeError("sealed orders are made by lumen.conversation.verification.seal()")
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_id", order_id)

    @property
    def name(self) -> str:
        """The order name, e.g. "#1042"."""
        return self._name

    @property
    def id(self) -> str:
        """The order's Shopify GID."""
        return self._id

    def __repr__(self) -> str:
        return f"<SealedOrder {self._name}>"


class Verification(_Sealed):
    """Proof, made by code in this session, that the shopper may see one order."""

    __slots__ = ("_order_id", "_session_id", "__weakref__")

    def __init__(self, token: object, order_id: str, session_id: str):
        if token is not _MINT:
            raise TypeError("verifications are minted only by the verification gate")
        object.__setattr__(self, "_order_id", order_id)
        object.__setattr__(self, "_session_id", session_id)

    @property
    def order_id(self) -> str:
        """The order this verification is for."""
        return self._order_id

    @property
    def session_id(self) -> str:
        """The chat session this verification was made in."""
        return self._session_id

    def __repr__(self) -> str:
        return "<Verification>"


def seal(order_json: dict[str, Any]) -> SealedOrder:
    """Seal the Order JSON from ``AdminClient.find_order_by_name``; ValueError if it has no
    name or id."""
    name, order_id = order_json.get("name"), order_json.get("id")
    if not (isinstance(name, str) and name and isinstance(order_id, str) and order_id):
        raise ValueError("an order needs a name and an id to be sealed")
    sealed = SealedOrder(_MINT, name, order_id)
    _VAULT[sealed] = _closure(json.dumps(order_json))
    return sealed


def _closure(frozen_json: str) -> Callable[[object], dict[str, Any]]:
    """A reader of the order that opens only for the gate's token; returns a fresh copy."""
    def read(token: object) -> dict[str, Any]:
        """The order JSON, for the gate's token only."""
        if token is not _MINT:
            raise VerificationError("only the verification gate reads sealed orders")
        return json.loads(frozen_json)
    return read


def _read(sealed: SealedOrder) -> dict[str, Any]:
    if not isinstance(sealed, SealedOrder) or sealed not in _VAULT:
        raise VerificationError("not a sealed order")
    return _VAULT[sealed](_MINT)


def _mint(sealed: SealedOrder, session_id: str) -> Verification:
    verification = Verification(_MINT, sealed.id, session_id)
    _ISSUED.add(verification)
    return verification


def _order_email_hash(sealed: SealedOrder) -> bytes | None:
    order = _read(sealed)
    email = order.get("email")
    if isinstance(email, str) and email.strip():
        return email_hash(email).encode()
    kept = order.get(EMAIL_HASH_FIELD)
    return kept.encode() if isinstance(kept, str) and kept else None


def without_email(order_json: dict[str, Any]) -> dict[str, Any]:
    """The Order JSON with its email replaced by the email's keyed hash, for a short-lived
    cache: follow-ups still verify against it, and no address is stored."""
    kept = {key: value for key, value in order_json.items() if key != "email"}
    email = order_json.get("email")
    if isinstance(email, str) and email.strip():
        kept[EMAIL_HASH_FIELD] = email_hash(email)
    return kept


def verify_email(sealed: SealedOrder, email: str, session_id: str) -> Verification | None:
    """A verification when ``email`` (trimmed, case-insensitive) is the order's email."""
    if not isinstance(email, str) or not email.strip():
        return None
    return verify_by_hash(sealed, email_hash(email), session_id)


def verify_by_hash(sealed: SealedOrder, proven_hash: str,
                   session_id: str) -> Verification | None:
    """A verification when the keyed hash of an email proven in this session is the order's."""
    expected = _order_email_hash(sealed)
    if expected is None or not isinstance(proven_hash, str) or not session_id:
        return None
    given = proven_hash.encode("utf-8", "replace")
    return _mint(sealed, session_id) if hmac.compare_digest(given, expected) else None


def order_facts(verification: Verification, sealed: SealedOrder, *,
                session_id: str) -> OrderFacts:
    """The facts of ``sealed``; VerificationError unless ``verification`` was minted here for this
    order and this session."""
    if not isinstance(verification, Verification) or verification not in _ISSUED:
        raise VerificationError("not a verification minted by the gate")
    if not isinstance(sealed, SealedOrder) or verification.order_id != sealed.id:
        raise VerificationError("the verification is for another order")
    if not hmac.compare_digest(verification.session_id.encode(), str(session_id).encode()):
        raise VerificationError("the verification is for another session")
    return build_facts(_read(sealed))
