"""Which preventable situation an answered order was in (no tracking, stale, delivered)."""

from __future__ import annotations

import pytest

from lumen.conversation.answers import situation
from lumen.conversation.facts import build_facts
from tests.conversation.conftest import STORY_NOW, load_orders

ORDERS = load_orders()


@pytest.mark.parametrize(("name", "question", "expected"), [
    ("#1077", "track", "no_tracking"),            # confirmed, not shipped: nothing to track yet
    ("#1039", "track", "no_tracking"),            # fulfilled without a tracking number
    ("#1031", "track", "stale_tracking"),         # in transit, no news for three weeks
    ("#1042", "track", None),                     # in transit with recent updates
    ("#1019", "track", None),                     # delivered, asked where it is: answered
    ("#1019", "not_received", "delivered_not_received"),
    ("#1042", "not_received", None),              # not delivered yet: not this situation
    ("#1055", "track", None),                     # cancelled: nothing to fix in fulfilment
])
def test_situation_of_each_demo_order(name, question, expected):
    assert situation(build_facts(ORDERS[name]), question, STORY_NOW) == expected


def test_the_engine_reports_the_situation_of_the_order_it_answered(new_chat):
    chat = new_chat()
    chat.send("where is my order #1031")
    result = chat.send(load_orders()["#1031"]["email"])
    assert result.order_situation == "stale_tracking"
    assert chat.send("thanks!").order_situation is None
