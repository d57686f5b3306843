"""The outcome definitions (ARCHITECTURE.md "Outcomes"), one fact at a time."""

from __future__ import annotations

import itertools

import pytest

from lumen.models import Conversation, Feedback
from lumen.outcomes import Outcome, decide_outcome


def outcome(escalated=False, asked_order=False, details_delivered=False, thanked=False,
            feedback=None) -> Outcome:
    return decide_outcome(escalated=escalated, asked_order=asked_order,
                          details_delivered=details_delivered, thanked=thanked,
                          feedback=feedback)


def test_the_words_are_the_contract():
    assert [item.value for item in Outcome] == [
        "escalated", "confirmed", "answered", "unanswered", "other"]


@pytest.mark.parametrize(("facts", "expected"), [
    ({}, Outcome.OTHER),
    ({"feedback": "up"}, Outcome.OTHER),  # a thumbs up on small talk confirms no order
    ({"thanked": True}, Outcome.OTHER),
    ({"asked_order": True}, Outcome.UNANSWERED),  # left before verifying, not "resolved"
    ({"asked_order": True, "feedback": "up"}, Outcome.UNANSWERED),
    ({"asked_order": True, "details_delivered": True}, Outcome.ANSWERED),
    ({"asked_order": True, "details_delivered": True, "thanked": True}, Outcome.CONFIRMED),
    ({"asked_order": True, "details_delivered": True, "feedback": "up"}, Outcome.CONFIRMED),
    # A thumbs down stays feedback beside the outcome and withdraws a confirmation.
    ({"asked_order": True, "details_delivered": True, "feedback": "down"}, Outcome.ANSWERED),
    ({"asked_order": True, "details_delivered": True, "thanked": True, "feedback": "down"},
     Outcome.ANSWERED),
    ({"asked_order": True, "feedback": "down"}, Outcome.UNANSWERED),
    ({"escalated": True}, Outcome.ESCALATED),
    ({"escalated": True, "asked_order": True, "details_delivered": True, "thanked": True,
      "feedback": "up"}, Outcome.ESCALATED),
])
def test_each_definition(facts, expected):
    assert outcome(**facts) is expected


@pytest.mark.parametrize("facts", [
    dict(zip(("asked_order", "details_delivered", "thanked"), flags, strict=True),
         feedback=feedback)
    for flags in itertools.product([False, True], repeat=3)
    for feedback in (None, "up", "down")])
def test_escalation_wins_over_every_other_fact(facts):
    assert outcome(escalated=True, **facts) is Outcome.ESCALATED
    assert outcome(escalated=False, **facts) is not Outcome.ESCALATED


def test_a_conversation_refreshes_its_outcome_and_escalation_sticks():
    conversation = Conversation(asked_order=True, details_delivered=False, thanked=False)
    assert conversation.refresh_outcome() is Outcome.UNANSWERED
    conversation.details_delivered = True
    conversation.feedback = Feedback.UP
    assert conversation.refresh_outcome() is Outcome.CONFIRMED
    assert conversation.refresh_outcome(escalated=True) is Outcome.ESCALATED
    conversation.feedback = Feedback.DOWN
    assert conversation.refresh_outcome() is Outcome.ESCALATED
