"""The words the analytics page uses for codes stored in the database."""

from __future__ import annotations

from lumen.outcomes import OUTCOME_LABELS

__all__ = ["INTENT_LABELS", "OUTCOME_LABELS", "REASON_LABELS", "SITUATION_LABELS", "WEEKDAYS"]

INTENT_LABELS = {
    "track": "Where is my order", "shipped": "Has it shipped", "tracking_number": "Tracking number",
    "tracking_link": "Tracking link", "carrier": "Which carrier", "eta": "When will it arrive",
    "items": "What's in the order", "payment": "Payment", "fulfilled_when": "When it was sent",
    "not_received": "Not received", "cancel": "Cancel", "refund": "Refund", "return": "Return",
    "exchange": "Exchange", "address_change": "Change address", "change_order": "Change order",
    "damaged": "Damaged or wrong item", "human": "Asked for a person",
    "other_platform": "Ordered elsewhere", "another_order": "Another order",
    "product_question": "Product question", "capabilities": "What can you do",
    "frustration": "Frustration", "deny": "No", "affirm": "Yes", "thanks": "Thanks",
    "greeting": "Greeting", "unknown": "Not understood",
}
REASON_LABELS = {
    "human_requested": "Asked for a person", "out_of_scope": "Outside what Lumen handles",
    "not_received": "Parcel not received", "frustration": "Frustrated shopper",
    "verification_locked": "Verification locked",
}
SITUATION_LABELS = {
    "no_tracking": "No tracking yet", "stale_tracking": "Tracking not updated for 7+ days",
    "delivered_not_received": "Delivered, but not received",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
