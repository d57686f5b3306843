"""The deterministic WISMO conversation engine: understanding, verification gate, replies."""

from lumen.conversation.attempts import AttemptLimiter, AttemptLimits
from lumen.conversation.engine import LookupUnavailable, OrderLookup, handle_turn
from lumen.conversation.gate import GateError, SealedOrder, Verification, seal
from lumen.conversation.replies import Link, Reply
from lumen.conversation.state import Escalation, SessionState, ShopProfile, TurnResult
from lumen.conversation.understanding import INTENTS, Understanding, understand

__all__ = [
    "INTENTS", "AttemptLimiter", "AttemptLimits", "Escalation", "GateError", "Link",
    "LookupUnavailable", "OrderLookup", "Reply", "SealedOrder", "SessionState", "ShopProfile",
    "TurnResult", "Understanding", "Verification", "handle_turn", "seal", "understand",
]
