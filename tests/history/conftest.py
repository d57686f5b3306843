"""History fixtures: the development store's shop installed through the admin, and factories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lumen.extensions import db
from lumen.models import (
    Conversation,
    Feedback,
    Message,
    Plan,
    Role,
    Shop,
    Ticket,
    TicketStatus,
    utcnow,
)
from lumen.outcomes import Outcome
from tests.embedded_app import SHOP


@pytest.fixture
def shop(admin) -> Shop:
    """The development store's shop, installed by a first admin load."""
    admin("/admin/")
    return db.session.scalar(select(Shop).where(Shop.domain == SHOP))


@pytest.fixture
def pro_plus(shop) -> Shop:
    """The shop on Pro+ (sentiment)."""
    shop.plan = Plan.PRO_PLUS
    db.session.commit()
    return shop


@pytest.fixture
def add_conversation() -> Callable[..., Conversation]:
    """Factory: a stored conversation with messages; keywords override the defaults.

    ``messages`` is a list of (role, text) pairs, one second apart; ``ticket`` a
    (reason, status) pair; ``hours_ago`` when it started.
    """

    def factory(shop: Shop, *, hours_ago: float = 1, started_at: datetime | None = None,
                messages=(("shopper", "Where is my order?"), ("assistant", "Which order?")),
                ticket: tuple[str, TicketStatus] | None = None, **fields) -> Conversation:
        started = started_at or utcnow() - timedelta(hours=hours_ago)
        fields.setdefault("outcome", Outcome.OTHER)
        fields.setdefault("order_names", [])
        fields.setdefault("llm_turns", 0)
        if isinstance(fields.get("feedback"), str):
            fields["feedback"] = Feedback(fields["feedback"])
        conversation = Conversation(shop_id=shop.id, started_at=started,
                                    ended_at=started + timedelta(seconds=len(messages)),
                                    message_count=len(messages), **fields)
        db.session.add(conversation)
        db.session.flush()
        for index, (role, text) in enumerate(messages):
            db.session.add(Message(
                conversation_id=conversation.id, role=Role(role), text=text,
                created_at=started + timedelta(seconds=index),
                intent="track" if role == "assistant" else None,
                latency_ms=12.5 if role == "assistant" else None, used_llm=False))
        if ticket is not None:
            reason, status = ticket
            db.session.add(Ticket(shop_id=shop.id, conversation_id=conversation.id,
                                  reason=reason, summary=f"Summary: {reason}", status=status))
        db.session.commit()
        return conversation

    return factory


@pytest.fixture
def other_shop() -> Shop:
    """Another installed store, with data of its own."""
    other = Shop(domain="other-store.myshopify.com", access_token="x", plan=Plan.PRO_PLUS)
    db.session.add(other)
    db.session.commit()
    return other
