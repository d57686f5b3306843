"""The deterministic WISMO conversation engine: understanding, verification gate, replies."""

from lumen.conversation.attempts import AttemptLimiter, AttemptLimits
from lumen.conversation.engine import (
    LookupUnavailable,
    OrderLookup,
    handle_turn,
    offer_help_if_frustrated,
)
from lumen.conversation.replies import Link, Reply
from lumen.conversation.state import Escalation, SessionState, ShopProfile, TurnResult
from lumen.conversation.understanding import INTENTS, Understanding, understand
from lumen.conversation.verification import SealedOrder, Verification, VerificationError, seal

__all__ = [
    "INTENTS", "AttemptLimiter", "AttemptLimits", "Escalation", "VerificationError", "Link",
    "LookupUnavailable", "OrderLookup", "Reply", "SealedOrder", "SessionState", "ShopProfile",
    "TurnResult", "Understanding", "Verification", "handle_turn", "offer_help_if_frustrated",
    "seal", "understand",
]
