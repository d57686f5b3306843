"""What a conversation came to: one outcome, computed from what happened in it.

The words are a contract (ARCHITECTURE.md, "Outcomes"): the admin, the analytics and the CSV
export all use them. An abandoned chat is never counted as a success: a shopper who asked about
an order and left before seeing its details is `unanswered`, not resolved.
"""

from __future__ import annotations

import enum


class Outcome(enum.StrEnum):
    """The one outcome of a conversation."""

    ESCALATED = "escalated"
    CONFIRMED = "confirmed"
    ANSWERED = "answered"
    UNANSWERED = "unanswered"
    OTHER = "other"


OUTCOME_LABELS = {Outcome.ESCALATED: "Escalated", Outcome.CONFIRMED: "Confirmed",
                  Outcome.ANSWERED: "Answered", Outcome.UNANSWERED: "Unanswered",
                  Outcome.OTHER: "Other"}


def decide_outcome(*, escalated: bool, asked_order: bool, details_delivered: bool,
                   thanked: bool, feedback: str | None) -> Outcome:
    """The outcome of a conversation from the facts recorded about it (a pure function).

    - escalated: a ticket was opened in it (whatever else happened);
    - confirmed: order details were delivered and the shopper then thanked the assistant or
      gave a thumbs up, and did not give a thumbs down;
    - answered: order details were delivered without a confirmation. A thumbs down after
      delivered details lands here too: the outcome says what happened, the thumbs down is
      kept beside it as feedback, never folded into it, and it withdraws any confirmation;
    - unanswered: an order was asked about but its details never delivered (not found, email
      not matched, left before verifying);
    - other: no order was asked about.
    """
    if escalated:
        return Outcome.ESCALATED
    if details_delivered:
        confirmed = (thanked or feedback == "up") and feedback != "down"
        return Outcome.CONFIRMED if confirmed else Outcome.ANSWERED
    if asked_order:
        return Outcome.UNANSWERED
    return Outcome.OTHER
