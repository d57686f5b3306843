"""Session state, shop profile and turn results of the conversation engine.

SessionState is what the web layer keeps in Redis between turns: JSON-serialisable, and it
never holds an email address, order details or a Verification object, only order names and
ids, and keyed hashes of emails the shopper proved.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lumen.conversation.replies import Reply

ESCALATION_REASONS = ("human_requested", "out_of_scope", "not_received", "frustration",
                      "verification_locked")


@dataclass(frozen=True)
class ShopProfile:
    """What the engine needs to know about the shop it speaks for."""

    shop_id: int
    domain: str
    store_name: str = ""
    order_name_prefix: str = "#"
    order_name_suffix: str = ""
    # Whether shoppers may verify with a one-time code sent by email (mail can be sent).
    email_codes: bool = False
    # The plan includes store-policy answers (quoted passages); without it, a link only.
    policy_answers: bool = False

    @property
    def display_name(self) -> str:
        """How replies refer to the store."""
        return self.store_name.strip() or "the store"

    def order_name(self, number: str) -> str:
        """The Shopify order name for the digits a shopper typed, e.g. "1042" -> "#1042"."""
        return f"{self.order_name_prefix}{number}{self.order_name_suffix}"

    def attempt_key(self, order_name: str) -> str:
        """The per-order attempt-limit key; order names repeat across shops."""
        return f"{self.shop_id}:{order_name}"


@dataclass
class SessionState:
    """Everything the engine remembers about one chat session between turns."""

    session_id: str
    pending_order: str | None = None
    pending_intent: str | None = None
    unverified_email_hash: str | None = None
    verified: dict[str, str] = field(default_factory=dict)
    # Orders found by name but not yet verified ({name: id}): the email that follows reads the
    # order by its id (one query), not by a second name search.
    located: dict[str, str] = field(default_factory=dict)
    current_order: str | None = None
    proven_email_hashes: list[str] = field(default_factory=list)
    failed_attempts: int = 0
    # Set by a lock-out: a person asked for afterwards gets a ticket marked as one.
    locked: bool = False
    frustration: int = 0
    # The sentiment scores of the shopper's latest messages, oldest first.
    recent_moods: list[float] = field(default_factory=list)
    offered_escalation: str | None = None
    escalation_reason: str | None = None
    escalation_order: str | None = None
    turns: int = 0
    # A one-time code sent by email (lumen.conversation.codes): its random challenge id, the
    # code's keyed digest, the email's keyed hash and the expiry (POSIX time); never the
    # address or the code itself.
    code_id: str | None = None
    code_hash: str | None = None
    code_email_hash: str | None = None
    code_expires: float | None = None
    # Orders a right code listed ({name: id}): picking one needs no email and no guess budget.
    code_orders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def new(cls, session_id: str | None = None) -> SessionState:
        """A fresh session with a random id unless one is given."""
        return cls(session_id=session_id or secrets.token_urlsafe(18))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy."""
        # Every field is a scalar or a flat dict or list of scalars, so copying the containers
        # is a deep copy; ``asdict``'s recursive one was a twentieth of a follow-up's CPU.
        return {name: _copied(getattr(self, name)) for name in _SESSION_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionState:
        """Rebuild from ``to_dict`` output; unknown keys are ignored, bad types rejected."""
        state = cls(**{key: value for key, value in data.items() if key in _SESSION_FIELDS})
        state._check_types()
        return state

    def copy(self) -> SessionState:
        """An independent copy, so a turn never changes the caller's state in place."""
        return SessionState.from_dict(self.to_dict())

    def _check_types(self) -> None:
        valid = (isinstance(self.session_id, str) and self.session_id
                 and isinstance(self.verified, dict) and isinstance(self.proven_email_hashes, list)
                 and all(isinstance(value, str) for value in self.verified.values())
                 and isinstance(self.located, dict)
                 and all(isinstance(value, str) for value in self.located.values())
                 and isinstance(self.failed_attempts, int) and isinstance(self.frustration, int)
                 and isinstance(self.code_orders, dict)
                 and isinstance(self.recent_moods, list)
                 and all(isinstance(score, int | float) for score in self.recent_moods)
                 and isinstance(self.code_expires, int | float | None))
        if not valid:
            raise ValueError("malformed session state")
        self.verified = dict(self.verified)
        self.located = dict(self.located)
        self.proven_email_hashes = list(self.proven_email_hashes)
        self.code_orders = dict(self.code_orders)
        self.recent_moods = list(self.recent_moods)


_SESSION_FIELDS = tuple(item.name for item in fields(SessionState))


def _copied(value: Any) -> Any:
    """A copy of a flat container; scalars as they are."""
    return value.copy() if isinstance(value, dict | list) else value


@dataclass(frozen=True)
class Escalation:
    """A request for the merchant's team: one ticket per conversation, created or updated."""

    reason: str
    summary: str
    order_name: str | None = None

    def __post_init__(self) -> None:
        # Tickets, their admin filters and the analytics count reasons by these names.
        if self.reason not in ESCALATION_REASONS:
            raise ValueError(f"unknown escalation reason {self.reason!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return asdict(self)


@dataclass
class TurnResult:
    """What one shopper message produced."""

    replies: list[Reply]
    intent: str
    state: SessionState
    escalation: Escalation | None = None
    order_names: list[str] = field(default_factory=list)
    resolved: bool = False
    # Order details were delivered to the verified shopper this turn.
    answered: bool = False
    sentiment_score: float | None = None
    confident: bool = True
    # The answered order's preventable situation (answers.situation), for the analytics.
    order_situation: str | None = None
    # What the transcript (and Gemini) may see of the shopper's message when it is not the
    # text itself: a one-time code is kept as "[code]".
    recorded_text: str | None = None
