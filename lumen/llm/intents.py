"""The intents Gemini may choose from: the engine's own, so its answer is just another reading."""

from __future__ import annotations

from lumen.conversation.scope import OUT_OF_SCOPE
from lumen.conversation.understanding import INTENTS

_DESCRIPTIONS: dict[str, str] = {
    "human": "asks for a person, an agent or the support team",
    "other_platform": "asks about an order from another platform (Amazon, eBay, Etsy...)",
    "not_received": "says a parcel marked delivered never arrived, or is missing or late",
    "tracking_link": "asks for the tracking link",
    "tracking_number": "asks for the tracking number",
    "carrier": "asks which carrier or courier has the parcel",
    "eta": "asks when the order will arrive",
    "fulfilled_when": "asks when the order was shipped or fulfilled",
    "shipped": "asks whether the order has shipped",
    "payment": "asks whether payment went through",
    "items": "asks what is in the order",
    "track": "asks where an order is or for its status",
    **{intent: action.reads_as for intent, action in OUT_OF_SCOPE.items()},
    "another_order": "wants to ask about a different order",
    "product_question": "asks about products, sizes or stock rather than an order",
    "policy_returns": "asks about the store's return, refund or exchange policy in general",
    "policy_shipping": "asks about shipping times, costs or countries in general (no order)",
    "capabilities": "asks what this chat can do",
    "frustration": "expresses anger or frustration without a clear request",
    "deny": "says no",
    "affirm": "says yes",
    "thanks": "thanks or says goodbye",
    "greeting": "only says hello",
    "provide_details": "only gives an order number or other details",
    "unknown": "none of the above",
}
ALLOWED_INTENTS: tuple[str, ...] = tuple(INTENTS)
# Every engine intent is offered; one added there without a description still gets its name.
INTENT_DESCRIPTIONS: dict[str, str] = {
    intent: _DESCRIPTIONS.get(intent, intent.replace("_", " ")) for intent in ALLOWED_INTENTS}
